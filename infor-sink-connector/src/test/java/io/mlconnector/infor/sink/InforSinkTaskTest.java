package io.mlconnector.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.RecordIdentity;
import io.mlconnector.connect.ledger.TaskLedger;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.simulators.ion.IonSimulator;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink task against the ION simulator, with the task ledger in memory and the audit topic a MockProducer:
 * which events it writes back, which it skips and why, and what it audits.
 */
class InforSinkTaskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "asana.task-events";
    private static final String APPROVER = "1200000000000042";
    private static final String CONNECTOR_USER = "1200000000000001";
    private static final String MEMBER = "1200000000000099";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static IonSimulator sim;
    private static SimControl control;

    private final List<RunningTask> started = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // its client holds the service account's token, so that the tasks started here do not each log in anew
        control = SimControl.start(5, 5, 5);
        sim = control.sim;
    }

    @AfterAll
    static void stop() {
        control.close();
    }

    @AfterEach
    void stopTasks() {
        started.forEach(t -> t.task.stop());
        sim.faults().clear();
    }

    // ---- configuration, ledger and events ----

    /** The M3 example's rules for purchase orders and invoices; every invoice rule leaves other states to the next. */
    private static Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("name", "infor-sink-test");
        c.put("ion.credentials", sim.ionApiJson());
        c.put("infor.backend", "M3");
        c.put("infor.company", "100");
        c.put("ledger.bootstrap.servers", "127.0.0.1:9");
        c.put("audit.bootstrap.servers", "127.0.0.1:9");
        c.put("audit.topic", "ml.audit");
        c.put("retry.backoff.ms", "1234");
        c.put("writeback.approvers", APPROVER);
        c.put("writeback.rules", "approve-po,approve-invoice,approve-posted-invoice,record-rejection");
        rule(c, "approve-po", "when", "completed", "entity", "purchase-orders", "action", "m3",
                "state.transaction", "PPS001MI/GetHeadBasic", "state.fields", "PUNO=${record.number}",
                "state.allowed", "PUST=05..80",
                "m3.transaction", "CUSEXTMI/AddFieldValue",
                "m3.fields", "FILE=MPHEAD,PK01=${record.number},A030=APPROVED,A130=${user_gid}",
                "check.transaction", "CUSEXTMI/GetFieldValue", "check.fields", "FILE=MPHEAD,PK01=${record.number}",
                "check.applied", "A030=APPROVED");
        rule(c, "approve-invoice", "when", "completed", "entity", "supplier-invoices", "action", "m3",
                "state.transaction", "APS450MI/GetHead", "state.fields", "INBN=${record.number}",
                "state.allowed", "SUPA=10", "state.otherwise", "next-rule",
                "m3.transaction", "APS450MI/ApproveInvoice", "m3.fields", "INBN=${record.number}",
                "check.transaction", "APS450MI/GetHead", "check.fields", "INBN=${record.number}",
                "check.applied", "SUPA=20");
        rule(c, "approve-posted-invoice", "when", "completed", "entity", "supplier-invoices", "action", "m3",
                "state.transaction", "APS450MI/GetHead", "state.fields", "INBN=${record.number}",
                "state.allowed", "SUPA=90", "state.otherwise", "next-rule",
                "m3.transaction", "APS110MI/ApproveInvoice",
                "m3.fields", "DIVI=${record.division},SUNO=${state.SUNO},SINO=${state.SINO},INYR=${state.IVDT|year}",
                "check.transaction", "APS200MI/GetInvTotInfo",
                "check.fields", "DIVI=${record.division},SPYN=${state.SPYN},SUNO=${state.SUNO},SINO=${state.SINO},"
                        + "INYR=${state.IVDT|year}",
                "check.applied", "APRV=1");
        rule(c, "record-rejection", "when", "equals:Approval=Rejected", "action", "audit");
        return c;
    }

    private static void rule(Map<String, String> config, String name, String... settings) {
        for (int i = 0; i < settings.length; i += 2) {
            config.put("writeback.rule." + name + "." + settings[i], settings[i + 1]);
        }
    }

    /** The ledger's entry for a task the Asana sink made for this record, by the connectors' Asana user. */
    private static LedgerEntry made(String taskGid, String entity, String division, String number) {
        RecordIdentity record = new RecordIdentity("m3", "ACME_TST", "100", division, entity, number);
        return new LedgerEntry("1200000000000500", "100-" + entity + "-" + number, taskGid, record, CONNECTOR_USER,
                null, Map.of(), Instant.now());
    }

    private static String taskGid() {
        return String.valueOf(9_000_000 + NEXT.incrementAndGet());
    }

    /** A task event as the Asana webhook source writes it (schemaless). */
    private static Map<String, Object> event(String taskGid, String userGid, String changedField, boolean completed,
            String approval) {
        Map<String, Object> task = new HashMap<>();
        task.put("completed", completed);
        task.put("custom_fields", List.of(Map.of("gid", "1200000000000777", "name", "Approval", "display_value", approval)));
        Map<String, Object> value = new HashMap<>();
        value.put("event_id", "evt-" + NEXT.incrementAndGet());
        value.put("origin", "webhook");
        value.put("action", "changed");
        value.put("task_gid", taskGid);
        value.put("changed_field", changedField);
        value.put("user_gid", userGid);
        value.put("created_at", new Date());
        value.put("task", task);
        return value;
    }

    private static SinkRecord record(Map<String, Object> value, int partition, long offset) {
        return new SinkRecord(EVENTS, partition, null, value.get("task_gid"), null, value, offset);
    }

    /** This user completed the task. */
    private static SinkRecord completed(String taskGid, String userGid, long offset) {
        return record(event(taskGid, userGid, "completed", true, "Pending"), 0, offset);
    }

    // ---- CloudSuite ----

    private static String purchaseOrder(String status) {
        return control.m3Insert("MPHEAD", Map.of("CONO", "100", "DIVI", "AAA", "SUNO", "S00001", "PUST", status,
                "PUSL", status)).get("PUNO");
    }

    private static List<Map<String, String>> approvals(String puno) {
        return control.m3Rows("CUGEX1", Map.of("CONO", "100", "FILE", "MPHEAD", "PK01", puno));
    }

    private static String invoiceBatch(String status) {
        String inbn = String.valueOf(7_000_000 + NEXT.incrementAndGet());
        control.m3Insert("FAPIBH", Map.of("CONO", "100", "DIVI", "AAA", "INBN", inbn, "SUPA", status,
                "SUNO", "S00001", "SPYN", "S00001", "SINO", "INV-" + inbn, "IVDT", "20240502", "YEA4", "2024"));
        return inbn;
    }

    /** Calls the task made to M3, on any transaction. */
    @SuppressWarnings("unchecked")
    private static long m3Calls() {
        Map<String, Object> routes = (Map<String, Object>) sim.log().snapshot().get("routes");
        return routes.entrySet().stream().filter(e -> e.getKey().startsWith("m3."))
                .mapToLong(e -> ((Number) ((Map<String, Object>) e.getValue()).get("calls")).longValue()).sum();
    }

    // ---- the task as Connect runs it ----

    private RunningTask startTask(LedgerEntry... ledger) {
        return startTask(config(), ledger);
    }

    private RunningTask startTask(Map<String, String> config, LedgerEntry... ledger) {
        RunningTask run = new RunningTask(config, ledger);
        started.add(run);
        return run;
    }

    /** The task ledger, in memory: each catchUp hands over what was added since the last. */
    private static final class MemoryLedger implements TaskLedger.Source {
        private final List<LedgerEntry> entries = new ArrayList<>();
        private int read;

        synchronized void add(LedgerEntry entry) {
            entries.add(entry);
        }

        @Override
        public synchronized void catchUp(BiConsumer<String, LedgerEntry> each) {
            while (read < entries.size()) {
                LedgerEntry entry = entries.get(read++);
                each.accept(entry.ledgerKey(), entry);
            }
        }

        @Override
        public synchronized void rewind() {
            read = 0;
        }
    }

    private static final class RunningTask {
        final MemoryLedger ledger = new MemoryLedger();
        /** Not auto-completed: an audit record counts as written only once the task flushed it. */
        final MockProducer<String, String> audit;
        final List<SinkRecord> deadLetters = new ArrayList<>();
        final List<Throwable> deadLetterReasons = new ArrayList<>();
        final List<Long> backoffs = new ArrayList<>();
        final InforSinkTask task;

        RunningTask(Map<String, String> config, LedgerEntry... entries) {
            this(config, new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()), entries);
        }

        RunningTask(Map<String, String> config, MockProducer<String, String> audit, LedgerEntry... entries) {
            this.audit = audit;
            for (LedgerEntry entry : entries) {
                ledger.add(entry);
            }
            task = new InforSinkTask((settings, clientId) -> ledger, settings -> audit);
            task.initialize(new Context());
            task.start(config);
        }

        void put(SinkRecord... records) {
            task.put(List.of(records));
        }

        List<JsonNode> audited() {
            return audit.history().stream().map(r -> {
                try {
                    return JSON.readTree(r.value());
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }

        JsonNode onlyAudited() {
            List<JsonNode> all = audited();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }

        private final class Context implements SinkTaskContext {
            @Override
            public Map<String, String> configs() {
                return Map.of();
            }

            @Override
            public void offset(Map<TopicPartition, Long> offsets) {
            }

            @Override
            public void offset(TopicPartition tp, long offset) {
            }

            @Override
            public void timeout(long timeoutMs) {
                backoffs.add(timeoutMs);
            }

            @Override
            public Set<TopicPartition> assignment() {
                return Set.of(new TopicPartition(EVENTS, 0), new TopicPartition(EVENTS, 1));
            }

            @Override
            public void pause(TopicPartition... partitions) {
            }

            @Override
            public void resume(TopicPartition... partitions) {
            }

            @Override
            public void requestCommit() {
            }

            @Override
            public ErrantRecordReporter errantRecordReporter() {
                return (record, error) -> {
                    deadLetters.add(record);
                    deadLetterReasons.add(error);
                    Future<Void> done = CompletableFuture.completedFuture(null);
                    return done;
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        }
    }

    // ---- what is written back ----

    @Test
    void anApproversCompletionIsWrittenBackToTheLedgersRecordAndAudited() throws Exception {
        String puno = purchaseOrder("50");
        String decoy = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        Map<String, Object> event = event(task, APPROVER, "completed", true, "Pending");
        // a record named in the event itself is not trusted: the ledger says which record the task stands for
        event.put("record", Map.of("company", "100", "entity", "purchase-orders", "number", decoy));

        run.put(record(event, 0, 10));

        assertTrue(run.audit.flushed(), "put returns only once its audit records are flushed");
        JsonNode audited = run.onlyAudited();
        assertEquals("APPLIED", audited.path("outcome").asText());
        assertEquals("approve-po", audited.path("rule").asText());
        assertEquals("M3 CUSEXTMI/AddFieldValue", audited.path("action").asText());
        assertEquals("m3", audited.path("backend").asText());
        assertEquals(puno, audited.path("reference").asText());
        assertEquals(puno, audited.path("record").path("number").asText());
        assertEquals(APPROVER, audited.path("decided_by").asText());
        assertEquals(puno, run.audit.history().get(0).key());
        List<Map<String, String>> rows = approvals(puno);
        assertEquals(1, rows.size());
        assertEquals("APPROVED", rows.get(0).get("A030"));
        assertEquals(APPROVER, rows.get(0).get("A130"));
        assertEquals(List.of(), approvals(decoy));
        assertEquals(List.of(), run.deadLetters);
    }

    @Test
    void aSupplierInvoiceIsWrittenBackByTheRuleForItsLedgerEntityAndState() {
        String inbn = invoiceBatch("90");
        String jrno = String.valueOf(9_000 + NEXT.incrementAndGet());
        control.m3Insert("FPLEDG", Map.ofEntries(Map.entry("CONO", "100"), Map.entry("DIVI", "AAA"),
                Map.entry("YEA4", "2024"), Map.entry("JRNO", jrno), Map.entry("JSNO", "1"), Map.entry("SPYN", "S00001"),
                Map.entry("SUNO", "S00001"), Map.entry("SINO", "INV-" + inbn), Map.entry("INYR", "2024"),
                Map.entry("APRV", "0"), Map.entry("PYST", "0")));
        String task = taskGid();
        long adds = sim.log().calls("m3.CUSEXTMI.AddFieldValue");
        RunningTask run = startTask(made(task, "supplier-invoices", "AAA", inbn));

        // approve-invoice writes entered batches (SUPA 10) only and leaves this posted one to the next rule
        run.put(completed(task, APPROVER, 10));

        JsonNode audited = run.onlyAudited();
        assertEquals("APPLIED", audited.path("outcome").asText(), audited.toString());
        assertEquals("approve-posted-invoice", audited.path("rule").asText());
        assertEquals("M3 APS110MI/ApproveInvoice", audited.path("action").asText());
        assertEquals("1", control.m3Rows("FPLEDG", Map.of("JRNO", jrno)).get(0).get("APRV"));
        assertEquals(adds, sim.log().calls("m3.CUSEXTMI.AddFieldValue"), "the purchase order rule is not for invoices");
    }

    @Test
    void aCompletionFoundByReconciliationIsDecidedByWhoCompletedTheTask() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        Map<String, Object> event = event(task, null, null, true, "Pending");
        event.put("origin", "reconcile");
        @SuppressWarnings("unchecked")
        Map<String, Object> taskFields = (Map<String, Object>) event.get("task");
        taskFields.put("completed_by_gid", APPROVER);

        run.put(record(event, 0, 10));

        JsonNode audited = run.onlyAudited();
        assertEquals("APPLIED", audited.path("outcome").asText(), audited.toString());
        assertEquals(APPROVER, audited.path("decided_by").asText());
        assertEquals(1, approvals(puno).size());
    }

    @Test
    void aTaskAddedToTheLedgerAfterTheSinkStartedIsWrittenBack() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask();
        run.put(completed(task, APPROVER, 10));
        assertEquals("NOT_OURS", run.onlyAudited().path("outcome").asText());

        run.ledger.add(made(task, "purchase-orders", null, puno));
        run.put(completed(task, APPROVER, 11));

        assertEquals("APPLIED", run.audited().get(1).path("outcome").asText(), run.audited().toString());
        assertEquals(1, approvals(puno).size());
    }

    // ---- what is skipped, and why ----

    @Test
    void eventsThatAreNoApprovalAreNeitherWrittenBackNorAudited() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        long calls = m3Calls();
        Map<String, Object> createdComplete = event(task, APPROVER, null, true, "Pending");
        createdComplete.put("action", "added");

        run.put(record(event(task, APPROVER, "name", true, "Pending"), 0, 10),
                record(event(task, APPROVER, "completed", false, "Pending"), 0, 11),
                record(createdComplete, 0, 12));

        assertEquals(List.of(), run.audited());
        assertEquals(calls, m3Calls());
        assertEquals(List.of(), approvals(puno));
    }

    @Test
    void aRejectionInAsanaIsAuditedByTheAuditOnlyRuleWithoutACallToM3() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        long calls = m3Calls();

        run.put(record(event(task, APPROVER, "custom_fields", false, "Rejected"), 0, 10));

        JsonNode audited = run.onlyAudited();
        assertEquals("NO_WRITE_PATH", audited.path("outcome").asText());
        assertEquals("record-rejection", audited.path("rule").asText());
        assertEquals(puno, audited.path("reference").asText());
        assertEquals(calls, m3Calls());
    }

    @Test
    void aTaskTheConnectorsDidNotMakeIsAuditedNotOursAndNothingIsWritten() {
        String puno = purchaseOrder("50");
        String unknown = taskGid();
        String adopted = taskGid();
        // a task a ledger rebuild adopted, whose record is not known yet
        LedgerEntry noRecord = new LedgerEntry("1200000000000500", "100-purchase-orders-" + puno, adopted, null,
                CONNECTOR_USER, null, Map.of(), Instant.now());
        RunningTask run = startTask(noRecord);
        long calls = m3Calls();
        Map<String, Object> claims = event(unknown, APPROVER, "completed", true, "Pending");
        claims.put("record", Map.of("company", "100", "entity", "purchase-orders", "number", puno));

        run.put(record(claims, 0, 10), completed(adopted, APPROVER, 11));

        List<JsonNode> audited = run.audited();
        assertEquals(2, audited.size());
        for (JsonNode one : audited) {
            assertEquals("NOT_OURS", one.path("outcome").asText(), one.toString());
            assertTrue(one.path("message").asText().contains("is not in the task ledger"), one.toString());
            assertEquals("", one.path("reference").asText());
        }
        assertEquals(calls, m3Calls());
        assertEquals(List.of(), approvals(puno));
        assertEquals(List.of(), run.deadLetters, "a refusal before CloudSuite is no CloudSuite rejection");
    }

    @Test
    void aCompletionByTheConnectorsOwnUserIsNotADecision() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        long calls = m3Calls();

        run.put(completed(task, CONNECTOR_USER, 10));

        JsonNode audited = run.onlyAudited();
        assertEquals("NOT_A_DECISION", audited.path("outcome").asText());
        assertEquals(puno, audited.path("reference").asText());
        assertEquals(CONNECTOR_USER, audited.path("decided_by").asText());
        assertEquals(calls, m3Calls());
        assertEquals(List.of(), approvals(puno));
    }

    @Test
    void aCompletionBySomeoneWhoIsNoApproverOrByNoOneKnownIsNotAllowed() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        long calls = m3Calls();

        run.put(completed(task, MEMBER, 10), completed(task, null, 11));

        List<JsonNode> audited = run.audited();
        assertEquals(2, audited.size());
        assertEquals("NOT_ALLOWED", audited.get(0).path("outcome").asText());
        assertEquals("Asana user " + MEMBER + " is not among the approvers", audited.get(0).path("message").asText());
        assertEquals("NOT_ALLOWED", audited.get(1).path("outcome").asText());
        assertTrue(audited.get(1).path("message").asText().contains("does not say who made this change"),
                audited.get(1).toString());
        assertEquals(calls, m3Calls());
        assertEquals(List.of(), approvals(puno));
    }

    @Test
    void anApprovalAlreadyInM3IsAuditedAlreadyAppliedAndNotAddedAgain() {
        String puno = purchaseOrder("50");
        control.m3Insert("CUGEX1", Map.of("CONO", "100", "FILE", "MPHEAD", "PK01", puno, "A030", "APPROVED"));
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        long adds = sim.log().calls("m3.CUSEXTMI.AddFieldValue");

        run.put(completed(task, APPROVER, 10));

        assertEquals("ALREADY_APPLIED", run.onlyAudited().path("outcome").asText());
        assertEquals(adds, sim.log().calls("m3.CUSEXTMI.AddFieldValue"));
        assertEquals(List.of(), run.deadLetters);
    }

    @Test
    void aWritebackM3RejectsIsAuditedAndSentToTheDeadLetterQueue() {
        String puno = purchaseOrder("50");
        control.m3Insert("CUGEX1", Map.of("CONO", "100", "FILE", "MPHEAD", "PK01", puno, "A030", "REJECTED"));
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        SinkRecord completion = completed(task, APPROVER, 10);

        run.put(completion);

        JsonNode audited = run.onlyAudited();
        assertEquals("REJECTED", audited.path("outcome").asText());
        assertTrue(audited.path("message").asText().contains("Record already exists"), audited.toString());
        assertEquals(List.of(completion), run.deadLetters);
        String reason = run.deadLetterReasons.get(0).getMessage();
        assertTrue(reason.contains(puno) && reason.contains("approve-po") && reason.contains("Record already exists"),
                reason);
    }

    @Test
    void anInvoiceInAStateNoRuleWritesIsAuditedRejectedWithTheLastRulesReason() {
        String inbn = invoiceBatch("15");
        String task = taskGid();
        RunningTask run = startTask(made(task, "supplier-invoices", "AAA", inbn));

        run.put(completed(task, APPROVER, 10));

        JsonNode audited = run.onlyAudited();
        assertEquals("REJECTED", audited.path("outcome").asText());
        assertEquals("approve-posted-invoice", audited.path("rule").asText());
        assertTrue(audited.path("message").asText().contains("SUPA=15"), audited.toString());
        assertEquals(1, run.deadLetters.size());
        assertEquals("15", control.m3Rows("FAPIBH", Map.of("INBN", inbn)).get(0).get("SUPA"));
    }

    // ---- redelivery ----

    @Test
    void afterAnOutageTheRedeliveredBatchSkipsWhatWasAlreadyWrittenBackAndAudited() {
        String puno = purchaseOrder("50");
        String inbn = invoiceBatch("10");
        String poTask = taskGid();
        String invoiceTask = taskGid();
        RunningTask run = startTask(made(poTask, "purchase-orders", null, puno),
                made(invoiceTask, "supplier-invoices", "AAA", inbn));
        List<SinkRecord> batch = List.of(completed(poTask, APPROVER, 10), completed(invoiceTask, APPROVER, 11));
        sim.faults().add(FaultRule.status("m3.APS450MI.GetHead", 501, 1)); // a failure the retry policy does not repeat

        assertThrows(RetriableException.class, () -> run.task.put(batch));
        assertEquals(List.of(1234L), run.backoffs, "Connect waits retry.backoff.ms before it redelivers");
        assertEquals(List.of("APPLIED"), run.audited().stream().map(a -> a.path("outcome").asText()).toList(),
                "what was written back before the outage is audited");
        long checks = sim.log().calls("m3.CUSEXTMI.GetFieldValue");

        run.task.put(batch);

        List<JsonNode> audited = run.audited();
        assertEquals(2, audited.size(), audited.toString());
        assertEquals(puno, audited.get(0).path("reference").asText());
        assertEquals(inbn, audited.get(1).path("reference").asText());
        assertEquals("APPLIED", audited.get(1).path("outcome").asText());
        assertEquals(checks, sim.log().calls("m3.CUSEXTMI.GetFieldValue"), "the purchase order is not checked again");
        assertEquals("20", control.m3Rows("FAPIBH", Map.of("INBN", inbn)).get(0).get("SUPA"));
    }

    @Test
    void aRecordDeliveredAgainIsSkippedUntilItsPartitionIsClosed() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        RunningTask run = startTask(made(task, "purchase-orders", null, puno));
        SinkRecord completion = completed(task, APPROVER, 10);
        run.put(completion);
        long calls = m3Calls();

        run.put(completion);
        assertEquals(1, run.audited().size(), "written back and audited already: skipped");
        assertEquals(calls, m3Calls());

        // after a rebalance the partition may come back with older offsets: nothing is skipped any more
        run.task.close(List.of(new TopicPartition(EVENTS, 0)));
        run.put(completion);
        assertEquals(List.of("APPLIED", "ALREADY_APPLIED"),
                run.audited().stream().map(a -> a.path("outcome").asText()).toList());
    }

    @Test
    void whatOnePartitionAlreadyWroteDoesNotSkipAnotherPartitionsRecords() {
        String first = purchaseOrder("50");
        String second = purchaseOrder("50");
        String firstTask = taskGid();
        String secondTask = taskGid();
        RunningTask run = startTask(made(firstTask, "purchase-orders", null, first),
                made(secondTask, "purchase-orders", null, second));

        run.put(completed(firstTask, APPROVER, 10));
        run.put(record(event(secondTask, APPROVER, "completed", true, "Pending"), 1, 3));

        assertEquals(List.of("APPLIED", "APPLIED"), run.audited().stream().map(a -> a.path("outcome").asText()).toList());
        assertEquals(1, approvals(second).size());
    }

    @Test
    void anAuditRecordKafkaDidNotTakeFailsTheBatchSoItsOffsetsAreNotCommitted() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        TimeoutException notTaken = new TimeoutException("broker unreachable");
        MockProducer<String, String> failing = new MockProducer<>(false, null, new StringSerializer(),
                new StringSerializer()) {
            @Override
            public synchronized void flush() {
                while (errorNext(notTaken)) {
                    // every unacknowledged audit record fails
                }
            }
        };
        RunningTask run = new RunningTask(config(), failing, made(task, "purchase-orders", null, puno));
        started.add(run);

        RetriableException e = assertThrows(RetriableException.class, () -> run.put(completed(task, APPROVER, 10)));

        assertSame(notTaken, e.getCause());
    }

    @Test
    void anOutcomeWhoseAuditRecordKafkaDidNotTakeIsAuditedWhenTheBatchComesAgain() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        java.util.concurrent.atomic.AtomicBoolean brokerDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        MockProducer<String, String> flaky = new MockProducer<>(false, null, new StringSerializer(),
                new StringSerializer()) {
            @Override
            public synchronized void flush() {
                if (brokerDown.get()) {
                    while (errorNext(new TimeoutException("broker unreachable"))) {
                        // every unacknowledged audit record fails
                    }
                } else {
                    super.flush();
                }
            }
        };
        RunningTask run = new RunningTask(config(), flaky, made(task, "purchase-orders", null, puno));
        started.add(run);
        SinkRecord completion = completed(task, APPROVER, 10);

        assertThrows(RetriableException.class, () -> run.put(completion));
        brokerDown.set(false);
        run.put(completion);

        List<org.apache.kafka.clients.producer.ProducerRecord<String, String>> sent = flaky.history();
        assertEquals(2, sent.size(), "the outcome is audited again, not skipped as written back");
        assertEquals("ALREADY_APPLIED", run.audited().get(1).path("outcome").asText());
        assertEquals(1, approvals(puno).size(), "and not written to M3 twice");
    }

    @Test
    void aRuleNamingAFieldCloudSuiteDoesNotAnswerFailsTheTaskNamingTheRule() {
        String puno = purchaseOrder("50");
        String task = taskGid();
        Map<String, String> config = config();
        config.put("writeback.rule.approve-po.state.allowed", "PUSX=05..80"); // PPS001MI answers PUST
        RunningTask run = startTask(config, made(task, "purchase-orders", null, puno));

        ConnectException e = assertThrows(ConnectException.class, () -> run.put(completed(task, APPROVER, 10)));

        assertTrue(e.getMessage().startsWith("writeback rule approve-po (M3 CUSEXTMI/AddFieldValue) names what "
                + "CloudSuite's answer does not hold: field PUSX is not in this record"), e.getMessage());
        assertEquals(List.of(), approvals(puno));
    }
}
