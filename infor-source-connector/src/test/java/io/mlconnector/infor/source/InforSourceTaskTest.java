package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tasks against the ION simulator, in-process: every row once, changes as new versions, restarts, bad rows. */
class InforSourceTaskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static IonSimulator sim;

    @BeforeAll
    static void start() throws Exception {
        sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(900, 600, 900));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Map<String, String> m3Config() {
        Map<String, String> c = new HashMap<>();
        c.put("ion.credentials", sim.ionApiJson());
        c.put("infor.backend", "M3");
        c.put("infor.entities", "purchase-orders,supplier-invoices,suppliers,gl-accounts");
        c.put("m3.divisions", "100/AAA,100/BBB,200/CCC");
        c.put("infor.timezone", "Europe/Stockholm");
        c.put("page.size", "37");
        c.put("max.records.per.poll", "100");
        return c;
    }

    private static Map<String, String> syteLineConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("ion.credentials", sim.ionApiJson());
        c.put("infor.backend", "SYTELINE");
        c.put("infor.entities", "purchase-orders,supplier-invoices,suppliers");
        c.put("syteline.sites", String.join(",", sim.mongooseConfigs()));
        c.put("infor.timezone", "Europe/Stockholm");
        c.put("page.size", "41");
        c.put("max.records.per.poll", "100");
        return c;
    }

    private static Set<String> values(List<SourceRecord> records, String entity, String field) {
        return records.stream().filter(r -> r.topic().endsWith(entity)).map(r -> ((Struct) r.value()).getString(field))
                .collect(Collectors.toSet());
    }

    @Test
    void m3EveryRowOnceThenOnlyChangesAcrossRestarts() throws Exception {
        TaskHarness run = new TaskHarness(m3Config(), 3);
        try {
            assertEquals(3, run.taskCount());
            List<SourceRecord> first = run.drain();
            assertEquals(900, keys(first, "infor.ACME_TST.purchase-orders").size());
            assertEquals(600, keys(first, "infor.ACME_TST.supplier-invoices").size());
            assertEquals(100, keys(first, "infor.ACME_TST.suppliers").size());
            assertEquals(140, keys(first, "infor.ACME_TST.gl-accounts").size());
            assertEquals(900 + 600 + 100 + 140, first.size(), "no row twice");

            // Free text with separators, quotes, line breaks and other scripts reads intact from fixed-width rows.
            assertTrue(values(first, "suppliers", "name").contains("Supplier 5 of 100 | \"Nord\"; Ö北京"));
            assertTrue(values(first, "gl-accounts", "name").contains("Account 1000 AAA | 'Kasse'; Москва"));
            Set<String> items = first.stream().filter(r -> r.topic().endsWith("purchase-orders"))
                    .flatMap(r -> ((Struct) r.value()).<Struct>getArray("lines").stream())
                    .map(l -> l.getString("description")).collect(Collectors.toSet());
            assertTrue(items.containsAll(List.of("Bolt | M8; \"zinc\", 10/pk", "Kabel Ø2 ; Größe\nB", "螺栓 M8 | 北京 #2",
                    "Washer *A*")), "item names: " + items);
            // Company-level accounts (blank division) are read once per company, numbered by the account alone.
            Struct companyAccount = first.stream().filter(r -> r.topic().endsWith("gl-accounts"))
                    .map(r -> (Struct) r.value()).filter(v -> v.getString("number").equals("9000")
                            && v.getString("company").equals("100")).findFirst().orElseThrow();
            assertNull(companyAccount.getString("division"));

            Struct po = (Struct) first.stream().filter(r -> r.topic().endsWith("purchase-orders")).findFirst().orElseThrow().value();
            List<Struct> lines = po.getArray("lines");
            assertTrue(!lines.isEmpty());
            BigDecimal sum = lines.stream().map(l -> (BigDecimal) l.get("amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(sum, po.get("amount"), "the header total is the sum of its lines");
            assertTrue(po.getString("supplier_name").startsWith("Supplier "));

            String puno = po.getString("number");
            control("PATCH", "/_sim/m3/MPHEAD", Map.of("key", Map.of("CONO", po.getString("company"), "PUNO", puno),
                    "set", Map.of("BUYE", "NEWBUYER")));
            run.restart();
            List<SourceRecord> second = run.drain();
            assertEquals(1, second.size(), "only the changed order: " + second);
            assertEquals("NEWBUYER", ((Struct) second.get(0).value()).getString("buyer"));
            run.restart();
            assertEquals(List.of(), run.drain());

            // A user PATCHes {"since": <date>} for one partition: its rows changed since then come again.
            Map<String, Object> partition = new SourcePartition("ACME_TST", io.mlconnector.connect.ConnectionSettings.InforBackend.M3,
                    Entity.SUPPLIERS, "200", "").toMap();
            run.committed().put(partition, Map.of("since", "2000-01-01"));
            run.restart();
            assertEquals(50, run.drain().size());
        } finally {
            run.stop();
        }
    }

    @Test
    void m3RestartMidBacklogLosesAndRepeatsNothing() throws Exception {
        TaskHarness run = new TaskHarness(m3Config(), 1);
        try {
            List<SourceRecord> all = new java.util.ArrayList<>(run.pollOnce());
            all.addAll(run.pollOnce());
            run.restart();
            all.addAll(run.drain());
            assertEquals(900 + 600 + 100 + 140, all.size());
            assertEquals(all.size(), all.stream().map(r -> r.topic() + r.key()).distinct().count());
        } finally {
            run.stop();
        }
    }

    @Test
    void m3PaymentsNameTheirInvoiceBatchAndSayWhenPaidAcrossRestartsMidBacklog() throws Exception {
        Map<String, String> config = m3Config();
        config.put("infor.entities", "payments");
        config.put("page.size", "7"); // a backlog read in windows: the ledger key YEA4/JRNO/JSNO orders the rows
        config.put("max.records.per.poll", "20");
        TaskHarness run = new TaskHarness(config, 1);
        try {
            List<SourceRecord> all = new java.util.ArrayList<>(run.pollOnce());
            run.restart();
            all.addAll(run.drain());
            JsonNode ledger = JSON.readTree(control("GET", "/_sim/m3/FPLEDG?limit=100000", null));
            assertEquals(ledger.size(), all.size(), "every ledger row once, across a restart mid-backlog");
            assertEquals(all.size(), all.stream().map(r -> r.key()).distinct().count());
            for (SourceRecord r : all) {
                Struct payment = (Struct) r.value();
                // the simulator numbers each invoice INV-<supplier>-<batch>, every 7th INV|<batch>;"Ö"
                assertTrue(payment.getString("invoice_number").contains(payment.getString("invoice_reference")),
                        payment.getString("invoice_number"));
                assertEquals("UNPAID", payment.getString("payment_status"));
            }
            assertTrue(all.stream().map(r -> ((Struct) r.value()).getString("invoice_number"))
                    .anyMatch(number -> number.matches("INV\\|\\d+;\"Ö\"")), "free text in SINO read intact");

            JsonNode paid = ledger.get(0);
            control("PATCH", "/_sim/m3/FPLEDG", Map.of("key", Map.of("CONO", paid.get("CONO").asText(), "DIVI",
                    paid.get("DIVI").asText(), "YEA4", paid.get("YEA4").asText(), "JRNO", paid.get("JRNO").asText(),
                    "JSNO", paid.get("JSNO").asText()), "set", Map.of("PYST", "2")));
            run.restart();
            List<SourceRecord> second = run.drain();
            assertEquals(1, second.size());
            Struct payment = (Struct) second.get(0).value();
            assertEquals("PAID", payment.getString("payment_status"));
            assertEquals(paid.get("SUNO").asText() + "/" + paid.get("SINO").asText() + "/" + paid.get("INYR").asText(),
                    payment.getString("number"));
            assertEquals(new BigDecimal(paid.get("CUAM").asText()), payment.get("amount"));
        } finally {
            run.stop();
        }
    }

    @Test
    void syteLinePaymentsArePostedPaymentsOfTheirVoucher() throws Exception {
        Map<String, String> config = syteLineConfig();
        config.put("infor.entities", "payments");
        String site = sim.mongooseConfigs().get(0);
        JsonNode voucher = JSON.readTree(control("GET", "/_sim/ido/" + site + "/SLAptrxs", null)).get(0);
        BigDecimal amount = new BigDecimal(voucher.get("InvAmt").asText());
        for (String[] p : List.of(new String[]{"1001", amount.toPlainString()}, new String[]{"1002", "1.00"})) {
            control("POST", "/_sim/ido/" + site + "/SLAptrxps", Map.of("VendNum", voucher.get("VendNum").asText(),
                    "Voucher", voucher.get("Voucher").asText() + (p[0].equals("1001") ? "" : "9"), "InvNum", "INV-X",
                    "Type", "P", "InvAmt", amount.toPlainString(), "AmtPaid", p[1], "CheckNum", p[0],
                    "DistDate", "20261201 00:00:00.000"));
        }
        control("POST", "/_sim/ido/" + site + "/SLAptrxps", Map.of("VendNum", voucher.get("VendNum").asText(),
                "Voucher", voucher.get("Voucher").asText(), "Type", "V", "InvAmt", amount.toPlainString()));
        TaskHarness run = new TaskHarness(config, 1);
        try {
            List<SourceRecord> payments = run.drain();
            assertEquals(2, payments.size(), "only payments (type P), not the posted voucher itself: " + payments);
            Map<String, Struct> byVoucher = payments.stream().map(r -> (Struct) r.value())
                    .collect(Collectors.toMap(v -> v.getString("invoice_reference"), v -> v));
            Struct full = byVoucher.get(voucher.get("Voucher").asText());
            assertEquals("PAID", full.getString("payment_status"));
            assertEquals(voucher.get("Voucher").asText(), full.getString("number"));
            assertEquals(java.time.LocalDate.of(2026, 12, 1), day(full.get("paid_on")));
            assertEquals("PART_PAID", byVoucher.get(voucher.get("Voucher").asText() + "9").getString("payment_status"));
            assertTrue(full.getString("currency") != null, "the vendor's currency");
        } finally {
            run.stop();
        }
    }

    @Test
    void syteLineEveryRowOnceThenOnlyChangesAcrossRestarts() throws Exception {
        TaskHarness run = new TaskHarness(syteLineConfig(), 2);
        try {
            List<SourceRecord> first = new java.util.ArrayList<>(run.pollOnce());
            run.restart();
            first.addAll(run.drain());
            assertEquals(990, keys(first, "infor.ACME_TST.purchase-orders").size());
            assertEquals(990, keys(first, "infor.ACME_TST.supplier-invoices").size());
            assertEquals(100, keys(first, "infor.ACME_TST.suppliers").size());
            assertEquals(first.size(), first.stream().map(r -> r.topic() + r.key()).distinct().count(), "no row twice");

            JsonNode row = JSON.readTree(control("GET", "/_sim/ido/" + sim.mongooseConfigs().get(0) + "/SLPos", null)).get(0);
            control("PATCH", "/_sim/ido/" + sim.mongooseConfigs().get(0) + "/SLPos/" + row.get("RowPointer").asText(),
                    Map.of("Buyer", "newbuyer"));
            run.restart();
            List<SourceRecord> second = run.drain();
            assertEquals(1, second.size());
            assertEquals("newbuyer", ((Struct) second.get(0).value()).getString("buyer"));
        } finally {
            run.stop();
        }
    }

    @Test
    void aMalformedRowFailsWithItsNumberAndFieldOrGoesToTheErrorsTopic() throws Exception {
        Map<String, String> config = m3Config();
        config.put("infor.entities", "supplier-invoices");
        config.put("m3.divisions", "200/CCC");
        config.put("start.date", java.time.LocalDate.now().toString());
        TaskHarness run = new TaskHarness(config, 1);
        String longSino = null;
        try {
            run.drain();
            JsonNode invoice = JSON.readTree(control("GET", "/_sim/m3/FAPIBH?CONO=200&DIVI=CCC&limit=1", null)).get(0);
            String inbn = invoice.get("INBN").asText();
            control("PATCH", "/_sim/m3/FAPIBH", Map.of("key", Map.of("CONO", "200", "DIVI", "CCC", "INBN", inbn),
                    "set", Map.of("CUAM", "12,50")));
            run.restart();
            DataException e = assertThrows(DataException.class, run::drain);
            assertTrue(e.getMessage().contains("supplier-invoices " + inbn + " of M3 200/CCC"), e.getMessage());
            assertTrue(e.getMessage().contains("field CUAM is not a number: '12,50'"), e.getMessage());
            run.stop();

            // A value longer than LstFields says its column is cannot be placed: the row goes aside with its key.
            JsonNode second = JSON.readTree(control("GET", "/_sim/m3/FAPIBH?CONO=200&DIVI=CCC&limit=2", null)).get(1);
            longSino = second.get("INBN").asText();
            control("PATCH", "/_sim/m3/FAPIBH", Map.of("key", Map.of("CONO", "200", "DIVI", "CCC", "INBN", longSino),
                    "set", Map.of("SINO", "INV | 2024; \"a number longer than 24\"")));
            config.put("data.errors.topic", "infor.errors");
            TaskHarness routed = new TaskHarness(config, 1);
            try {
                List<SourceRecord> records = routed.drain();
                List<Struct> errors = records.stream().filter(r -> r.topic().equals("infor.errors")).map(r -> (Struct) r.value()).toList();
                assertEquals(2, errors.size(), errors.toString());
                Struct error = errors.stream().filter(v -> v.getString("number").equals(inbn)).findFirst().orElseThrow();
                assertTrue(error.getString("error").contains("CUAM"));
                assertEquals("12,50", error.<String, String>getMap("raw").get("CUAM"));
                String overflowing = longSino;
                Struct tooLong = errors.stream().filter(v -> v.getString("number").equals(overflowing)).findFirst().orElseThrow();
                assertTrue(tooLong.getString("error").contains("a value is longer than EXPORTMI/LstFields says"),
                        tooLong.getString("error"));
                assertTrue(tooLong.<String, String>getMap("raw").get("REPL").contains("a number longer than 24"));
                assertTrue(records.stream().anyMatch(r -> r.topic().endsWith("supplier-invoices")), "the other rows go on");
            } finally {
                routed.stop();
            }
        } finally {
            run.stop();
            if (longSino != null) {
                control("PATCH", "/_sim/m3/FAPIBH", Map.of("key", Map.of("CONO", "200", "DIVI", "CCC", "INBN", longSino),
                        "set", Map.of("SINO", "INV-" + longSino)));
            }
            control("PATCH", "/_sim/m3/FAPIBH", Map.of("key", Map.of("CONO", "200", "DIVI", "CCC", "INBN",
                    JSON.readTree(control("GET", "/_sim/m3/FAPIBH?CONO=200&DIVI=CCC&limit=1", null)).get(0).get("INBN").asText()),
                    "set", Map.of("CUAM", "10.00")));
        }
    }

    @Test
    void anM3TableWithoutLmtsIsReadByChangeDateAndChangeNumber() throws Exception {
        try (IonSimulator tenant = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(30, 300, 10))) {
            tenant.dropM3Column("FAPIBH", "LMTS");
            Map<String, String> config = m3Config();
            config.put("ion.credentials", tenant.ionApiJson());
            config.put("infor.entities", "supplier-invoices");
            config.put("page.size", "23");
            config.put("supplier-invoices.poll.interval.ms", "1000");
            TaskHarness run = new TaskHarness(config, 1);
            try {
                List<SourceRecord> first = run.drain();
                assertEquals(300, first.size());
                assertEquals(300, keys(first, "infor.ACME_TST.supplier-invoices").size(), "every invoice once");
                assertTrue(first.stream().allMatch(r -> r.sourceOffset().containsKey("lmdt")), "bookmarks by change date");
                Struct some = (Struct) first.get(0).value();
                assertEquals(java.time.LocalTime.MIDNIGHT, ((java.util.Date) some.get("changed_at")).toInstant()
                        .atZone(java.time.ZoneId.of("Europe/Stockholm")).toLocalTime(), "the change date's start in the tenant zone");

                // An invoice changed while reading goes on: it comes once, as its new version.
                JsonNode invoice = JSON.readTree(control(tenant, "GET", "/_sim/m3/FAPIBH?CONO=100&DIVI=AAA&limit=1", null)).get(0);
                control(tenant, "PATCH", "/_sim/m3/FAPIBH", Map.of("key", Map.of("CONO", "100", "DIVI", "AAA", "INBN",
                        invoice.get("INBN").asText()), "set", Map.of("CUAM", "4321.00")));
                List<SourceRecord> second = pollUntilSome(run);
                second.addAll(quietPolls(run));
                assertEquals(1, second.size(), second.toString());
                assertEquals(new BigDecimal("4321.00"), ((Struct) second.get(0).value()).get("amount"));

                // After a restart, only rows changed on the bookmark's day (today's) come once more.
                run.restart();
                List<SourceRecord> again = pollUntilSome(run);
                again.addAll(quietPolls(run));
                java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Stockholm"));
                assertTrue(again.stream().anyMatch(r -> ((Struct) r.value()).getString("number").equals(invoice.get("INBN").asText())));
                assertTrue(again.stream().allMatch(r -> ((java.util.Date) ((Struct) r.value()).get("changed_at")).toInstant()
                        .atZone(java.time.ZoneId.of("Europe/Stockholm")).toLocalDate().equals(today)), "only today's changes");
            } finally {
                run.stop();
            }
        }
    }

    @Test
    void anLmtsNotInEpochMillisecondsIsLeftForChangeDateAndChangeNumber() throws Exception {
        try (IonSimulator tenant = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(30, 120, 10))) {
            tenant.writeM3StampsAsDateTime("FAPIBH");
            Map<String, String> config = m3Config();
            config.put("ion.credentials", tenant.ionApiJson());
            config.put("infor.entities", "supplier-invoices");
            TaskHarness run = new TaskHarness(config, 1);
            try {
                List<SourceRecord> all = run.drain();
                assertEquals(120, keys(all, "infor.ACME_TST.supplier-invoices").size());
                assertEquals(120, all.size());
                assertTrue(all.stream().allMatch(r -> r.sourceOffset().containsKey("lmdt")), "bookmarks by change date");
            } finally {
                run.stop();
            }
        }
    }

    /** Polls until records come, for at most 15 s. */
    private static List<SourceRecord> pollUntilSome(TaskHarness run) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<SourceRecord> got = new java.util.ArrayList<>();
        while (got.isEmpty() && System.nanoTime() < deadline) {
            got.addAll(run.pollOnce());
        }
        return got;
    }

    /** What three more polls bring: each waits up to a second, so a reader due every second reads at least twice. */
    private static List<SourceRecord> quietPolls(TaskHarness run) throws InterruptedException {
        List<SourceRecord> got = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.addAll(run.pollOnce());
        }
        return got;
    }

    /** A Connect Date's calendar day. */
    private static java.time.LocalDate day(Object date) {
        return ((java.util.Date) date).toInstant().atOffset(java.time.ZoneOffset.UTC).toLocalDate();
    }

    private static Set<Object> keys(List<SourceRecord> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).map(SourceRecord::key).collect(Collectors.toCollection(HashSet::new));
    }

    private static String control(String method, String path, Object body) throws Exception {
        return control(sim, method, path, body);
    }

    private static String control(IonSimulator target, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, response.body());
        return response.body();
    }
}
