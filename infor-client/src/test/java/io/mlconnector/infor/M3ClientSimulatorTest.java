package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every M3 transaction the connectors use, client against simulator, v2 unless said otherwise. */
class M3ClientSimulatorTest {

    private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
    private static IonSimulator sim;
    private static IonClient ion;
    private static M3Client m3;

    @BeforeAll
    static void start() throws Exception {
        sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(300, 300, 50));
        ion = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson())).tenantZone(STOCKHOLM).build();
        m3 = ion.m3();
    }

    @AfterAll
    static void stop() {
        ion.close();
        sim.close();
    }

    private static MiResponse run(String program, String transaction, String... fieldValues) {
        MiRequest.Builder b = MiRequest.builder(program, transaction);
        for (int i = 0; i < fieldValues.length; i += 2) {
            b.set(fieldValues[i], fieldValues[i + 1]);
        }
        return m3.execute(b.build());
    }

    private static String anyPuno() {
        return m3.exportSelect("IAPUNO from MPHEAD where IAPUST <= '35'", 1).get(0).get("IAPUNO");
    }

    @Test
    void pps200miHeadLinesAndUpdates() {
        String puno = anyPuno();
        MiRecord head = run("PPS200MI", "GetHead", "PUNO", puno).single();
        assertEquals(puno, head.get("PUNO"));
        List<MiRecord> lines = run("PPS200MI", "LstLine", "PUNO", puno).records();
        assertFalse(lines.isEmpty());
        BigDecimal sum = lines.stream().map(l -> l.decimal("LNAM")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(head.decimal("COAM")), "header total is the sum of exact line amounts");
        MiRecord line = run("PPS200MI", "GetLine", "PUNO", puno, "PNLI", lines.get(0).get("PNLI")).single();
        assertEquals(lines.get(0).get("ITNO"), line.get("ITNO"));

        Map<String, String> before = exportRow("IAPUNO,IALMDT,IACHNO,IALMTS,IAYRE1", "MPHEAD", "IAPUNO = '" + puno + "'");
        m3.execute(MiRequest.builder("PPS200MI", "UpdHead").set("PUNO", puno).set("YRE1", "ASANA-123").build());
        Map<String, String> after = exportRow("IAPUNO,IALMDT,IACHNO,IALMTS,IAYRE1", "MPHEAD", "IAPUNO = '" + puno + "'");
        assertEquals("ASANA-123", after.get("IAYRE1"));
        assertEquals((Integer.parseInt(before.get("IACHNO")) + 1) % 1000, Integer.parseInt(after.get("IACHNO")));
        assertEquals(LocalDate.now(STOCKHOLM).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE), after.get("IALMDT"));
        assertTrue(Long.parseLong(after.get("IALMTS")) > Long.parseLong(before.get("IALMTS")));

        m3.execute(MiRequest.builder("PPS200MI", "UpdLine").set("PUNO", puno).set("PNLI", lines.get(0).get("PNLI"))
                .set("PNLS", "0").set("PUPR", new BigDecimal("2.50")).set("ORQA", new BigDecimal("4")).build());
        assertEquals(new BigDecimal("10.00"), run("PPS200MI", "GetLine", "PUNO", puno, "PNLI", lines.get(0).get("PNLI")).single().decimal("LNAM"));
    }

    @Test
    void pps001miBasicHeadListsAndConfirmation() {
        String puno = anyPuno();
        MiRecord basic = run("PPS001MI", "GetHeadBasic", "PUNO", puno).single();
        String purc = basic.get("PURC");
        List<MiRecord> byBuyer = m3.execute(MiRequest.builder("PPS001MI", "ListHeadBasic").set("PURC", purc).maxRecords(0).build()).records();
        assertTrue(byBuyer.stream().anyMatch(r -> r.get("PUNO").equals(puno)));
        assertTrue(byBuyer.stream().allMatch(r -> r.get("PURC").equals(purc)));
        MiRecord line = run("PPS200MI", "LstLine", "PUNO", puno).records().get(0);
        List<MiRecord> lstLine = m3.execute(MiRequest.builder("PPS001MI", "LstLine").set("WHLO", line.get("WHLO"))
                .set("PURC", purc).maxRecords(0).build()).records();
        assertTrue(lstLine.stream().anyMatch(r -> r.get("PUNO").equals(puno)));

        m3.execute(MiRequest.builder("PPS001MI", "ConfirmLine").set("PUNO", puno).set("PNLI", line.get("PNLI")).set("PNLS", "0")
                .set("CODT", LocalDate.of(2030, 1, 15)).build());
        MiRecord confirmed = run("PPS001MI", "GetLine", "PUNO", puno, "PNLI", line.get("PNLI")).single();
        assertEquals("35", confirmed.get("PUST"));
        assertEquals(LocalDate.of(2030, 1, 15), confirmed.date("CODT"));
    }

    @Test
    void aps450miInvoiceBatchLifecycleMakesDuplicateAddsVisible() {
        String suno = run("CRS620MI", "LstSuppliers").records().get(0).get("SUNO");
        String spyn = run("CRS620MI", "GetBasicData", "SUNO", suno).single().get("PRSU");
        MiRequest add = MiRequest.builder("APS450MI", "AddHead").set("SUNO", suno).set("IVDT", LocalDate.of(2024, 5, 2))
                .set("SINO", "SUP-INV-77").set("CUAM", new BigDecimal("1250.00")).set("CORI", "msg-1").division("AAA").build();
        assertFalse(add.idempotent());
        long addsBefore = sim.log().calls("m3.APS450MI.AddHead");
        String inbn = m3.execute(add).single().get("INBN");
        String second = m3.execute(add).single().get("INBN");
        assertNotEquals(inbn, second, "AddHead is not idempotent: a repeat creates a second batch");
        assertEquals(addsBefore + 2, sim.log().calls("m3.APS450MI.AddHead"));
        List<MiRecord> found = m3.execute(MiRequest.builder("APS450MI", "LstInvBySupInv").set("SPYN", spyn).set("SUNO", suno)
                .set("SINO", "SUP-INV-77").division("AAA").build()).records();
        assertEquals(2, found.size(), "the duplicate check before AddHead sees both batches");

        assertEquals("1", m3.execute(MiRequest.builder("APS450MI", "AddLine").set("INBN", inbn).set("RDTP", "8")
                .set("NLAM", new BigDecimal("1000.00")).division("AAA").build()).single().get("TRNO"));
        assertEquals(1, m3.execute(MiRequest.builder("APS450MI", "LstLines").set("INBN", inbn).division("AAA").build()).records().size());
        m3.execute(MiRequest.builder("APS450MI", "UpdHead").set("INBN", inbn).set("CORI", "msg-1b").division("AAA").build());
        m3.execute(MiRequest.builder("APS450MI", "ApproveInvoice").set("INBN", inbn).division("AAA").build());
        MiRecord head = m3.execute(MiRequest.builder("APS450MI", "GetHead").set("INBN", inbn).division("AAA").build()).single();
        assertEquals("msg-1b", head.get("CORI"));
        assertEquals(new BigDecimal("1250.00"), head.decimal("CUAM"));
        assertTrue(m3.execute(MiRequest.builder("APS450MI", "LstInvBatchNo").set("SPYN", spyn).division("AAA").maxRecords(0).build())
                .records().stream().anyMatch(r -> r.get("INBN").equals(second)));
        m3.execute(MiRequest.builder("APS450MI", "DltInvoice").set("INBN", second).division("AAA").build());
        M3TransactionException gone = assertThrows(M3TransactionException.class,
                () -> m3.execute(MiRequest.builder("APS450MI", "GetHead").set("INBN", second).division("AAA").build()));
        assertEquals("INBN", gone.field());
    }

    @Test
    void aps110miApprovesAPostedInvoice() {
        Map<String, String> posted = m3.exportSelect("EPDIVI,EPSUNO,EPSINO,EPINYR,EPAPRV,EPCHNO from FPLEDG where EPAPRV = 0", 1).get(0);
        m3.execute(MiRequest.builder("APS110MI", "ApproveInvoice").set("DIVI", posted.get("EPDIVI")).set("SUNO", posted.get("EPSUNO"))
                .set("SINO", posted.get("EPSINO")).set("INYR", posted.get("EPINYR")).build());
        Map<String, String> after = exportRow("EPSINO,EPAPRV,EPCHNO", "FPLEDG", "EPSINO = '" + posted.get("EPSINO") + "'");
        assertEquals("1", after.get("EPAPRV"));
        assertEquals(Integer.parseInt(posted.get("EPCHNO")) + 1, Integer.parseInt(after.get("EPCHNO")));
        M3TransactionException missing = assertThrows(M3TransactionException.class, () -> m3.execute(MiRequest.builder("APS110MI", "ApproveInvoice")
                .set("DIVI", "AAA").set("SUNO", "S00001").set("SINO", "NOPE").set("INYR", "2024").build()));
        assertEquals("SINO", missing.field());
    }

    @Test
    void crs620miSuppliersPageByKeyRangeAndDeltaByLmts() {
        Set<String> seen = new HashSet<>();
        String from = "";
        while (true) {
            List<MiRecord> page = m3.execute(MiRequest.builder("CRS620MI", "LstSuppliers").set("FRSU", from).maxRecords(7).build()).records();
            page.forEach(r -> seen.add(r.get("SUNO")));
            if (page.size() < 7) {
                break;
            }
            // Inclusive "from" key: the next page starts with the last row again, which the Set absorbs.
            from = page.get(page.size() - 1).get("SUNO");
        }
        assertEquals(50, seen.size());
        MiRecord supplier = run("CRS620MI", "GetBasicData", "SUNO", "S00003").single();
        assertEquals("S00003", supplier.get("SUNO"));
        assertEquals(1, m3.execute(MiRequest.builder("CRS620MI", "LstSuppliers").company("200").set("FRSU", "S00003").set("TOSU", "S00003").build())
                .records().size());
    }

    @Test
    void crs630miGlAccountsPerDivision() {
        List<MiRecord> aaa = m3.execute(MiRequest.builder("CRS630MI", "LstAccountID").set("AITP", "1").division("AAA").maxRecords(0).build()).records();
        List<MiRecord> ccc = m3.execute(MiRequest.builder("CRS630MI", "LstAccountID").set("AITP", "1").company("200").division("CCC")
                .maxRecords(0).build()).records();
        assertEquals(40, aaa.size());
        assertTrue(aaa.stream().allMatch(r -> r.get("DIVI").equals("AAA")));
        assertTrue(ccc.stream().allMatch(r -> r.get("CONO").equals("200")));
        MiRecord one = m3.execute(MiRequest.builder("CRS630MI", "GetAccountID").set("AITP", "1").set("AITM", aaa.get(3).get("AITM"))
                .division("AAA").build()).single();
        assertEquals(aaa.get(3).get("TX40"), one.get("TX40"));
    }

    @Test
    void exportmiSelectWithHeadersSeparatorAndFixedWidth() {
        List<Map<String, String>> rows = m3.exportSelect("IAPUNO,IASUNO,IACUCD,IALMDT from MPHEAD where IALMDT >= 20000101", 5);
        assertEquals(5, rows.size());
        assertEquals(Set.of("IAPUNO", "IASUNO", "IACUCD", "IALMDT"), rows.get(0).keySet());
        MiRecord padded = m3.execute(MiRequest.builder("EXPORTMI", "SelectPad").set("QERY", "IAPUNO,IACUCD from MPHEAD").maxRecords(1).build()).single();
        assertTrue(padded.get("REPL").matches("\\d{10}[A-Z]{3}"), "fixed width PUNO(10) + CUCD(3): " + padded);
        List<MiRecord> fields = run("EXPORTMI", "LstFields", "FILE", "MPLINE").records();
        assertTrue(fields.stream().anyMatch(f -> f.get("FLDN").equals("IBLMDT")));
        M3TransactionException bad = assertThrows(M3TransactionException.class, () -> m3.exportSelect("IAPUNO from NOSUCH", 1));
        assertEquals("QERY", bad.field());
    }

    @Test
    void cusextmiAddIsNotIdempotentChangeIs() {
        MiRequest add = MiRequest.builder("CUSEXTMI", "AddFieldValue").set("FILE", "MPHEAD").set("PK01", "4000000001").set("A030", "ASANA-1").build();
        m3.execute(add);
        M3TransactionException dup = assertThrows(M3TransactionException.class, () -> m3.execute(add));
        assertEquals("PK01", dup.field());
        MiRequest chg = MiRequest.builder("CUSEXTMI", "ChgFieldValue").set("FILE", "MPHEAD").set("PK01", "4000000001").set("A030", "ASANA-2").build();
        m3.execute(chg);
        m3.execute(chg);
        assertEquals("ASANA-2", run("CUSEXTMI", "GetFieldValue", "FILE", "MPHEAD", "PK01", "4000000001").single().get("A030"));
        assertEquals(1, run("CUSEXTMI", "LstFieldValue", "FILE", "MPHEAD", "PK01", "4000000001").records().size());
        run("CUSEXTMI", "DelFieldValue", "FILE", "MPHEAD", "PK01", "4000000001");
        assertThrows(M3TransactionException.class, () -> run("CUSEXTMI", "GetFieldValue", "FILE", "MPHEAD", "PK01", "4000000001"));
    }

    @Test
    void errorsComeBackTypedInBothStyles() {
        M3TransactionException notFound = assertThrows(M3TransactionException.class, () -> run("PPS200MI", "GetHead", "PUNO", "4999999999"));
        assertEquals("PUNO", notFound.field());
        assertEquals("ServerReturnedNOK", notFound.type());
        M3TransactionException company = assertThrows(M3TransactionException.class,
                () -> m3.execute(MiRequest.builder("PPS200MI", "GetHead").set("PUNO", "1").company("300").build()));
        assertEquals("XAU0008", company.code());
        assertEquals("CONO", company.field());
        M3TransactionException unknown = assertThrows(M3TransactionException.class, () -> run("PPS200MI", "LstHead"));
        assertEquals("TransactionNotFound", unknown.type());
        M3TransactionException mandatory = assertThrows(M3TransactionException.class, () -> run("PPS200MI", "GetHead"));
        assertEquals("PUNO", mandatory.field());
        M3TransactionException badDate = assertThrows(M3TransactionException.class, () -> run("APS450MI", "AddHead", "SUNO", "S00001", "IVDT", "20241399"));
        assertEquals("IVDT", badDate.field());
    }

    @Test
    void v1ApiGivesTheSameRecordsAndErrors() {
        try (IonClient v1 = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson())).m3ApiVersion(M3Client.ApiVersion.V1).build()) {
            String puno = anyPuno();
            MiRecord viaV1 = v1.m3().execute(MiRequest.builder("PPS200MI", "GetHead").set("PUNO", puno).build()).single();
            assertEquals(run("PPS200MI", "GetHead", "PUNO", puno).single().fields(), viaV1.fields());
            M3TransactionException e = assertThrows(M3TransactionException.class,
                    () -> v1.m3().execute(MiRequest.builder("PPS200MI", "GetHead").set("PUNO", "4999999999").build()));
            assertEquals("PUNO", e.field());
            assertFalse(e.getMessage().contains("PUNO       "), "v1 message prefix stripped: " + e.getMessage());
        }
        assertEquals(1, ion.tokens().logins(), "the second client shared the first one's token");
    }

    private static Map<String, String> exportRow(String columns, String table, String where) {
        List<Map<String, String>> rows = m3.exportSelect(columns + " from " + table + " where " + where, 2);
        assertEquals(1, rows.size(), "one row for " + where);
        return rows.get(0);
    }
}
