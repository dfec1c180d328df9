package io.mlconnector.asana.webhook;

import java.time.Instant;

/**
 * Up to when the task still tells a redelivered event from a new one. Identities are remembered in a bounded
 * ledger; once an event's identity is dropped, a signed delivery of it captured earlier and sent again would
 * produce it again. So a webhook event that is unknown and created no later than the newest forgotten event is
 * refused: Asana itself retries for 24 hours, and the events catch-up has long recovered anything Asana could
 * still be retrying.
 *
 * @param newestSeen      the newest creation time among remembered events; ids restored from an offset, stored
 *                        without their times, are taken to be that new
 * @param forgottenUpTo   the newest creation time among forgotten events, or null when none was forgotten
 */
record ReplayHorizon(Instant newestSeen, Instant forgottenUpTo) {

    static final ReplayHorizon NONE = new ReplayHorizon(null, null);

    ReplayHorizon seen(Instant createdAt) {
        return createdAt == null || newestSeen != null && !createdAt.isAfter(newestSeen) ? this
                : new ReplayHorizon(createdAt, forgottenUpTo);
    }

    ReplayHorizon forgot(Instant createdAt) {
        return createdAt == null || forgottenUpTo != null && !createdAt.isAfter(forgottenUpTo) ? this
                : new ReplayHorizon(newestSeen, createdAt);
    }

    /** Whether an event created then, if not remembered, may have been forgotten. */
    boolean covers(Instant createdAt) {
        return forgottenUpTo != null && createdAt != null && !createdAt.isAfter(forgottenUpTo);
    }
}
