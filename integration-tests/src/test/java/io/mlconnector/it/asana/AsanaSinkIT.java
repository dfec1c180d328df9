package io.mlconnector.it.asana;

import static io.mlconnector.it.asana.PurchaseOrderRecords.purchaseOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.common.FaultRule;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Asana sink on a real worker, configured from config-examples, writing to the Asana simulator. */
@ExtendWith(SharedCluster.class)
class AsanaSinkIT {

    private static final String EXAMPLE = "asana-sink-purchase-orders.json";
    private static final String PUBLIC_API = "https://app.asana.com/api/1.0";
    private static final String PO_TOPIC = "infor.ACME_TST.purchase-orders";
    private static final String SUPPLIER_TOPIC = "infor.ACME_TST.suppliers";
    private static final String DLQ_TOPIC = "ml.dlq.asana-sink";
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "SEK"};
    private static final int SUPPLIERS = 50;

    /** A simulator seeded with the PO project, and the properties file the example config reads. */
    private record AsanaUnderTest(AsanaSimulator sim, String token, String workspace, String project, Path secretsDir,
            String bootstrapServers) implements AutoCloseable {

        static AsanaUnderTest start(KafkaConnectCluster cluster, int budgetPerMinute) throws Exception {
            AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults()
                    .withBudget(budgetPerMinute, Duration.ofMinutes(1)));
            String token = "pat-" + UUID.randomUUID();
            Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
            Path dir = Files.createDirectories(cluster.workDir().resolve("secrets-" + UUID.randomUUID()));
            ExampleConfig.writeAsanaProperties(dir, token, (String) seeded.get("workspace"), (String) seeded.get("project"),
                    budgetPerMinute);
            return new AsanaUnderTest(sim, token, (String) seeded.get("workspace"), (String) seeded.get("project"), dir,
                    cluster.bootstrapServers());
        }

        Map<String, String> connectorConfig() {
            return ExampleConfig.load(EXAMPLE).location(PUBLIC_API, sim.apiUrl()).kafka(bootstrapServers)
                    .secretsDir(secretsDir).toMap();
        }

        long calls(String operationId) {
            return sim.log().calls("asana." + operationId);
        }

        /** A client reading what the sink wrote, as a person's script would. */
        AsanaClient client() {
            return AsanaClient.builder(AsanaCredentials.personalAccessToken(token))
                    .baseUrl(sim.apiUrl()).budget(1_000_000, Duration.ofMinutes(1)).build();
        }

        /** Every task of the project, by its PO number; fails on two tasks for one order. */
        Map<String, Task> tasksByPoNumber() {
            List<Task> tasks = client().projectTasks(project).toList();
            Map<String, Task> byNumber = tasks.stream().collect(Collectors.toMap(
                    t -> PurchaseOrderRecords.number(field(t, "PO number").textValue()), Function.identity(), (a, b) -> {
                        throw new AssertionError("two tasks for PO " + field(a, "PO number").textValue()
                                + ": " + a.gid() + " and " + b.gid());
                    }));
            assertEquals(tasks.size(), byNumber.size());
            return byNumber;
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    @Test
    void everyOrderBecomesOneTaskAndOnlyNewOrChangedOrdersCostACall(KafkaConnectCluster cluster) throws Exception {
        int orders = 10_000;
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, 1_000_000)) {
            cluster.topics().produceAll(SUPPLIER_TOPIC, suppliers());
            List<Map.Entry<String, String>> firstVersions = new ArrayList<>();
            for (int i = 1; i <= orders; i++) {
                firstVersions.add(order(i, BigDecimal.ZERO));
            }
            for (int i = 1; i <= 5; i++) {
                firstVersions.add(PurchaseOrderRecords.purchaseOrderWithoutNumber("BAD-" + i));
            }
            cluster.topics().produceAll(PO_TOPIC, firstVersions);

            cluster.rest().putConfig("asana-sink-calls", asana.connectorConfig());
            try {
                cluster.rest().awaitRunning("asana-sink-calls", 2, Duration.ofSeconds(90));
                cluster.topics().awaitConsumed("connect-asana-sink-calls", PO_TOPIC, Duration.ofMinutes(6));
                assertEquals(orders, asana.calls("createTask"), "one POST per new order");
                assertEquals(0, asana.calls("updateTask"), "a create carries every field");
                long seededOptions = asana.calls("createEnumOptionForCustomField");

                // 30 % change, 20 % arrive again unchanged
                List<Map.Entry<String, String>> secondVersions = new ArrayList<>();
                for (int i = 1; i <= orders / 2; i++) {
                    secondVersions.add(order(i, i <= orders * 3 / 10 ? BigDecimal.ONE : BigDecimal.ZERO));
                }
                cluster.topics().produceAll(PO_TOPIC, secondVersions);
                cluster.topics().awaitConsumed("connect-asana-sink-calls", PO_TOPIC, Duration.ofMinutes(4));

                assertEquals(orders, asana.calls("createTask"), "no create for a known order");
                assertEquals(orders * 3 / 10, asana.calls("updateTask"), "one PUT per changed order, none per repeat");
                assertEquals(seededOptions, asana.calls("createEnumOptionForCustomField"), "no option made twice");
                List<String> supplierOptions = asana.client().customFields(asana.workspace()).require("Supplier")
                        .enumOptions().stream().map(o -> o.name()).toList();
                assertEquals(supplierOptions.size(), Set.copyOf(supplierOptions).size(), supplierOptions.toString());
                for (int s = 0; s < SUPPLIERS; s++) {
                    assertTrue(supplierOptions.contains(String.format("Supplier %02d AB", s)), supplierOptions.toString());
                }

                Map<String, Task> tasks = asana.tasksByPoNumber();
                assertEquals(orders, tasks.size());
                for (int i = 1; i <= orders; i++) {
                    Task task = tasks.get(number(i));
                    BigDecimal expected = amount(i).add(i <= orders * 3 / 10 ? BigDecimal.ONE : BigDecimal.ZERO);
                    assertEquals(0, expected.compareTo(field(task, "Amount").numberValue()), task.toString());
                    assertEquals(supplierName(i), field(task, "Supplier").enumValue().name());
                    assertEquals(CURRENCIES[i % CURRENCIES.length], field(task, "Currency").enumValue().name());
                    assertTrue(task.name().startsWith("PO " + number(i) + " · " + supplierName(i)), task.name());
                }

                List<ConsumerRecord<String, String>> dead = cluster.topics().read(DLQ_TOPIC, 5, Duration.ofSeconds(30));
                assertEquals(5, dead.size(), "each unmappable record in the dead letter queue");
                for (ConsumerRecord<String, String> record : dead) {
                    Header reason = record.headers().lastHeader("__connect.errors.exception.message");
                    assertTrue(reason != null && new String(reason.value()).contains("upsert key"),
                            "the reason travels with the record");
                }
            } finally {
                cluster.rest().delete("asana-sink-calls");
            }
        }
    }

    @Test
    void threeKillsOfTheWorkerLeaveExactlyOneTaskPerOrder(KafkaConnectCluster cluster) throws Exception {
        int orders = "full".equals(System.getProperty("mlconnector.size")) ? 10_000 : 3_000;
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, 1_000_000)) {
            List<Map.Entry<String, String>> records = new ArrayList<>();
            for (int i = 1; i <= orders; i++) {
                records.add(order(i, BigDecimal.ZERO));
            }
            cluster.topics().produceAll(PO_TOPIC, records);
            cluster.rest().putConfig("asana-sink-crash", asana.connectorConfig());
            try {
                for (int kill = 1; kill <= 3; kill++) {
                    awaitTasks(asana, orders * kill / 4, Duration.ofMinutes(4));
                    cluster.killWorker();
                    cluster.startWorker();
                }
                cluster.topics().awaitConsumed("connect-asana-sink-crash", PO_TOPIC, Duration.ofMinutes(6));
                assertEquals(orders, asana.sim().taskCount());
                assertEquals(orders, asana.tasksByPoNumber().size());
            } finally {
                cluster.rest().delete("asana-sink-crash");
            }
        }
    }

    /**
     * More orders than the budget allows, 20 % of writes failing, and three kill -9s of the worker mid-run: a
     * restarted worker's limiter knows nothing of the requests sent just before the kill, yet Asana answers no 429.
     */
    @Test
    void aBudgetBelowTheLoadFailingWritesAndKillsLoseNothingAndDuplicateNothing(KafkaConnectCluster cluster)
            throws Exception {
        int orders = 250;
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, 300)) {
            asana.sim().server().faults().add(new FaultRule("asana.createTask", FaultRule.Kind.STATUS,
                    List.of(500, 503), null, 0, -1, 20));
            asana.sim().server().faults().add(new FaultRule("asana.updateTask", FaultRule.Kind.STATUS,
                    List.of(500, 503), null, 0, -1, 20));
            List<Map.Entry<String, String>> records = new ArrayList<>();
            for (int i = 1; i <= orders; i++) {
                records.add(order(i, BigDecimal.ZERO));
            }
            cluster.topics().produceAll(PO_TOPIC, records);
            Instant start = Instant.now();
            Map<String, String> config = new HashMap<>(asana.connectorConfig());
            // A killed worker's consumers leave the group only when their session times out (45 s by default);
            // until then the restarted tasks get no records. Shorter here, so the run spends its time on Asana.
            config.put("consumer.override.session.timeout.ms", "6000");
            config.put("consumer.override.heartbeat.interval.ms", "2000");
            cluster.rest().putConfig("asana-sink-budget", config);
            try {
                for (int kill = 1; kill <= 3; kill++) {
                    awaitTasks(asana, orders * kill / 5, Duration.ofMinutes(4));
                    cluster.killWorker();
                    cluster.startWorker();
                }
                cluster.topics().awaitConsumed("connect-asana-sink-budget", PO_TOPIC, Duration.ofMinutes(5));
                Duration took = Duration.between(start, Instant.now());
                assertEquals(0, asana.sim().log().callsWithStatus(429), "the sink exceeded the budget");
                assertTrue(asana.sim().log().callsWithStatus(500) + asana.sim().log().callsWithStatus(503) > 0,
                        "faults were injected");
                asana.sim().server().faults().clear();
                assertEquals(orders, asana.sim().taskCount());
                assertEquals(orders, asana.tasksByPoNumber().size());
                List<String> supplierOptions = asana.client().customFields(asana.workspace()).require("Supplier")
                        .enumOptions().stream().map(o -> o.name()).toList();
                assertEquals(supplierOptions.size(), Set.copyOf(supplierOptions).size(), "an option made twice");
                System.out.printf("Budget run: %d orders in %d s at a budget of 300/min, worker killed 3 times; %d "
                        + "requests (%s), %d writes answered 5xx, 0 answered 429%n", orders, took.toSeconds(),
                        asana.sim().log().calls(), asana.sim().log().entries(null, Integer.MAX_VALUE).stream()
                                .collect(Collectors.groupingBy(e -> e.route(), TreeMap::new, Collectors.counting())),
                        asana.sim().log().callsWithStatus(500) + asana.sim().log().callsWithStatus(503));
            } finally {
                cluster.rest().delete("asana-sink-budget");
            }
        }
    }

    @Test
    void validationChecksTheLiveWorkspaceAndNamesTheFieldAtFault(KafkaConnectCluster cluster) throws Exception {
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, 1_000_000)) {
            Map<String, String> good = new HashMap<>(asana.connectorConfig());
            good.put("name", "asana-sink-validation");
            String connectorClass = good.get("connector.class");
            JsonNode ok = cluster.rest().validate(connectorClass, good);
            assertEquals(0, ok.path("error_count").asInt(), allErrors(ok).toString());
            assertFalse(ok.toString().contains(asana.token()), "validate echoes the token");

            Map<String, String> badFields = new HashMap<>(good);
            badFields.put("custom.fields", "Amount=${amount} EUR,Approver=${buyer}");
            JsonNode fieldErrors = cluster.rest().validate(connectorClass, badFields);
            List<String> errors = errors(fieldErrors, "custom.fields");
            assertTrue(errors.stream().anyMatch(e -> e.contains("'Amount' is a number field")), errors.toString());
            assertTrue(errors.stream().anyMatch(e -> e.contains("'Approver'")), errors.toString());

            Map<String, String> badProject = new HashMap<>(good);
            badProject.put("asana.project.gid", "1999999999999999");
            assertFalse(errors(cluster.rest().validate(connectorClass, badProject), "asana.project.gid").isEmpty());

            Map<String, String> badToken = new HashMap<>(good);
            badToken.put("asana.token", "not-a-token");
            JsonNode tokenErrors = cluster.rest().validate(connectorClass, badToken);
            assertFalse(errors(tokenErrors, "asana.token").isEmpty(), allErrors(tokenErrors).toString());
        }
    }

    private static void freshTopics(KafkaConnectCluster cluster) throws Exception {
        cluster.topics().recreate(3, PO_TOPIC);
        // a fresh simulator numbers its gids as the last one did: a fresh ledger too
        cluster.topics().recreate(1, SUPPLIER_TOPIC, DLQ_TOPIC, "ml.task-ledger");
    }

    private static void awaitTasks(AsanaUnderTest asana, int count, Duration timeout) throws InterruptedException {
        Await.until(count + " tasks", timeout, () -> asana.sim().taskCount() >= count,
                () -> asana.sim().taskCount() + " tasks");
    }

    private static List<Map.Entry<String, String>> suppliers() {
        List<Map.Entry<String, String>> suppliers = new ArrayList<>();
        for (int s = 0; s < SUPPLIERS; s++) {
            suppliers.add(PurchaseOrderRecords.supplier(String.format("S%05d", s), String.format("Supplier %02d AB", s)));
        }
        return suppliers;
    }

    private static Map.Entry<String, String> order(int i, BigDecimal extra) {
        return purchaseOrder(number(i), String.format("S%05d", i % SUPPLIERS), supplierName(i),
                amount(i).add(extra), CURRENCIES[i % CURRENCIES.length], "20");
    }

    private static String number(int i) {
        return String.format("40%08d", i);
    }

    private static String supplierName(int i) {
        return String.format("Supplier %02d AB", i % SUPPLIERS);
    }

    private static BigDecimal amount(int i) {
        return new BigDecimal(i).add(new BigDecimal("0.25"));
    }

    private static CustomFieldValue field(Task task, String name) {
        return task.customFields().stream().filter(v -> name.equals(v.name())).findFirst()
                .orElseThrow(() -> new AssertionError(task.gid() + " has no custom field " + name));
    }

    private static Map<String, List<String>> allErrors(JsonNode validation) {
        Map<String, List<String>> all = new HashMap<>();
        for (JsonNode config : validation.path("configs")) {
            String name = config.path("value").path("name").asText();
            List<String> errors = errors(validation, name);
            if (!errors.isEmpty()) {
                all.put(name, errors);
            }
        }
        return all;
    }

    private static List<String> errors(JsonNode validation, String name) {
        for (JsonNode config : validation.path("configs")) {
            if (config.path("value").path("name").asText().equals(name)) {
                List<String> errors = new ArrayList<>();
                config.path("value").path("errors").forEach(e -> errors.add(e.asText()));
                return errors;
            }
        }
        throw new AssertionError("no config value " + name + " in " + validation);
    }
}
