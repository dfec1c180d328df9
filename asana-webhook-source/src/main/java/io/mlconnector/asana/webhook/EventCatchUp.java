package io.mlconnector.asana.webhook;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.BadRequestException;
import io.mlconnector.asana.Event;
import io.mlconnector.asana.EventBatch;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.Resource;
import io.mlconnector.asana.SyncToken;
import io.mlconnector.asana.SyncTokenExpiredException;
import io.mlconnector.asana.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers what the webhook did not deliver (endpoint down, delivery lost, webhook deleted) from
 * Asana's events API. The sync token lives in the source offset; events younger than the grace are
 * left to the webhook. On 412 (token expired) the project's tasks modified since the last sync are
 * emitted as reconciled changes, then the fresh token is followed.
 */
final class EventCatchUp {

    private static final Logger log = LoggerFactory.getLogger(EventCatchUp.class);
    // Asana's clocks and ours differ a little; reconcile a bit further back than the last sync.
    private static final Duration RECONCILE_MARGIN = Duration.ofMinutes(1);

    private final AsanaClient client;
    private final EventIntake intake;
    private final RecordOutbox outbox;
    private final String resourceGid;
    private final Duration grace;
    private final Clock clock;
    private SyncToken token;
    private Instant syncedAt;
    final AtomicLong recovered = new AtomicLong();
    final AtomicLong reconciliations = new AtomicLong();

    EventCatchUp(AsanaClient client, EventIntake intake, RecordOutbox outbox, String resourceGid, Duration grace,
            Clock clock, SourceOffset stored) {
        this.client = client;
        this.intake = intake;
        this.outbox = outbox;
        this.resourceGid = resourceGid;
        this.grace = grace;
        this.clock = clock;
        this.token = stored.sync();
        this.syncedAt = stored.syncedAt();
    }

    /** The first start of a connector: changes from now on are its business. */
    boolean hasToken() {
        return token != null;
    }

    /** Takes a token marking "now" (Asana's 412 to a call without one is the normal start). */
    void startFromNow() {
        try {
            advance(client.getEvents(resourceGid, null).sync());
        } catch (SyncTokenExpiredException e) {
            advance(e.freshToken());
        }
    }

    /** Reads every event since the stored token; returns how many records it newly produced. */
    int run() {
        int produced = 0;
        while (true) {
            EventBatch batch;
            try {
                batch = client.getEvents(resourceGid, token);
            } catch (SyncTokenExpiredException e) {
                produced += reconcile(e.freshToken());
                return produced;
            }
            Instant youngest = clock.instant().minus(grace);
            List<EventIntake.Incoming> old = new ArrayList<>();
            boolean allOld = true;
            for (Event event : batch.events()) {
                if (event.createdAt() != null && event.createdAt().isAfter(youngest)) {
                    allOld = false;
                } else {
                    old.add(EventIntake.Incoming.of(event));
                }
            }
            int made = intake.accept(old, TaskEventRecord.Origin.EVENTS_API).newRecords();
            produced += made;
            recovered.addAndGet(made);
            if (!allOld) {
                // Re-reading this token later is safe and returns these events again, the webhook's by then.
                return produced;
            }
            advance(batch.sync());
            if (!batch.hasMore()) {
                return produced;
            }
        }
    }

    private int reconcile(SyncToken fresh) {
        Instant since = (syncedAt == null ? clock.instant() : syncedAt).minus(RECONCILE_MARGIN);
        log.warn("Asana's events sync token for {} expired; reconciling tasks modified since {}", resourceGid, since);
        List<EventIntake.Incoming> changed = new ArrayList<>();
        try {
            for (Task task : (Iterable<Task>) client.projectTasksModifiedSince(resourceGid, since)::iterator) {
                Event event = new Event("changed", new Resource(task.gid(), "task", task.name()),
                        task.resourceSubtype(), null, null, task.modifiedAt(), null);
                changed.add(new EventIntake.Incoming(EventIdentity.ofReconciled(task.gid(), task.modifiedAt()), event,
                        task));
            }
        } catch (NotFoundException | BadRequestException e) {
            log.warn("Resource {} is not a project, so changes made while the sync token was expired cannot be "
                    + "listed; continuing from a fresh token: {}", resourceGid, e.getMessage());
        }
        int made = intake.accept(changed, TaskEventRecord.Origin.RECONCILE).newRecords();
        recovered.addAndGet(made);
        reconciliations.incrementAndGet();
        advance(fresh);
        return made;
    }

    private void advance(SyncToken next) {
        token = next;
        syncedAt = clock.instant();
        outbox.syncAdvanced(token, syncedAt);
    }
}
