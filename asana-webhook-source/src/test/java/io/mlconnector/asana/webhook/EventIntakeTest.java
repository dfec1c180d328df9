package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.Resource;
import io.mlconnector.asana.ServerErrorException;
import io.mlconnector.asana.SyncToken;
import io.mlconnector.asana.Task;
import io.mlconnector.simulators.common.FaultRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where webhook deliveries and the events-API catch-up become records, against the Asana simulator: which events
 * are kept, that each is produced once whichever path brings it, and that each record carries who made the change
 * and the task as read now, since the Infor sink decides from them alone (a change by the connectors' own user is
 * never an approval).
 */
class EventIntakeTest {

    private static final TaskEventRecord.FieldNames FIELDS = new TaskEventRecord.FieldNames("PO number", "Invoice number");

    private SimProject asana;
    private DeliveryLedger ledger;
    private RecordOutbox outbox;
    private EventIntake intake;

    @BeforeEach
    void start() throws Exception {
        asana = new SimProject();
        ledger = new DeliveryLedger(1000);
        outbox = SimProject.outbox(asana.project);
        intake = intake(SimProject.TASK_FILTERS);
    }

    @AfterEach
    void stop() {
        asana.close();
    }

    private EventIntake intake(WebhookFilters filters) {
        return new EventIntake(asana.client, asana.readers, ledger, outbox, filters, FIELDS);
    }

    @Test
    void eachRecordNamesWhoMadeTheChangeAndCarriesTheTaskAsReadNow() throws Exception {
        SyncToken before = asana.syncToken();
        Task closedByConnector = asana.createTask("PO 4000000001");
        asana.change(closedByConnector.gid(), asana.user, "completed", true); // its PO closed in CloudSuite
        Task approved = asana.createTask("PO 4000000002");
        asana.change(approved.gid(), asana.reviewer, "completed", true);
        List<Event> events = asana.eventsSince(before);
        assertEquals(4, events.size());

        EventIntake.Outcome outcome = intake.accept(incoming(events), TaskEventRecord.Origin.WEBHOOK);

        assertEquals(4, outcome.newRecords());
        assertEquals(4, outcome.acknowledgements().size());
        List<SourceRecord> records = SimProject.events(SimProject.drain(outbox));
        assertEquals(4, records.size());
        Map<String, Struct> completions = records.stream().map(r -> (Struct) r.value())
                .filter(v -> "completed".equals(v.get("changed_field")))
                .collect(Collectors.toMap(v -> v.getString("task_gid"), v -> v));

        Struct byConnector = completions.get(closedByConnector.gid());
        assertEquals(asana.user, byConnector.get("user_gid"), "the connectors' own change says so");
        assertEquals(asana.user, byConnector.getStruct("task").get("completed_by_gid"));
        Struct byReviewer = completions.get(approved.gid());
        assertEquals(asana.reviewer, byReviewer.get("user_gid"));
        assertEquals(asana.reviewer, byReviewer.getStruct("task").get("completed_by_gid"));
        assertEquals(true, byReviewer.getStruct("task").get("completed"));
        assertEquals("PO 4000000002", byReviewer.getStruct("task").get("name"));
        assertEquals("changed", byReviewer.get("action"));
        assertEquals("webhook", byReviewer.get("origin"));

        Event approval = events.get(3);
        SourceRecord approvalRecord = records.get(3);
        assertEquals(EventIdentity.of(approval), ((Struct) approvalRecord.value()).get("event_id"));
        assertEquals(EventIdentity.of(approval),
                approvalRecord.headers().lastWithName(RecordOutbox.EVENT_ID_HEADER).value(), "what commitRecord acknowledges");
        assertEquals(approved.gid(), approvalRecord.key(), "keyed by task, so a task's events stay in order");
        assertEquals(approval.createdAt().toEpochMilli(), approvalRecord.timestamp());
        assertEquals(4, intake.produced.get());
    }

    @Test
    void eventsTheFiltersLeaveOutOrThatConcernNoTaskAreDropped() throws Exception {
        Task task = asana.createTask("PO 4000000001");
        EventIntake completionsAndComments = intake(WebhookFilters.parse(
                List.of("task:changed:completed", "story:added", "section:changed")));
        Instant at = Instant.parse("2026-03-01T10:00:00.123Z");
        Resource taskResource = new Resource(task.gid(), "task", null);
        Event renamed = new Event("changed", taskResource, "default_task", null, user(asana.reviewer), at,
                new Event.Change("name", "changed", null, null, null));
        Event completed = new Event("changed", taskResource, "default_task", null, user(asana.reviewer), at,
                new Event.Change("completed", "changed", null, null, null));
        Event comment = new Event("added", new Resource("9001", "story", null), "comment_added", taskResource,
                user(asana.reviewer), at, null);
        Event deleted = new Event("deleted", taskResource, "default_task", null, user(asana.reviewer), at, null);
        Event sectionRenamed = new Event("changed", new Resource("9002", "section", null), null, null,
                user(asana.reviewer), at, new Event.Change("name", "changed", null, null, null));

        EventIntake.Outcome outcome = completionsAndComments.accept(
                incoming(List.of(renamed, completed, comment, deleted, sectionRenamed)), TaskEventRecord.Origin.WEBHOOK);

        assertEquals(2, outcome.newRecords());
        assertEquals(2, outcome.acknowledgements().size(), "a dropped event has nothing to wait for");
        List<Struct> values = SimProject.events(SimProject.drain(outbox)).stream().map(r -> (Struct) r.value()).toList();
        assertEquals(List.of("completed", "story"), values.stream()
                .map(v -> v.get("changed_field") != null ? v.getString("changed_field") : v.getString("resource_type"))
                .toList());
        assertEquals(task.gid(), values.get(1).get("task_gid"), "a comment is about its parent task");
        assertEquals("9001", values.get(1).get("resource_gid"));
        assertTrue(ledger.claim(EventIdentity.of(deleted), at).first(), "a dropped event is not marked as seen");
    }

    @Test
    void anEventMetAgainIsProducedOnceAndWaitsForTheFirstRecordsAcknowledgement() throws Exception {
        SyncToken before = asana.syncToken();
        Task task = asana.createTask("PO 4000000001");
        asana.change(task.gid(), asana.reviewer, "completed", true);
        List<Event> events = asana.eventsSince(before);

        EventIntake.Outcome first = intake.accept(incoming(events), TaskEventRecord.Origin.WEBHOOK);
        long requests = asana.requests();
        // Asana retries the delivery, and the catch-up lists the same events
        EventIntake.Outcome retried = intake.accept(incoming(events), TaskEventRecord.Origin.WEBHOOK);
        EventIntake.Outcome listed = intake.accept(incoming(events), TaskEventRecord.Origin.EVENTS_API);

        assertEquals(2, first.newRecords());
        assertEquals(0, retried.newRecords());
        assertEquals(0, listed.newRecords());
        assertEquals(2, SimProject.events(SimProject.drain(outbox)).size());
        assertEquals(4, intake.duplicates.get());
        assertEquals(requests, asana.requests(), "nothing is read for events already produced");

        assertFalse(retried.all().isDone(), "the retry is answered only once Kafka has the first record");
        String completion = EventIdentity.of(events.get(1));
        ledger.acknowledged(EventIdentity.of(events.get(0)));
        assertFalse(retried.all().isDone());
        ledger.acknowledged(completion);
        assertTrue(first.all().isDone());
        assertTrue(retried.all().isDone());
        assertTrue(listed.all().isDone());
    }

    @Test
    void theSameEventTwiceInOneBatchIsProducedOnce() throws Exception {
        SyncToken before = asana.syncToken();
        Task task = asana.createTask("PO 4000000001");
        asana.change(task.gid(), asana.reviewer, "completed", true);
        Event completion = asana.eventsSince(before).get(1);

        EventIntake.Outcome outcome = intake.accept(incoming(List.of(completion, completion)),
                TaskEventRecord.Origin.WEBHOOK);

        assertEquals(1, outcome.newRecords());
        assertEquals(1, SimProject.events(SimProject.drain(outbox)).size());
        assertSame(outcome.acknowledgements().get(0), outcome.acknowledgements().get(1));
    }

    @Test
    void aBatchReadsEachTaskOnceAndTenToACall() throws Exception {
        SyncToken before = asana.syncToken();
        List<String> gids = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            gids.add(asana.createTask("PO 40000000" + (10 + i)).gid());
        }
        asana.change(gids.get(0), asana.reviewer, "name", "PO 4000000011 (rush)");
        asana.change(gids.get(0), asana.reviewer, "notes", "call the supplier");
        asana.change(gids.get(0), asana.reviewer, "completed", true);
        List<Event> events = asana.eventsSince(before);
        assertEquals(15, events.size());
        long requests = asana.requests();
        long batchCalls = asana.calls("createBatchRequest");

        assertEquals(15, intake.accept(incoming(events), TaskEventRecord.Origin.EVENTS_API).newRecords());

        assertEquals(requests + 12, asana.requests(), "one read per task, however many of its events");
        assertEquals(batchCalls + 2, asana.calls("createBatchRequest"));
        List<SourceRecord> records = SimProject.events(SimProject.drain(outbox));
        Struct last = (Struct) records.get(records.size() - 1).value();
        assertEquals("PO 4000000011 (rush)", last.getStruct("task").get("name"),
                "every event of the task carries its state read after all of them");
        assertEquals("events_api", last.get("origin"));
    }

    @Test
    void whenATaskCannotBeReadNothingOfTheBatchIsProducedAndARetryProducesIt() throws Exception {
        SyncToken before = asana.syncToken();
        Task task = asana.createTask("PO 4000000001");
        asana.change(task.gid(), asana.reviewer, "completed", true);
        List<Event> events = asana.eventsSince(before);
        asana.sim.server().faults().add(FaultRule.status("asana.createBatchRequest", 503, -1));

        assertThrows(ServerErrorException.class, () -> intake.accept(incoming(events), TaskEventRecord.Origin.WEBHOOK));

        assertEquals(List.of(), SimProject.drain(outbox), "nothing half-produced");
        assertEquals(0, intake.produced.get());
        asana.sim.server().faults().clear();
        EventIntake.Outcome retried = intake.accept(incoming(events), TaskEventRecord.Origin.WEBHOOK);
        assertEquals(2, retried.newRecords(), "Asana's retry of the delivery produces what failed");
        assertEquals(2, SimProject.events(SimProject.drain(outbox)).size());
        assertEquals(0, intake.duplicates.get());
    }

    @Test
    void aTaskStateAlreadyReadIsNotReadAgain() throws Exception {
        Task task = asana.createTask("PO 4000000001");
        Event reconciled = new Event("changed", new Resource(task.gid(), "task", task.name()), "default_task", null,
                null, task.modifiedAt(), null);
        long requests = asana.requests();

        EventIntake.Outcome outcome = intake.accept(List.of(new EventIntake.Incoming(
                EventIdentity.ofReconciled(task.gid(), task.modifiedAt()), reconciled, task)), TaskEventRecord.Origin.RECONCILE);

        assertEquals(1, outcome.newRecords());
        assertEquals(requests, asana.requests());
        Struct value = (Struct) SimProject.events(SimProject.drain(outbox)).get(0).value();
        assertEquals("reconcile", value.get("origin"));
        assertEquals("PO 4000000001", value.getStruct("task").get("name"));
        assertNull(value.get("user_gid"));
    }

    @Test
    void anEventOnATaskGoneFromAsanaIsProducedWithoutTaskState() throws Exception {
        Event removed = new Event("changed", new Resource("987654321", "task", null), "default_task", null,
                user(asana.reviewer), Instant.parse("2026-03-01T10:00:00Z"),
                new Event.Change("completed", "changed", null, null, null));

        assertEquals(1, intake.accept(incoming(List.of(removed)), TaskEventRecord.Origin.WEBHOOK).newRecords());

        Struct value = (Struct) SimProject.events(SimProject.drain(outbox)).get(0).value();
        assertEquals("987654321", value.get("task_gid"));
        assertNull(value.get("task"));
    }

    private static List<EventIntake.Incoming> incoming(List<Event> events) {
        return events.stream().map(EventIntake.Incoming::of).toList();
    }

    private static Resource user(String gid) {
        return new Resource(gid, "user", null);
    }
}
