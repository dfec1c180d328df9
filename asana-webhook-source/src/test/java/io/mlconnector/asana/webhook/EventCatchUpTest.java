package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.SyncToken;
import io.mlconnector.asana.Task;
import io.mlconnector.simulators.common.RequestLog;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the webhook did not deliver, recovered from Asana's events API (simulated): every event after the sync
 * token in the offset, the token stored only after the events read with it, the youngest events left to the
 * webhook, and after an expired token the project's recently modified tasks as reconciled states.
 */
class EventCatchUpTest {

    private static final Duration GRACE = Duration.ofMinutes(2);

    private SimProject asana;
    private RecordOutbox outbox;
    private EventIntake intake;
    /** Far enough ahead that every event is older than the grace, unless a test sets it. */
    private final SimProject.TestClock clock = new SimProject.TestClock(Instant.now().plus(Duration.ofHours(1)));

    @BeforeEach
    void start() throws Exception {
        asana = new SimProject();
    }

    @AfterEach
    void stop() {
        asana.close();
    }

    /** The catch-up and the outbox as a task starts them, from the offset stored for the resource. */
    private EventCatchUp catchUp(String resource, SourceOffset stored) {
        outbox = new RecordOutbox(resource, SimProject.TOPIC, SimProject.CHECKPOINTS, 1000, stored, clock);
        intake = new EventIntake(asana.client, asana.readers, new DeliveryLedger(1000), outbox, SimProject.TASK_FILTERS,
                new TaskEventRecord.FieldNames("PO number", "Invoice number"));
        return new EventCatchUp(asana.client, intake, outbox, resource, GRACE, clock, stored);
    }

    private static SourceOffset storedSync(SyncToken token, Instant at) {
        return SourceOffset.EMPTY.withSync(token, at);
    }

    @Test
    void aFirstStartTakesATokenForNowSoEarlierChangesAreNotProduced() throws Exception {
        Task earlier = asana.createTask("PO 4000000001");
        asana.change(earlier.gid(), asana.reviewer, "completed", true);
        EventCatchUp catchUp = catchUp(asana.project, SourceOffset.EMPTY);
        assertFalse(catchUp.hasToken());

        catchUp.startFromNow();

        assertTrue(catchUp.hasToken());
        List<SourceRecord> checkpoint = SimProject.drain(outbox);
        assertEquals(1, checkpoint.size());
        assertEquals(SimProject.CHECKPOINTS, checkpoint.get(0).topic(), "the token is stored before any event");
        assertNotNull(checkpoint.get(0).sourceOffset().get("sync"));
        assertEquals(clock.instant().toString(), checkpoint.get(0).sourceOffset().get("synced_at"));

        assertEquals(0, catchUp.run());
        Task later = asana.createTask("PO 4000000002");
        assertEquals(1, catchUp.run());
        assertEquals(later.gid(), SimProject.events(SimProject.drain(outbox)).get(0).key());
    }

    @Test
    void everyEventSinceTheStoredTokenIsProducedOnceAndTheTokenTravelsWithTheLastOfThem() throws Exception {
        SyncToken stored = asana.syncToken();
        Task first = asana.createTask("PO 4000000001");
        Task second = asana.createTask("PO 4000000002");
        asana.change(second.gid(), asana.reviewer, "completed", true);
        EventCatchUp catchUp = catchUp(asana.project, storedSync(stored, clock.instant().minusSeconds(60)));

        assertEquals(3, catchUp.run());

        List<SourceRecord> records = SimProject.drain(outbox);
        assertEquals(3, records.size());
        assertEquals(List.of(first.gid(), second.gid(), second.gid()), records.stream().map(SourceRecord::key).toList());
        assertEquals(List.of("events_api"), records.stream().map(r -> ((Struct) r.value()).get("origin")).distinct().toList());
        Object advanced = records.get(2).sourceOffset().get("sync");
        assertNotEquals(stored.value(), advanced, "the last record stores the token read after the events");
        assertEquals(stored.value(), records.get(1).sourceOffset().get("sync"),
                "an earlier record committed alone must not skip the events after it");
        assertEquals(3, catchUp.recovered.get());

        long eventCalls = asana.calls("getEvents");
        assertEquals(0, catchUp.run(), "the stored token moved past them");
        assertEquals(eventCalls + 1, asana.calls("getEvents"));
        assertEquals(List.of(), SimProject.events(SimProject.drain(outbox)));
    }

    @Test
    void pagesOfEventsAreFollowedUntilAsanaHasNoMore() throws Exception {
        SyncToken stored = asana.syncToken();
        asana.sim.seedTasks(asana.project, asana.user, 110);
        EventCatchUp catchUp = catchUp(asana.project, storedSync(stored, clock.instant()));
        long pages = asana.sim.log().calls("asana.getEvents", 200);

        assertEquals(110, catchUp.run());

        assertEquals(pages + 2, asana.sim.log().calls("asana.getEvents", 200));
        assertEquals(110, SimProject.events(SimProject.drain(outbox)).size());
    }

    @Test
    void eventsYoungerThanTheGraceAreLeftToTheWebhookAndRecoveredOnceOlder() throws Exception {
        SyncToken stored = asana.syncToken();
        Task old = asana.createTask("PO 4000000001");
        Instant oldAt = asana.eventsSince(stored).get(0).createdAt();
        SimProject.await("Asana's clock passed the first event's millisecond",
                () -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(oldAt));
        Task young = asana.createTask("PO 4000000002");
        List<Event> both = asana.eventsSince(stored);
        Instant youngAt = both.get(1).createdAt();
        assertTrue(youngAt.isAfter(oldAt));
        EventCatchUp catchUp = catchUp(asana.project, storedSync(stored, oldAt));

        clock.set(oldAt.plus(GRACE));
        assertEquals(1, catchUp.run(), "only the event older than the grace");
        List<SourceRecord> records = SimProject.drain(outbox);
        assertEquals(List.of(old.gid()), records.stream().map(SourceRecord::key).toList());
        assertEquals(stored.value(), records.get(0).sourceOffset().get("sync"),
                "the token stays before the young event, so it is read again");

        clock.set(youngAt.plus(GRACE));
        assertEquals(1, catchUp.run());
        records = SimProject.drain(outbox);
        assertEquals(List.of(young.gid()), records.stream().map(SourceRecord::key).toList());
        assertNotEquals(stored.value(), records.get(0).sourceOffset().get("sync"));
        assertEquals(1, intake.duplicates.get(), "the old event, read again, is not produced twice");
    }

    @Test
    void anExpiredTokenReconcilesTheTasksModifiedSinceTheLastSyncThenFollowsTheFreshToken() throws Exception {
        Task approved = asana.createTask("PO 4000000001");
        asana.change(approved.gid(), asana.reviewer, "completed", true);
        Task open = asana.createTask("PO 4000000002");
        Instant syncedAt = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
        EventCatchUp catchUp = catchUp(asana.project, storedSync(new SyncToken("expired"), syncedAt));

        assertEquals(2, catchUp.run());

        assertEquals(syncedAt.minus(Duration.ofMinutes(1)).toString(), lastModifiedSinceAsked(),
                "a minute before the last sync, for the clocks of Asana and the worker");
        assertEquals(1, catchUp.reconciliations.get());
        List<SourceRecord> records = SimProject.drain(outbox);
        Map<Object, Struct> byTask = records.stream().collect(Collectors.toMap(SourceRecord::key, r -> (Struct) r.value()));
        Struct completion = byTask.get(approved.gid());
        assertEquals("reconcile", completion.get("origin"));
        assertEquals("changed", completion.get("action"));
        assertNull(completion.get("changed_field"));
        assertNull(completion.get("user_gid"), "no event says who: the sink takes the task's completed_by");
        assertEquals(true, completion.getStruct("task").get("completed"));
        assertEquals(asana.reviewer, completion.getStruct("task").get("completed_by_gid"));
        Task read = asana.client.getTask(approved.gid());
        assertEquals(EventIdentity.ofReconciled(approved.gid(), read.modifiedAt()), completion.get("event_id"));
        assertEquals(false, byTask.get(open.gid()).getStruct("task").get("completed"));
        Object fresh = records.get(records.size() - 1).sourceOffset().get("sync");
        assertNotEquals("expired", fresh);

        Task after = asana.createTask("PO 4000000003");
        assertEquals(1, catchUp.run(), "the fresh token is followed");
        List<SourceRecord> next = SimProject.drain(outbox);
        assertEquals(List.of(after.gid()), next.stream().map(SourceRecord::key).toList());
        assertEquals("events_api", ((Struct) next.get(0).value()).get("origin"));
    }

    @Test
    void tasksModifiedBeforeTheLastSyncAreNotReconciled() throws Exception {
        asana.createTask("PO 4000000001");
        Instant syncedAt = Instant.now().plus(Duration.ofMinutes(5));
        EventCatchUp catchUp = catchUp(asana.project, storedSync(new SyncToken("expired"), syncedAt));

        assertEquals(0, catchUp.run());

        assertEquals(1, catchUp.reconciliations.get());
        List<SourceRecord> records = SimProject.drain(outbox);
        assertEquals(List.of(SimProject.CHECKPOINTS), records.stream().map(SourceRecord::topic).toList());
        assertNotEquals("expired", records.get(0).sourceOffset().get("sync"), "the fresh token is stored");
    }

    @Test
    void aTaskStateReconciledTwiceIsProducedOnce() throws Exception {
        asana.createTask("PO 4000000001");
        clock.set(Instant.now());
        EventCatchUp catchUp = catchUp(asana.project, storedSync(new SyncToken("expired"), clock.instant()));
        assertEquals(1, catchUp.run());

        asana.sim.expireSyncTokens();
        assertEquals(0, catchUp.run(), "the task did not change since");

        assertEquals(2, catchUp.reconciliations.get());
        assertEquals(1, intake.duplicates.get());
    }

    @Test
    void aResourceThatIsNoProjectCannotBeReconciledAndContinuesFromTheFreshToken() throws Exception {
        Task task = asana.createTask("PO 4000000001");
        EventCatchUp catchUp = catchUp(task.gid(), storedSync(new SyncToken("expired"), clock.instant()));

        assertEquals(0, catchUp.run());

        assertEquals(1, catchUp.reconciliations.get());
        asana.change(task.gid(), asana.reviewer, "completed", true);
        assertEquals(1, catchUp.run());
        List<SourceRecord> records = SimProject.events(SimProject.drain(outbox));
        assertEquals("completed", ((Struct) records.get(0).value()).get("changed_field"));
    }

    /** The modified_since of the last GET /tasks?project=, as Asana received it. */
    private String lastModifiedSinceAsked() {
        List<RequestLog.Entry> asked = asana.sim.log().entries("asana.getTasks", 1);
        assertEquals(1, asked.size());
        return Arrays.stream(asked.get(0).query().split("&")).map(p -> p.split("=", 2))
                .filter(p -> p[0].equals("modified_since")).map(p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8))
                .findFirst().orElseThrow();
    }
}
