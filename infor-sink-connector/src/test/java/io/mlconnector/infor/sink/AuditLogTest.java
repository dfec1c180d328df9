package io.mlconnector.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.ledger.RecordIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVER = "1200000000000042";

    /** autoComplete false: a send stays unacknowledged until the test or a flush completes it. */
    private final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
            new StringSerializer());
    private final AuditLog audit = new AuditLog(producer, "ml.audit", "m3");

    private static SinkRecord source(int partition, long offset) {
        Map<String, Object> value = new HashMap<>();
        value.put("event_id", "evt-77");
        value.put("task_gid", "1201");
        value.put("user_gid", APPROVER);
        value.put("created_at", Date.from(Instant.parse("2024-05-02T10:15:30Z")));
        return new SinkRecord("asana.task-events", partition, null, "1201", null, value, offset);
    }

    private static RecordView withLedgerRecord(SinkRecord source) {
        return new RecordView(source).with("record",
                new RecordIdentity("m3", "ACME_TST", "100", "AAA", "purchase-orders", "4000000123").fields());
    }

    private static JsonNode json(ProducerRecord<String, String> record) throws Exception {
        return JSON.readTree(record.value());
    }

    @Test
    void anOutcomeIsAuditedAsOneJsonRecordOnTheAuditTopicKeyedByItsReference() throws Exception {
        SinkRecord source = source(3, 17);
        Instant before = Instant.now();
        audit.record(source, withLedgerRecord(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "4000000123",
                Outcome.applied("M3 accepted CUSEXTMI/AddFieldValue"), APPROVER);
        Instant after = Instant.now();

        assertEquals(1, producer.history().size());
        ProducerRecord<String, String> sent = producer.history().get(0);
        assertEquals("ml.audit", sent.topic());
        assertEquals("4000000123", sent.key(), "one record's history stays in one partition, in order");
        JsonNode audited = json(sent);
        assertEquals("APPLIED", audited.path("outcome").asText());
        assertEquals("approve-po", audited.path("rule").asText());
        assertEquals("M3 CUSEXTMI/AddFieldValue", audited.path("action").asText());
        assertEquals("m3", audited.path("backend").asText());
        assertEquals("4000000123", audited.path("reference").asText());
        assertEquals("M3 accepted CUSEXTMI/AddFieldValue", audited.path("message").asText());
        assertEquals("evt-77", audited.path("asana_event_id").asText());
        assertEquals("1201", audited.path("asana_task_gid").asText());
        assertEquals(APPROVER, audited.path("asana_user_gid").asText());
        assertEquals(APPROVER, audited.path("decided_by").asText());
        assertEquals("2024-05-02T10:15:30Z", audited.path("event_created_at").asText());
        Instant recordedAt = Instant.parse(audited.path("recorded_at").asText());
        assertFalse(recordedAt.isBefore(before) || recordedAt.isAfter(after), recordedAt.toString());

        JsonNode record = audited.path("record");
        assertEquals("m3", record.path("backend").asText());
        assertEquals("ACME_TST", record.path("tenant").asText());
        assertEquals("100", record.path("company").asText());
        assertEquals("AAA", record.path("division").asText());
        assertEquals("purchase-orders", record.path("entity").asText());
        assertEquals("4000000123", record.path("number").asText());

        JsonNode origin = audited.path("source");
        assertEquals("asana.task-events", origin.path("topic").asText());
        assertEquals(3, origin.path("partition").asInt());
        assertEquals(17, origin.path("offset").asLong());
    }

    @Test
    void anEventWithNoLedgerRecordIsAuditedWithoutRecordAndWithoutKey() throws Exception {
        SinkRecord source = source(0, 5);
        audit.record(source, new RecordView(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "",
                new Outcome(Outcome.Kind.NOT_OURS, "task 1201 is not in the task ledger"), APPROVER);

        ProducerRecord<String, String> sent = producer.history().get(0);
        assertNull(sent.key(), "no reference: no key, so the record is not tied to one partition");
        JsonNode audited = json(sent);
        assertEquals("NOT_OURS", audited.path("outcome").asText());
        assertEquals("task 1201 is not in the task ledger", audited.path("message").asText());
        assertFalse(audited.has("record"), audited.toString());
        assertEquals(5, audited.path("source").path("offset").asLong());
    }

    @Test
    void aCompletionFoundByReconciliationIsAuditedAsDecidedByWhoCompletedTheTask() throws Exception {
        Map<String, Object> value = new HashMap<>();
        value.put("event_id", "evt-78");
        value.put("task_gid", "1201");
        SinkRecord source = new SinkRecord("asana.task-events", 0, null, "1201", null, value, 6);
        String completer = "1200000000000043";

        audit.record(source, withLedgerRecord(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "4000000123",
                Outcome.applied("ok"), completer);

        JsonNode audited = json(producer.history().get(0));
        assertTrue(audited.path("asana_user_gid").isNull(), "the event names no user: " + audited);
        assertEquals(completer, audited.path("decided_by").asText());
    }

    @Test
    void awaitWrittenReturnsOnlyOnceTheProducerHasFlushedEveryAuditRecord() {
        SinkRecord source = source(0, 1);
        audit.record(source, withLedgerRecord(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "4000000123",
                Outcome.applied("ok"), APPROVER);
        audit.record(source, withLedgerRecord(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "4000000123",
                Outcome.alreadyApplied("ok"), APPROVER);
        assertFalse(producer.flushed(), "nothing acknowledged yet");

        // without the flush, waiting on the unacknowledged sends would never end
        assertTimeoutPreemptively(Duration.ofSeconds(10), audit::awaitWritten);
        assertTrue(producer.flushed());
    }

    @Test
    void anAuditRecordKafkaDidNotTakeFailsTheBatchAsRetriable() {
        SinkRecord source = source(0, 1);
        audit.record(source, withLedgerRecord(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "4000000123",
                Outcome.applied("ok"), APPROVER);
        TimeoutException notTaken = new TimeoutException("broker unreachable");
        producer.errorNext(notTaken);

        RetriableException e = assertThrows(RetriableException.class, audit::awaitWritten);
        assertTrue(e.getMessage().contains("ml.audit"), e.getMessage());
        assertSame(notTaken, e.getCause());
    }

    @Test
    void aFailedAuditWriteIsReportedOnceSoTheNextBatchIsNotFailedByIt() {
        SinkRecord source = source(0, 1);
        audit.record(source, withLedgerRecord(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "4000000123",
                Outcome.applied("ok"), APPROVER);
        producer.errorNext(new TimeoutException("broker unreachable"));
        assertThrows(RetriableException.class, audit::awaitWritten);

        audit.record(source, withLedgerRecord(source), "approve-po", "M3 CUSEXTMI/AddFieldValue", "4000000123",
                Outcome.alreadyApplied("ok"), APPROVER);
        assertTimeoutPreemptively(Duration.ofSeconds(10), audit::awaitWritten);
    }

    @Test
    void closeClosesTheProducer() {
        audit.close();
        assertTrue(producer.closed());
    }
}
