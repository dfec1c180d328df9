package io.mlconnector.it.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Infor sink on a real worker, configured from config-examples, writing back to the ION simulator. */
@ExtendWith(SharedCluster.class)
class InforSinkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "asana.task-events";
    private static final String AUDIT = "ml.audit";
    private static final String DLQ = "ml.dlq.infor-sink";
    private static final String LEDGER = "ml.task-ledger";

    /** An ION simulator and the .ionapi file the example configs read. */
    private record IonUnderTest(IonSimulator sim, Path secretsDir) implements AutoCloseable {

        static IonUnderTest start(KafkaConnectCluster cluster, int purchaseOrders) throws Exception {
            IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(purchaseOrders, 20, 300));
            Path dir = Files.createDirectories(cluster.workDir().resolve("secrets-" + UUID.randomUUID()));
            Files.createDirectories(dir.resolve("ionapi"));
            Files.writeString(dir.resolve("ionapi").resolve(sim.tenant() + ".ionapi"), sim.ionApiJson());
            ExampleConfig.writeApprovers(dir, TaskEvents.APPROVER);
            return new IonUnderTest(sim, dir);
        }

        Map<String, String> connectorConfig(String example, KafkaConnectCluster cluster) {
            return ExampleConfig.load(example).kafka(cluster.bootstrapServers())
                    .secretsDir(secretsDir).toMap();
        }

        /** Rows of the simulator's control API, e.g. {@code m3/CUGEX1?FILE=MPHEAD&limit=5000}. */
        List<JsonNode> rows(String path) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(sim.baseUrl() + "/_sim/" + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            List<JsonNode> rows = new ArrayList<>();
            JSON.readTree(response.body()).forEach(rows::add);
            return rows;
        }

        void post(String path, Map<String, String> row) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(sim.baseUrl() + "/_sim/" + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(row))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() / 100 == 2, response.body());
        }

        long approvedPurchaseOrders() throws Exception {
            return rows("m3/CUGEX1?FILE=MPHEAD&A030=APPROVED&limit=100000").size();
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    @Test
    void completionsAreWrittenBackOnceAuditedAndAReplayAppliesNothing(KafkaConnectCluster cluster) throws Exception {
        int completions = 1_000;
        freshTopics(cluster);
        try (IonUnderTest ion = IonUnderTest.start(cluster, 2 * completions)) {
            List<String> orders = purchaseOrders(ion, completions + 1);
            String decidedElsewhere = orders.get(completions);
            ion.post("m3/CUGEX1", Map.of("CONO", "100", "FILE", "MPHEAD", "PK01", decidedElsewhere, "A030", "REJECTED"));
            List<Map.Entry<String, String>> events = new ArrayList<>();
            List<Map.Entry<String, String>> ledger = new ArrayList<>();
            for (int i = 0; i <= completions; i++) {
                events.add(TaskEvents.completed("evt-" + i, "9" + i, orders.get(i)));
                ledger.add(TaskEvents.ledgerEntry("9" + i, "100", orders.get(i)));
            }
            cluster.topics().produceAll(LEDGER, ledger);
            events.add(TaskEvents.rejected("evt-r1", "90", orders.get(0)));
            events.add(TaskEvents.rejected("evt-r2", "91", orders.get(1)));
            for (int i = 0; i < 5; i++) {
                events.add(TaskEvents.renamed("evt-n" + i, "9" + i, orders.get(i)));
            }
            cluster.topics().produceAll(EVENTS, events);

            String name = "infor-sink-m3";
            cluster.rest().putConfig(name, ion.connectorConfig("infor-sink-m3-approvals.json", cluster));
            // three checks fail outright: each batch is redelivered, and what it already wrote back is not audited twice
            // 501: a failure the client does not repeat, so the sink sees the outage
            ion.sim().faults().add(FaultRule.status("m3.CUSEXTMI.GetFieldValue", 501, 3));
            try {
                cluster.topics().awaitConsumed("connect-" + name, EVENTS, Duration.ofMinutes(4));
                assertTrue(ion.sim().faults().rules().isEmpty(), "the three failures happened");
                Map<String, Long> outcomes = outcomes(cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60)));
                assertEquals(Map.of("APPLIED", (long) completions, "REJECTED", 1L, "NO_WRITE_PATH", 2L), outcomes);
                assertEquals(completions, ion.approvedPurchaseOrders());
                assertEquals(completions + 1, ion.sim().log().calls("m3.CUSEXTMI.AddFieldValue"),
                        "one Add per completion, none repeated");
                List<ConsumerRecord<String, String>> dead = cluster.topics().read(DLQ, 1, Duration.ofSeconds(30));
                assertEquals(1, dead.size());
                Header reason = dead.get(0).headers().lastHeader("__connect.errors.exception.message");
                assertTrue(reason != null && new String(reason.value()).contains(decidedElsewhere),
                        "the rejection names the PO");

                cluster.rest().stop(name);
                cluster.rest().awaitStatus(name, Duration.ofSeconds(60), "STOPPED",
                        s -> "STOPPED".equals(s.path("connector").path("state").asText()));
                cluster.rest().deleteOffsets(name);
                cluster.rest().resume(name);
                cluster.topics().awaitConsumed("connect-" + name, EVENTS, Duration.ofMinutes(4));
                List<ConsumerRecord<String, String>> all = cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60));
                assertEquals(Map.of("ALREADY_APPLIED", (long) completions, "REJECTED", 1L, "NO_WRITE_PATH", 2L),
                        outcomes(all.subList(completions + 3, all.size())), "the replay applies nothing again");
                assertEquals(completions, ion.approvedPurchaseOrders());
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    @Test
    void aKillOfTheWorkerMidRunAppliesNoAddTwice(KafkaConnectCluster cluster) throws Exception {
        int completions = 1_000;
        freshTopics(cluster);
        try (IonUnderTest ion = IonUnderTest.start(cluster, 2 * completions)) {
            List<String> orders = purchaseOrders(ion, completions);
            List<Map.Entry<String, String>> events = new ArrayList<>();
            List<Map.Entry<String, String>> ledger = new ArrayList<>();
            for (int i = 0; i < completions; i++) {
                events.add(TaskEvents.completed("evt-" + i, "9" + i, orders.get(i)));
                ledger.add(TaskEvents.ledgerEntry("9" + i, "100", orders.get(i)));
            }
            cluster.topics().produceAll(LEDGER, ledger);
            cluster.topics().produceAll(EVENTS, events);
            String name = "infor-sink-crash";
            cluster.rest().putConfig(name, ion.connectorConfig("infor-sink-m3-approvals.json", cluster));
            try {
                Await.until("a third of the POs approved", Duration.ofMinutes(3),
                        () -> ion.approvedPurchaseOrders() >= completions / 3,
                        () -> ion.approvedPurchaseOrders() + " approved");
                cluster.killWorker();
                cluster.startWorker();
                cluster.topics().awaitConsumed("connect-" + name, EVENTS, Duration.ofMinutes(4));
                assertEquals(completions, ion.approvedPurchaseOrders());
                assertEquals(completions, ion.sim().log().calls("m3.CUSEXTMI.AddFieldValue"), "no Add sent twice");
                Map<String, Long> outcomes = outcomes(cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60)));
                assertFalse(outcomes.containsKey("REJECTED"), outcomes.toString());
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    @Test
    void syteLineCompletionsSetTheIdoPropertyOnce(KafkaConnectCluster cluster) throws Exception {
        freshTopics(cluster);
        try (IonUnderTest ion = IonUnderTest.start(cluster, 50)) {
            String site = "ACME_TST_DALS";
            assertTrue(ion.sim().mongooseConfigs().contains(site), "the example's site exists in the simulator");
            List<String> orders = ion.rows("ido/" + site + "/SLPos").stream().map(r -> r.path("PoNum").asText())
                    .limit(200).toList();
            List<Map.Entry<String, String>> events = new ArrayList<>();
            List<Map.Entry<String, String>> ledger = new ArrayList<>();
            for (int i = 0; i < orders.size(); i++) {
                events.add(TaskEvents.completed("evt-" + i, "8" + i, orders.get(i)));
                events.add(TaskEvents.completed("evt-again-" + i, "8" + i, orders.get(i)));
                ledger.add(TaskEvents.ledgerEntry("8" + i, site, orders.get(i)));
            }
            // a task whose PO is not (or no longer) in SyteLine
            ledger.add(TaskEvents.ledgerEntry("7999", site, "NOPE000001"));
            events.add(TaskEvents.completed("evt-gone", "7999", "NOPE000001"));
            // AP approves vouchers: the invoice rule, chosen by the ledger's entity, writes SLAptrxs
            List<String> vouchers = ion.rows("ido/" + site + "/SLAptrxs").stream().map(r -> r.path("Voucher").asText())
                    .limit(20).toList();
            for (int i = 0; i < vouchers.size(); i++) {
                ledger.add(TaskEvents.ledgerEntry("66" + i, site, "supplier-invoices", vouchers.get(i)));
                events.add(TaskEvents.completed("evt-voucher-" + i, "66" + i, vouchers.get(i)));
            }
            cluster.topics().produceAll(LEDGER, ledger);
            cluster.topics().produceAll(EVENTS, events);
            String name = "infor-sink-syteline";
            cluster.rest().putConfig(name, ion.connectorConfig("infor-sink-syteline-approvals.json", cluster));
            try {
                cluster.topics().awaitConsumed("connect-" + name, EVENTS, Duration.ofMinutes(3));
                long approved = ion.rows("ido/" + site + "/SLPos").stream()
                        .filter(r -> "APPROVED".equals(r.path("Uf_ExtStatus").asText())).count();
                assertEquals(orders.size(), approved);
                assertEquals(orders.size(), ion.sim().log().calls("ido.update.SLPos"), "one update per PO");
                Map<String, Long> outcomes = outcomes(cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60)));
                assertEquals(Map.of("APPLIED", (long) orders.size() + vouchers.size(), "ALREADY_APPLIED",
                        (long) orders.size(), "REJECTED", 1L), outcomes);
                assertEquals(vouchers.size(), ion.rows("ido/" + site + "/SLAptrxs").stream()
                        .filter(r -> "APPROVED".equals(r.path("Uf_ExtStatus").asText())).count(), "vouchers approved");
                assertEquals(0, ion.rows("ido/" + site + "/SLPos").stream().filter(r -> vouchers.contains(r.path("PoNum")
                        .asText()) && "APPROVED".equals(r.path("Uf_ExtStatus").asText())).count(), "no PO by a voucher's number");
                assertEquals(0, ion.rows("ido/" + site + "/SLPos").stream()
                        .filter(r -> "NOPE000001".equals(r.path("PoNum").asText())).count(), "no row was made for it");
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    /**
     * What a careless or hostile Asana project member can cause: nothing in CloudSuite unless the task is
     * one the connectors made, an approver made the change, and the record exists in a state that allows it;
     * and then only on that task's own record in its own company.
     */
    @Test
    void onlyApproversDecideAndOnlyAboutTheirTasksOwnRecord(KafkaConnectCluster cluster) throws Exception {
        int each = 100;
        freshTopics(cluster);
        try (IonUnderTest ion = IonUnderTest.start(cluster, 1_000)) {
            List<String> orders = purchaseOrders(ion, 4 * each + 1);
            List<Map.Entry<String, String>> events = new ArrayList<>();
            List<Map.Entry<String, String>> ledger = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                // (a) hand-made tasks, not in the ledger, carrying real PO numbers
                events.add(TaskEvents.completed("planted-" + i, "71" + i, orders.get(i)));
                // (b) real tasks whose PO number field was retyped to another PO before completing
                ledger.add(TaskEvents.ledgerEntry("72" + i, "100", orders.get(each + i)));
                events.add(TaskEvents.completed("retyped-" + i, "72" + i, orders.get(i)));
                // (c) tasks the connectors completed because CloudSuite closed the PO
                ledger.add(TaskEvents.ledgerEntry("73" + i, "100", orders.get(2 * each + i)));
                events.add(TaskEvents.completedBy(TaskEvents.CONNECTOR_USER, "closed-" + i, "73" + i, orders.get(2 * each + i)));
                // (f) a member who is no approver
                ledger.add(TaskEvents.ledgerEntry("74" + i, "100", orders.get(3 * each + i)));
                events.add(TaskEvents.completedBy(TaskEvents.MEMBER, "member-" + i, "74" + i, orders.get(3 * each + i)));
            }
            // (d) the same PO number in two companies: two tasks, each approval on its own company
            String shared = orders.get(4 * each);
            ion.post("m3/MPHEAD", Map.of("CONO", "200", "PUNO", shared, "DIVI", "CCC", "PUSL", "20", "PUST", "20"));
            ledger.add(TaskEvents.ledgerEntry("751", "100", shared));
            ledger.add(TaskEvents.ledgerEntry("752", "200", shared));
            events.add(TaskEvents.completed("company-100", "751", shared));
            events.add(TaskEvents.completed("company-200", "752", shared));
            // (e) an approval for a PO that does not exist
            ledger.add(TaskEvents.ledgerEntry("761", "100", "9999999999"));
            events.add(TaskEvents.completed("missing", "761", "9999999999"));
            cluster.topics().produceAll(LEDGER, ledger);
            cluster.topics().produceAll(EVENTS, events);

            String name = "infor-sink-hostile";
            cluster.rest().putConfig(name, ion.connectorConfig("infor-sink-m3-approvals.json", cluster));
            try {
                cluster.topics().awaitConsumed("connect-" + name, EVENTS, Duration.ofMinutes(4));
                Map<String, Long> outcomes = outcomes(cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60)));
                assertEquals(Map.of("NOT_OURS", (long) each, "APPLIED", (long) each + 2, "NOT_A_DECISION", (long) each,
                        "NOT_ALLOWED", (long) each, "REJECTED", 1L), outcomes);

                Set<String> stamped = ion.rows("m3/CUGEX1?FILE=MPHEAD&A030=APPROVED&limit=100000").stream()
                        .map(r -> r.path("CONO").asText() + "/" + r.path("PK01").asText()).collect(Collectors.toSet());
                Set<String> expected = new java.util.HashSet<>();
                for (int i = 0; i < each; i++) {
                    expected.add("100/" + orders.get(each + i));
                }
                expected.add("100/" + shared);
                expected.add("200/" + shared);
                assertEquals(expected, stamped, "only the retyped tasks' own POs and the two companies' shared PO");
                assertEquals(0, ion.rows("m3/CUGEX1?PK01=9999999999").size(), "no row for a PO that does not exist");
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    @Test
    void validationPinsProblemsOnTheSettingAtFault(KafkaConnectCluster cluster) throws Exception {
        try (IonUnderTest ion = IonUnderTest.start(cluster, 20)) {
            Map<String, String> good = new HashMap<>(ion.connectorConfig("infor-sink-m3-approvals.json", cluster));
            good.put("name", "infor-sink-validation");
            String connectorClass = good.get("connector.class");
            JsonNode ok = cluster.rest().validate(connectorClass, good);
            assertEquals(0, ok.path("error_count").asInt(), errorsOf(ok).toString());

            Map<String, String> unchecked = new HashMap<>(good);
            unchecked.remove("writeback.rule.approve-po.check.transaction");
            List<String> errors = errorsOf(cluster.rest().validate(connectorClass, unchecked)).get("writeback.rules");
            assertTrue(errors != null && errors.get(0).contains("not make idempotent"), String.valueOf(errors));

            Map<String, String> noSuchRead = new HashMap<>(good);
            noSuchRead.put("writeback.rule.approve-po.check.transaction", "CUSEXTMI/GetNothing");
            errors = errorsOf(cluster.rest().validate(connectorClass, noSuchRead)).get("writeback.rules");
            assertTrue(errors != null && errors.get(0).contains("GetNothing"), String.valueOf(errors));

            Map<String, String> badFile = new HashMap<>(good);
            badFile.put("ion.credentials", "{\"ti\":\"ACME_TST\",\"sask\":\"do-not-echo-me\"}");
            JsonNode answer = cluster.rest().validate(connectorClass, badFile);
            assertTrue(errorsOf(answer).containsKey("ion.credentials"), errorsOf(answer).toString());
            assertFalse(answer.toString().contains("do-not-echo-me"), "validate echoes a secret");

            Map<String, String> editable = new HashMap<>(good);
            editable.put("writeback.rule.approve-po.m3.fields", "FILE=MPHEAD,PK01=${task.po_number},A030=APPROVED");
            errors = errorsOf(cluster.rest().validate(connectorClass, editable)).get("writeback.rules");
            assertTrue(errors != null && errors.get(0).contains("any Asana project member can edit"), String.valueOf(errors));
        }
    }

    private static List<String> purchaseOrders(IonUnderTest ion, int count) throws Exception {
        // orders still open for approval (the example approves up to status 80)
        List<String> orders = ion.rows("m3/MPHEAD?CONO=100&limit=100000").stream()
                .filter(r -> Integer.parseInt(r.path("PUST").asText()) <= 80)
                .map(r -> r.path("PUNO").asText()).limit(count).toList();
        assertEquals(count, orders.size(), "the simulator holds enough open purchase orders");
        return orders;
    }

    private static Map<String, Long> outcomes(List<ConsumerRecord<String, String>> audit) {
        return audit.stream().map(r -> {
            try {
                return JSON.readTree(r.value()).path("outcome").asText();
            } catch (Exception e) {
                throw new AssertionError("audit record is not JSON: " + r.value(), e);
            }
        }).collect(Collectors.groupingBy(o -> o, Collectors.counting()));
    }

    private static Map<String, List<String>> errorsOf(JsonNode validation) {
        Map<String, List<String>> all = new HashMap<>();
        for (JsonNode config : validation.path("configs")) {
            List<String> errors = new ArrayList<>();
            config.path("value").path("errors").forEach(e -> errors.add(e.asText()));
            if (!errors.isEmpty()) {
                all.put(config.path("value").path("name").asText(), errors);
            }
        }
        return all;
    }

    private static void freshTopics(KafkaConnectCluster cluster) throws Exception {
        cluster.topics().recreate(3, EVENTS);
        cluster.topics().recreate(1, AUDIT, DLQ, LEDGER);
    }
}
