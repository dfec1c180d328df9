package io.mlconnector.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.ledger.RecordIdentity;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.IonException;
import io.mlconnector.infor.M3TransactionException;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.simulators.ion.IonSimulator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** M3 writebacks against the ION simulator: what is read, what is sent, and what is refused. */
class M3WritebackTest {

    private static final String APPROVER = "1200000000000042";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static IonSimulator sim;
    private static IonClient ion;
    private static SimControl control;

    @BeforeAll
    static void start() throws Exception {
        control = SimControl.start(5, 5, 5);
        sim = control.sim;
        ion = control.ion;
    }

    @AfterAll
    static void stop() {
        control.close();
    }

    @AfterEach
    void noFaultLeft() {
        sim.faults().clear();
    }

    /** The purchase order approval of the M3 example configuration. */
    private static Map<String, String> approvePo() {
        Map<String, String> rule = new HashMap<>();
        rule.put("when", "completed");
        rule.put("action", "m3");
        rule.put("state.transaction", "PPS001MI/GetHeadBasic");
        rule.put("state.fields", "PUNO=${record.number}");
        rule.put("state.allowed", "PUST=05..80");
        rule.put("m3.transaction", "CUSEXTMI/AddFieldValue");
        rule.put("m3.fields", "FILE=MPHEAD,PK01=${record.number},A030=APPROVED,A130=${user_gid}");
        rule.put("check.transaction", "CUSEXTMI/GetFieldValue");
        rule.put("check.fields", "FILE=MPHEAD,PK01=${record.number}");
        rule.put("check.applied", "A030=APPROVED");
        return rule;
    }

    /** An entered supplier-invoice batch approved with APS450MI; its state read is also its check. */
    private static Map<String, String> approveInvoice() {
        Map<String, String> rule = new HashMap<>();
        rule.put("when", "completed");
        rule.put("action", "m3");
        rule.put("state.transaction", "APS450MI/GetHead");
        rule.put("state.fields", "INBN=${record.number}");
        rule.put("state.allowed", "SUPA=10");
        rule.put("m3.transaction", "APS450MI/ApproveInvoice");
        rule.put("m3.fields", "INBN=${record.number}");
        rule.put("check.transaction", "APS450MI/GetHead");
        rule.put("check.fields", "INBN=${record.number}");
        rule.put("check.applied", "SUPA=20");
        return rule;
    }

    private static M3Writeback writeback(Map<String, String> rule, String company, String division) {
        RuleConfig config = new RuleConfig(rule);
        M3Writeback.check("r", config);
        return new M3Writeback("r", config, ion.m3(), company, division);
    }

    /** A task event as the sink sees it: the webhook's fields and the ledger's record. */
    private static RecordView event(String company, String division, String entity, String number) {
        Map<String, Object> value = new HashMap<>();
        value.put("event_id", "evt-" + NEXT.incrementAndGet());
        value.put("task_gid", "1201");
        value.put("user_gid", APPROVER);
        return new RecordView(new SinkRecord("asana.task-events", 0, null, "1201", null, value, 0))
                .with("record", new RecordIdentity("m3", "ACME_TST", company, division, entity, number).fields());
    }

    private static String purchaseOrder(String company, String status) {
        return control.m3Insert("MPHEAD", Map.of("CONO", company, "DIVI", company.equals("100") ? "AAA" : "CCC",
                "SUNO", "S00001", "PUST", status, "PUSL", status)).get("PUNO");
    }

    private static String invoiceBatch(String division, String status) {
        String inbn = String.valueOf(7_000_000 + NEXT.incrementAndGet());
        control.m3Insert("FAPIBH", Map.of("CONO", "100", "DIVI", division, "INBN", inbn, "SUPA", status,
                "SUNO", "S00001", "SPYN", "S00001", "SINO", "INV-" + inbn, "IVDT", "20240502", "YEA4", "2024"));
        return inbn;
    }

    private static List<Map<String, String>> approvals(String company, String puno) {
        return control.m3Rows("CUGEX1", Map.of("CONO", company, "FILE", "MPHEAD", "PK01", puno));
    }

    private static long adds() {
        return sim.log().calls("m3.CUSEXTMI.AddFieldValue");
    }

    @Test
    void anApprovalAddsTheApprovedFieldValueToTheLedgersPurchaseOrder() {
        String puno = purchaseOrder("100", "50");
        long addsBefore = adds();

        Outcome outcome = writeback(approvePo(), "100", "").apply(event("100", "AAA", "purchase-orders", puno));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals("M3 accepted CUSEXTMI/AddFieldValue", outcome.message());
        assertEquals(addsBefore + 1, adds());
        List<Map<String, String>> rows = approvals("100", puno);
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("APPROVED", rows.get(0).get("A030"));
        assertEquals(APPROVER, rows.get(0).get("A130"), "who decided");
    }

    @Test
    void aReplayFindsTheApprovalInPlaceAndAddsNothing() {
        String puno = purchaseOrder("100", "50");
        M3Writeback writeback = writeback(approvePo(), "100", "");
        assertEquals(Outcome.Kind.APPLIED, writeback.apply(event("100", "AAA", "purchase-orders", puno)).kind());
        long addsBefore = adds();

        Outcome replay = writeback.apply(event("100", "AAA", "purchase-orders", puno));

        assertEquals(Outcome.Kind.ALREADY_APPLIED, replay.kind(), replay.message());
        assertEquals("CUSEXTMI/GetFieldValue shows the change in place", replay.message());
        assertEquals(addsBefore, adds(), "M3's Add is not idempotent: a replay must not send it");
        assertEquals(1, approvals("100", puno).size());
    }

    @Test
    void aPurchaseOrderDecidedOtherwiseInM3IsRejectedWithM3sMessage() {
        String puno = purchaseOrder("100", "50");
        control.m3Insert("CUGEX1", Map.of("CONO", "100", "FILE", "MPHEAD", "PK01", puno, "A030", "REJECTED"));

        Outcome outcome = writeback(approvePo(), "100", "").apply(event("100", "AAA", "purchase-orders", puno));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertTrue(outcome.message().contains("Record already exists"), outcome.message());
        assertEquals("REJECTED", approvals("100", puno).get(0).get("A030"), "the decision made in M3 stands");
    }

    @Test
    void aPurchaseOrderOutsideTheAllowedStatesIsRejectedWithTheReasonAndNothingIsSent() {
        String puno = purchaseOrder("100", "85");
        long addsBefore = adds();

        Outcome outcome = writeback(approvePo(), "100", "").apply(event("100", "AAA", "purchase-orders", puno));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertFalse(outcome.nextRule(), "state.otherwise defaults to reject");
        assertTrue(outcome.message().contains(puno) && outcome.message().contains("PUST=85")
                && outcome.message().contains("5..80"), outcome.message());
        assertEquals(addsBefore, adds());
        assertEquals(List.of(), approvals("100", puno));
    }

    @Test
    void withOtherwiseNextRuleARecordInAnotherStateIsLeftToTheNextRule() {
        String puno = purchaseOrder("100", "85");
        Map<String, String> rule = approvePo();
        rule.put("state.otherwise", "next-rule");

        Outcome outcome = writeback(rule, "100", "").apply(event("100", "AAA", "purchase-orders", puno));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertTrue(outcome.nextRule());
        assertEquals(List.of(), approvals("100", puno));
    }

    @Test
    void aPurchaseOrderM3DoesNotHaveIsRejectedWithTheStateReadsMessage() {
        long addsBefore = adds();

        Outcome outcome = writeback(approvePo(), "100", "").apply(event("100", "AAA", "purchase-orders", "3999999999"));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertTrue(outcome.message().startsWith("PPS001MI/GetHeadBasic: ")
                && outcome.message().contains("3999999999 does not exist"), outcome.message());
        assertEquals(addsBefore, adds());
    }

    @Test
    void theRecordsOwnCompanyWinsOverTheConfiguredOne() {
        String puno = purchaseOrder("200", "50");

        Outcome outcome = writeback(approvePo(), "100", "").apply(event("200", null, "purchase-orders", puno));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals(1, approvals("200", puno).size());
        assertEquals(List.of(), approvals("100", puno));
    }

    @Test
    void anEventWhoseRecordNamesNoCompanyIsWrittenInTheConfiguredCompany() {
        String puno = purchaseOrder("200", "50");

        Outcome outcome = writeback(approvePo(), "200", "").apply(event(null, null, "purchase-orders", puno));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals(1, approvals("200", puno).size());
    }

    @Test
    void anInvoiceIsApprovedInTheRecordsOwnDivisionReadingItsStateOnce() {
        // BBB is not company 100's default division: without the record's division M3 would not find the batch
        String inbn = invoiceBatch("BBB", "10");
        long reads = sim.log().calls("m3.APS450MI.GetHead");

        Outcome outcome = writeback(approveInvoice(), "100", "").apply(event("100", "BBB", "supplier-invoices", inbn));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals("M3 accepted APS450MI/ApproveInvoice", outcome.message());
        assertEquals("20", control.m3Rows("FAPIBH", Map.of("DIVI", "BBB", "INBN", inbn)).get(0).get("SUPA"));
        assertEquals(reads + 1, sim.log().calls("m3.APS450MI.GetHead"), "the check that is the state read is not sent again");
    }

    @Test
    void aReplayOfAnApprovedInvoiceIsAlreadyAppliedNotRefusedForItsNewState() {
        String inbn = invoiceBatch("AAA", "10");
        M3Writeback writeback = writeback(approveInvoice(), "100", "");
        assertEquals(Outcome.Kind.APPLIED, writeback.apply(event("100", "AAA", "supplier-invoices", inbn)).kind());
        long approvals = sim.log().calls("m3.APS450MI.ApproveInvoice");

        // SUPA is now 20, which state.allowed (SUPA=10) would refuse: the check comes first
        Outcome replay = writeback.apply(event("100", "AAA", "supplier-invoices", inbn));

        assertEquals(Outcome.Kind.ALREADY_APPLIED, replay.kind(), replay.message());
        assertEquals(approvals, sim.log().calls("m3.APS450MI.ApproveInvoice"));
    }

    @Test
    void aPostedInvoiceIsApprovedWithTheFieldsItsStateReadFound() {
        String inbn = invoiceBatch("AAA", "90");
        String jrno = String.valueOf(9_000 + NEXT.incrementAndGet());
        control.m3Insert("FPLEDG", Map.ofEntries(Map.entry("CONO", "100"), Map.entry("DIVI", "AAA"),
                Map.entry("YEA4", "2024"), Map.entry("JRNO", jrno), Map.entry("JSNO", "1"), Map.entry("SPYN", "S00001"),
                Map.entry("SUNO", "S00001"), Map.entry("SINO", "INV-" + inbn), Map.entry("INYR", "2024"),
                Map.entry("APRV", "0"), Map.entry("PYST", "0")));
        Map<String, String> rule = new HashMap<>();
        rule.put("when", "completed");
        rule.put("action", "m3");
        rule.put("state.transaction", "APS450MI/GetHead");
        rule.put("state.fields", "INBN=${record.number}");
        rule.put("state.allowed", "SUPA=90");
        rule.put("m3.transaction", "APS110MI/ApproveInvoice");
        rule.put("m3.fields", "DIVI=${record.division},SUNO=${state.SUNO},SINO=${state.SINO},INYR=${state.IVDT|year}");
        rule.put("check.transaction", "APS200MI/GetInvTotInfo");
        rule.put("check.fields", "DIVI=${record.division},SPYN=${state.SPYN},SUNO=${state.SUNO},SINO=${state.SINO},"
                + "INYR=${state.IVDT|year}");
        rule.put("check.applied", "APRV=1");
        M3Writeback writeback = writeback(rule, "100", "");

        Outcome outcome = writeback.apply(event("100", "AAA", "supplier-invoices", inbn));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals("1", control.m3Rows("FPLEDG", Map.of("JRNO", jrno)).get(0).get("APRV"));
        assertEquals(Outcome.Kind.ALREADY_APPLIED, writeback.apply(event("100", "AAA", "supplier-invoices", inbn)).kind());
    }

    @Test
    void aTransactionM3RefusesIsRejectedWithM3sErrorText() {
        String inbn = invoiceBatch("AAA", "90");
        Map<String, String> rule = new HashMap<>();
        rule.put("when", "completed");
        rule.put("action", "m3");
        rule.put("m3.transaction", "APS450MI/ApproveInvoice");
        rule.put("m3.fields", "INBN=${record.number}");

        Outcome outcome = writeback(rule, "100", "AAA").apply(event("100", null, "supplier-invoices", inbn));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertTrue(outcome.message().contains("WAP0121") && outcome.message().contains("can no longer be approved"),
                outcome.message());
    }

    @Test
    void anOutageOfTheCheckIsNotTakenForNotAppliedAndSendsNoAdd() {
        String puno = purchaseOrder("100", "50");
        sim.faults().add(FaultRule.status("m3.CUSEXTMI.GetFieldValue", 501, 1)); // a failure the retry policy does not repeat
        long addsBefore = adds();

        IonException outage = assertThrows(IonException.class,
                () -> writeback(approvePo(), "100", "").apply(event("100", "AAA", "purchase-orders", puno)));

        assertFalse(outage instanceof M3TransactionException, outage.toString());
        assertEquals(addsBefore, adds());
    }

    @Test
    void anOutageOfTheTransactionIsNotTakenForARejection() {
        String puno = purchaseOrder("100", "50");
        sim.faults().add(FaultRule.status("m3.CUSEXTMI.AddFieldValue", 500, 1));

        IonException outage = assertThrows(IonException.class,
                () -> writeback(approvePo(), "100", "").apply(event("100", "AAA", "purchase-orders", puno)));

        assertFalse(outage instanceof M3TransactionException, outage.toString());
    }

    @Test
    void describeNamesTheTransaction() {
        assertEquals("M3 CUSEXTMI/AddFieldValue", writeback(approvePo(), "100", "").describe());
    }

    @Test
    void anAddTransactionWithoutACheckIsRefusedOnTheCheckSetting() {
        Map<String, String> rule = approvePo();
        rule.remove("check.transaction");
        rule.remove("check.fields");
        rule.remove("check.applied");

        ConfigException e = assertThrows(ConfigException.class, () -> M3Writeback.check("approve-po", new RuleConfig(rule)));

        assertTrue(e.getMessage().contains("writeback.rule.approve-po.check.transaction")
                && e.getMessage().contains("not make idempotent"), e.getMessage());
    }

    @Test
    void allowedStatesWithoutAStateReadAreRefused() {
        Map<String, String> rule = approvePo();
        rule.remove("state.transaction");
        rule.remove("state.fields");

        ConfigException e = assertThrows(ConfigException.class, () -> M3Writeback.check("approve-po", new RuleConfig(rule)));

        assertTrue(e.getMessage().contains("writeback.rule.approve-po.state.transaction"), e.getMessage());
    }

    @Test
    void stateFieldsInTheTransactionWithoutAStateReadAreRefused() {
        Map<String, String> rule = approvePo();
        rule.remove("state.transaction");
        rule.remove("state.fields");
        rule.remove("state.allowed");
        rule.put("m3.fields", "FILE=MPHEAD,PK01=${record.number},A030=${state.PUST}");

        ConfigException e = assertThrows(ConfigException.class, () -> M3Writeback.check("approve-po", new RuleConfig(rule)));

        assertTrue(e.getMessage().contains("writeback.rule.approve-po.m3.fields"), e.getMessage());
    }

    @Test
    void aTransactionThatIsNotProgramSlashTransactionIsRefused() {
        Map<String, String> rule = approvePo();
        rule.put("m3.transaction", "CUSEXTMI.AddFieldValue");

        ConfigException e = assertThrows(ConfigException.class, () -> M3Writeback.check("approve-po", new RuleConfig(rule)));

        assertTrue(e.getMessage().contains("writeback.rule.approve-po.m3.transaction"), e.getMessage());
    }
}
