package io.mlconnector.asana.webhook;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The identities of the latest events produced, oldest first, kept joined by spaces as the source offset stores
 * them. The joined text follows the ids as they come and go, instead of being joined again from thousands of ids
 * on every poll, which cost the task more CPU than producing the records did.
 *
 * <p>It also knows, as {@link ReplayHorizon}, up to when events were forgotten: a delivery of an event that old and
 * unknown cannot be told from a replay.
 */
final class DedupeWindow {

    private static final Instant UNKNOWN = Instant.MIN;

    private final int capacity;
    private final Deque<String> ids;
    /** When each id's event was created, as far as known (see {@link ReplayHorizon#newestSeen()}). */
    private final Deque<Instant> createdAt;
    private ReplayHorizon horizon;
    private final StringBuilder joined = new StringBuilder();
    /** Characters at the start of {@link #joined} that belong to ids already dropped; cut once per {@link #text()}. */
    private int dropped;

    DedupeWindow(int capacity, List<String> start, ReplayHorizon startHorizon) {
        this.capacity = capacity;
        this.ids = new ArrayDeque<>(capacity + 1);
        this.createdAt = new ArrayDeque<>(capacity + 1);
        this.horizon = startHorizon;
        start.forEach(id -> add(id, startHorizon.newestSeen()));
    }

    void add(String id, Instant created) {
        if (!ids.isEmpty()) {
            joined.append(' ');
        }
        joined.append(id);
        ids.addLast(id);
        createdAt.addLast(created == null ? UNKNOWN : created);
        horizon = horizon.seen(created);
        if (ids.size() > capacity) {
            // Never the last id (capacity ≥ 1), so a separator follows it.
            dropped += ids.removeFirst().length() + 1;
            Instant gone = createdAt.removeFirst();
            horizon = horizon.forgot(gone == UNKNOWN ? null : gone);
        }
    }

    ReplayHorizon horizon() {
        return horizon;
    }

    String text() {
        joined.delete(0, dropped);
        dropped = 0;
        return joined.toString();
    }
}
