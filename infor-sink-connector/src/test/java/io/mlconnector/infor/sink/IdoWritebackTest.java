package io.mlconnector.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.ledger.RecordIdentity;
import io.mlconnector.infor.IdoException;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.IonException;
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

/** SyteLine IDO writebacks against the ION simulator: which row is updated, with what, and what is refused. */
class IdoWritebackTest {

    private static final String APPROVER = "1200000000000042";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static IonSimulator sim;
    private static IonClient ion;
    private static SimControl control;
    private static String dals;
    private static String ohio;

    @BeforeAll
    static void start() throws Exception {
        control = SimControl.start(5, 5, 10);
        sim = control.sim;
        ion = control.ion;
        dals = sim.tenant() + "_DALS";
        ohio = sim.tenant() + "_OHIO";
    }

    @AfterAll
    static void stop() {
        control.close();
    }

    @AfterEach
    void noFaultLeft() {
        sim.faults().clear();
    }

    /** The purchase order approval of the SyteLine example configuration, plus who decided. */
    private static Map<String, String> approvePo() {
        Map<String, String> rule = new HashMap<>();
        rule.put("when", "completed");
        rule.put("action", "ido");
        rule.put("ido.name", "SLPos");
        rule.put("ido.key", "PoNum=${record.number}");
        rule.put("ido.properties", "Uf_ExtStatus=APPROVED,VendOrder=${user_gid}");
        return rule;
    }

    private static IdoWriteback writeback(Map<String, String> rule, String defaultSite) {
        RuleConfig config = new RuleConfig(rule);
        IdoWriteback.check("r", config);
        return new IdoWriteback("r", config, ion, defaultSite);
    }

    /** A task event as the sink sees it: the webhook's fields and the ledger's record, whose company is the site. */
    private static RecordView event(String site, String number) {
        Map<String, Object> value = new HashMap<>();
        value.put("event_id", "evt-" + NEXT.incrementAndGet());
        value.put("task_gid", "1201");
        value.put("user_gid", APPROVER);
        return new RecordView(new SinkRecord("asana.task-events", 0, null, "1201", null, value, 0))
                .with("record", new RecordIdentity("syteline", "ACME_TST", site, null, "purchase-orders", number).fields());
    }

    private static String purchaseOrder(String site, String stat) {
        String poNum = "TPO" + NEXT.incrementAndGet();
        control.idoInsert(site, "SLPos", Map.of("PoNum", poNum, "Stat", stat, "VendNum", "V000001"));
        return poNum;
    }

    private static Map<String, String> row(String site, String poNum) {
        List<Map<String, String>> rows = control.idoRows(site, "SLPos", "PoNum", poNum);
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    private static long writes() {
        return sim.log().counter("ido.writes.SLPos");
    }

    @Test
    void anApprovalSetsThePropertiesOnTheRowItsKeyFindsInTheRecordsSite() {
        String poNum = purchaseOrder(dals, "O");
        String neighbour = purchaseOrder(dals, "O");
        long writesBefore = writes();

        Outcome outcome = writeback(approvePo(), dals).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals("SLPos update", outcome.message());
        assertEquals(writesBefore + 1, writes());
        Map<String, String> updated = row(dals, poNum);
        assertEquals("APPROVED", updated.get("Uf_ExtStatus"));
        assertEquals(APPROVER, updated.get("VendOrder"));
        assertEquals("V000001", updated.get("VendNum"), "properties the rule does not name stay");
        assertNull(row(dals, neighbour).get("Uf_ExtStatus"), "only the keyed row changes");
    }

    @Test
    void aRowThatAlreadyHoldsTheValuesIsLeftAlone() {
        String poNum = purchaseOrder(dals, "O");
        IdoWriteback writeback = writeback(approvePo(), dals);
        assertEquals(Outcome.Kind.APPLIED, writeback.apply(event(dals, poNum)).kind());
        String recordDate = row(dals, poNum).get("RecordDate");
        long writesBefore = writes();

        Outcome replay = writeback.apply(event(dals, poNum));

        assertEquals(Outcome.Kind.ALREADY_APPLIED, replay.kind(), replay.message());
        assertTrue(replay.message().startsWith("SLPos row already holds"), replay.message());
        assertEquals(writesBefore, writes());
        assertEquals(recordDate, row(dals, poNum).get("RecordDate"));
    }

    @Test
    void theRecordsOwnSiteWinsOverTheConfiguredSite() {
        String poNum = purchaseOrder(ohio, "O");

        Outcome outcome = writeback(approvePo(), dals).apply(event(ohio, poNum));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals("APPROVED", row(ohio, poNum).get("Uf_ExtStatus"));
    }

    @Test
    void anEventWhoseRecordNamesNoSiteIsWrittenInTheConfiguredSite() {
        String poNum = purchaseOrder(ohio, "O");

        Outcome outcome = writeback(approvePo(), ohio).apply(event(null, poNum));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals("APPROVED", row(ohio, poNum).get("Uf_ExtStatus"));
    }

    @Test
    void aKeyThatFindsNoRowIsRejected() {
        String poNum = purchaseOrder(ohio, "O");
        long writesBefore = writes();

        // the row exists, but in another site than the record's
        Outcome outcome = writeback(approvePo(), ohio).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertEquals("SLPos has no row with {PoNum=" + poNum + "}", outcome.message());
        assertEquals(writesBefore, writes());
    }

    @Test
    void aKeyThatFindsTwoRowsIsRejectedAndNeitherIsWritten() {
        String poNum = purchaseOrder(dals, "O");
        control.idoInsert(dals, "SLPos", Map.of("PoNum", poNum, "Stat", "O"));

        Outcome outcome = writeback(approvePo(), dals).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertEquals("SLPos has more than one row with {PoNum=" + poNum + "}", outcome.message());
        assertTrue(control.idoRows(dals, "SLPos", "PoNum", poNum).stream().allMatch(r -> r.get("Uf_ExtStatus") == null));
    }

    @Test
    void aKeyWithAQuoteFindsExactlyItsRow() {
        String poNum = "O'NEIL-" + NEXT.incrementAndGet();
        control.idoInsert(dals, "SLPos", Map.of("PoNum", poNum, "Stat", "O"));

        Outcome outcome = writeback(approvePo(), dals).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.APPLIED, outcome.kind(), outcome.message());
        assertEquals("APPROVED", row(dals, poNum).get("Uf_ExtStatus"));
    }

    @Test
    void aRowInAStateTheRuleDoesNotWriteIsRejectedWithTheReason() {
        String poNum = purchaseOrder(dals, "C");
        Map<String, String> rule = approvePo();
        rule.put("state.allowed", "Stat=O|P");
        long writesBefore = writes();

        Outcome outcome = writeback(rule, dals).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertFalse(outcome.nextRule());
        assertTrue(outcome.message().contains("SLPos row {PoNum=" + poNum + "} has Stat=C"), outcome.message());
        assertEquals(writesBefore, writes());
        assertNull(row(dals, poNum).get("Uf_ExtStatus"));
    }

    @Test
    void withOtherwiseNextRuleARowInAnotherStateIsLeftToTheNextRule() {
        String poNum = purchaseOrder(dals, "C");
        Map<String, String> rule = approvePo();
        rule.put("state.allowed", "Stat=O");
        rule.put("state.otherwise", "next-rule");

        Outcome outcome = writeback(rule, dals).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertTrue(outcome.nextRule());
        assertNull(row(dals, poNum).get("Uf_ExtStatus"));
    }

    @Test
    void aRowThatAlreadyHoldsTheValuesIsAlreadyAppliedEvenInAStateTheRuleWouldRefuse() {
        String poNum = purchaseOrder(dals, "O");
        assertEquals(Outcome.Kind.APPLIED, writeback(approvePo(), dals).apply(event(dals, poNum)).kind());
        Map<String, String> rule = approvePo();
        rule.put("state.allowed", "Stat=C");

        Outcome replay = writeback(rule, dals).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.ALREADY_APPLIED, replay.kind(), replay.message());
    }

    @Test
    void anIdoErrorIsRejectedWithMongoosesMessage() {
        String poNum = purchaseOrder(dals, "O");
        Map<String, String> rule = approvePo();
        rule.put("ido.properties", "Uf_NoSuchProperty=APPROVED");

        Outcome outcome = writeback(rule, dals).apply(event(dals, poNum));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind());
        assertTrue(outcome.message().contains("Uf_NoSuchProperty was not found"), outcome.message());
    }

    @Test
    void anOutageIsNotTakenForARejection() {
        String poNum = purchaseOrder(dals, "O");
        sim.faults().add(FaultRule.status("ido.update.SLPos", 501, 1)); // a server failure the retry policy does not repeat

        IonException outage = assertThrows(IonException.class,
                () -> writeback(approvePo(), dals).apply(event(dals, poNum)));

        assertFalse(outage instanceof IdoException, outage.toString());
        assertNull(row(dals, poNum).get("Uf_ExtStatus"));
    }

    @Test
    void describeNamesTheIdo() {
        assertEquals("IDO SLPos update", writeback(approvePo(), dals).describe());
    }

    @Test
    void aRuleWithoutAnIdoNameKeyOrPropertiesIsRefusedOnThatSetting() {
        Map<String, String> badName = approvePo();
        badName.put("ido.name", "SL Pos");
        Map<String, String> noKey = approvePo();
        noKey.remove("ido.key");
        Map<String, String> noProperties = approvePo();
        noProperties.remove("ido.properties");

        for (Map.Entry<String, Map<String, String>> bad : Map.of("ido.name", badName, "ido.key", noKey,
                "ido.properties", noProperties).entrySet()) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> IdoWriteback.check("approve-po", new RuleConfig(bad.getValue())), bad.getKey());
            assertTrue(e.getMessage().contains("writeback.rule.approve-po." + bad.getKey()), e.getMessage());
        }
    }

    @Test
    void anEventWithNoSiteAndNoConfiguredSiteIsRejectedWithoutACall() {
        long calls = sim.log().calls();

        Outcome outcome = writeback(approvePo(), "").apply(event(null, "TPO1"));

        assertEquals(Outcome.Kind.REJECTED, outcome.kind(), outcome.message());
        assertTrue(outcome.message().startsWith("the record names no SyteLine site"), outcome.message());
        assertEquals(calls, sim.log().calls());
    }
}
