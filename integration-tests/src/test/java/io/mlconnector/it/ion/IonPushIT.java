package io.mlconnector.it.ion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.it.demo.SimulatedSystems;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import io.mlconnector.simulators.ion.ims.BadCredentials;
import io.mlconnector.simulators.ion.ims.DeliveryReport;
import io.mlconnector.simulators.ion.ims.Hazards;
import io.mlconnector.simulators.ion.ims.ImsSender;
import io.mlconnector.simulators.ion.ims.ImsSenderSettings;
import io.mlconnector.simulators.ion.ims.PurchaseOrderVersion;
import io.mlconnector.simulators.ion.ims.RetryPolicy;
import io.mlconnector.simulators.ion.ims.ScenarioPlan;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ION push intake end to end: our ION simulator's sending side delivers purchase-order BODs over IMS v3, with
 * OAuth 1.0a signatures, to the ION BOD source installed from its archive on a worker with exactly-once source
 * support, configured from {@code config-examples/ion-bod-source-m3.json}; the example Asana PO sink turns the
 * records into tasks. ION's documented hazards are all in the delivery: shuffled order, duplicates under the same and
 * a new message id, stale variations after newer ones, DEFLATE and plain payloads, wrong signatures, and a worker
 * killed with -9 while messages are in flight.
 */
class IonPushIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "ion-bod-source";
    private static final String SINK = "asana-sink-purchase-orders";
    private static final String ORDERS = "infor.ACME_TST.purchase-orders";
    private static final String AUDIT = "infor.ACME_TST.ion-audit";
    private static final String ERRORS = "infor.ACME_TST.data-errors";
    private static final String CONSUMER_KEY = "ion-connection-point";
    private static final String CONSUMER_SECRET = "cs-" + UUID.randomUUID();

    private static KafkaConnectCluster cluster;
    private static SimulatedSystems systems;
    private static String endpoint;

    @BeforeAll
    static void start() throws Exception {
        cluster = KafkaConnectCluster.forProject(SharedCluster.workDir("ion-push")).reachSimulators()
                .workerProperty("exactly.once.source.support", "enabled").build().start();
        cluster.topics().recreate(1, ORDERS, AUDIT, ERRORS, "infor.ACME_TST.suppliers", "ml.dlq.asana-sink",
                "ml.task-ledger");
        Path secrets = Files.createDirectories(cluster.workDir().resolve("secrets"));
        systems = SimulatedSystems.start(secrets, IonSimulatorConfig.defaults().withVolumes(10, 0, 10),
                AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)));
        Files.writeString(secrets.resolve("ion-ims.properties"), "consumer.key=" + CONSUMER_KEY + "\nconsumer.secret="
                + CONSUMER_SECRET + "\n", StandardCharsets.UTF_8);
        int port = KafkaConnectCluster.freePort();
        endpoint = "http://127.0.0.1:" + port + "/ims/service";
        Map<String, String> source = ExampleConfig.load("ion-bod-source-m3.json").secretsDir(secrets)
                .location("https://connect.example.com/ims/service", endpoint).toMap();
        source.put("listener.bind.address", "127.0.0.1");
        source.put("listener.port", String.valueOf(port));
        source.put("exactly.once.support", "required");
        Map<String, String> sink = ExampleConfig.load(SINK + ".json")
                .location("https://app.asana.com/api/1.0", systems.asana().apiUrl()).kafka(cluster.bootstrapServers())
                .secretsDir(secrets).toMap();
        cluster.rest().putConfig(SINK, sink);
        cluster.rest().putConfig(SOURCE, source);
        cluster.rest().awaitRunning(SOURCE, 1, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (systems != null) {
            systems.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyCurrentPurchaseOrderOnceAndOneTaskEachWhateverIonRepeatsOrReorders() throws Exception {
        int orders = "full".equals(System.getProperty("mlconnector.size")) ? 5_000 : 600;
        // 10 % of the messages are duplicates (half under the same id, half under a new one); a stale variation of
        // 15 % of the documents that have several arrives after the newest (round 1); the rest is shuffled
        ScenarioPlan plan = ScenarioPlan.generate(ScenarioPlan.Settings.defaults().withPurchaseOrders(orders)
                .withSeed(21).withHazards(new Hazards(0.05, 0.05, 0.15, 0.5, 0.1)));
        // the other test may have run first: count from here
        int recordsBefore = cluster.topics().readToEnd(ORDERS, Duration.ofSeconds(60)).size();
        int auditedBefore = cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60)).size();
        int tasksBefore = systems.asana().taskCount();
        long createsBefore = systems.asana().log().calls("asana.createTask");
        Instant started = Instant.now();
        DeliveryReport delivered;
        try (ImsSender ion = new ImsSender(ImsSenderSettings.builder(endpoint).oauth1(CONSUMER_KEY, CONSUMER_SECRET)
                .concurrency(16).order(ImsSenderSettings.Order.SHUFFLED).seed(7).build())) {
            delivered = ion.deliver(plan.messages());
        }
        Duration took = Duration.between(started, Instant.now());
        assertTrue(delivered.handshake().ok(), "ping and protocol answered: " + delivered.handshake());
        assertEquals(delivered.messages(), delivered.acknowledged(), "every message acknowledged: " + delivered);
        List<ConsumerRecord<String, String>> all = cluster.topics().readToEnd(ORDERS, Duration.ofSeconds(60));
        List<ConsumerRecord<String, String>> written = all.subList(recordsBefore, all.size());
        long audited = cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60)).size() - auditedBefore;

        // 100 messages signed with the wrong secret: 401 each, nothing written
        ScenarioPlan forged = ScenarioPlan.generate(ScenarioPlan.Settings.defaults().withPurchaseOrders(100)
                .withSeed(99).withMaxVariations(1).withHazards(Hazards.NONE));
        DeliveryReport refused;
        try (ImsSender attacker = new ImsSender(ImsSenderSettings.builder(endpoint).oauth1(CONSUMER_KEY, CONSUMER_SECRET)
                .badCredentials(BadCredentials.forFirst(100)).retry(RetryPolicy.none()).concurrency(4).build())) {
            refused = attacker.deliver(forged.messages());
        }
        assertEquals(100, refused.statusCounts().getOrDefault(401, 0L), "each forged message refused: " + refused);
        assertEquals(0, refused.acknowledged());
        assertEquals(all.size(), cluster.topics().readToEnd(ORDERS, Duration.ofSeconds(60)).size(),
                "no record for a forged message");
        assertEquals(auditedBefore + audited, cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60)).size());

        Map<String, PurchaseOrderVersion> current = plan.currentPurchaseOrders();
        assertNewestLastAndExact(current, written);
        assertEquals(delivered.acknowledged(), written.size() + audited,
                "each acknowledged message made exactly one record: the version or its audit");

        Await.until(orders + " tasks", Duration.ofMinutes(5), () -> systems.asana().taskCount() >= tasksBefore + orders);
        // every record taken: a late one would be a second create (the topic is transactional: see awaitCommitted)
        cluster.topics().awaitCommitted("connect-" + SINK, ORDERS, Map.of(new TopicPartition(ORDERS, 0),
                written.get(written.size() - 1).offset() + 1), Duration.ofMinutes(2));
        assertEquals(tasksBefore + orders, systems.asana().taskCount(), "one task per PO");
        assertEquals(createsBefore + orders, systems.asana().log().calls("asana.createTask"), "no task made twice");
        System.out.printf("ion push: %d messages (%s) for %d POs delivered in %d ms -> %d records, %d audited; "
                        + "100 forged -> 401; %d tasks%n", delivered.messages(), plan.kinds(), orders, took.toMillis(),
                written.size(), audited, systems.asana().taskCount() - tasksBefore);
    }

    @Test
    void aWorkerKilledMidDeliveryLosesNothingAndWhatIonDidNotSeeAcknowledgedIsDeliveredAgain() throws Exception {
        ScenarioPlan plan = ScenarioPlan.generate(ScenarioPlan.Settings.defaults().withPurchaseOrders(200).withSeed(8)
                .withFirstNumber(4_100_000_000L).withHazards(new Hazards(0.05, 0.05, 0.15, 0.5, 0)));
        long startSize = cluster.topics().size(ORDERS);
        // ION's retry schedule is not public: the simulator retries a refused connection every 0.2 to 2 s, long enough
        // for the worker to come back
        CompletableFuture<DeliveryReport> delivery = CompletableFuture.supplyAsync(() -> {
            try (ImsSender ion = new ImsSender(ImsSenderSettings.builder(endpoint).oauth1(CONSUMER_KEY, CONSUMER_SECRET)
                    .concurrency(8).order(ImsSenderSettings.Order.SHUFFLED).seed(3).retry(RetryPolicy.defaults()
                            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2), 2).withMaxAttempts(200)).build())) {
                return ion.deliver(plan.messages());
            }
        });
        Await.until("a quarter of the POs in Kafka", Duration.ofSeconds(60),
                () -> cluster.topics().size(ORDERS) >= startSize + plan.currentPurchaseOrders().size() / 4
                        || delivery.isDone());
        cluster.killWorker();
        cluster.startWorker();
        cluster.rest().awaitRunning(SOURCE, 1, Duration.ofSeconds(90));
        DeliveryReport report = delivery.get(5, TimeUnit.MINUTES);

        assertEquals(report.messages(), report.acknowledged(), "ION delivered everything in the end: " + report);
        long cut = report.outcomes().stream().filter(o -> o.attempts() > 1).count();
        assertTrue(cut > 0, "the kill cut deliveries, which ION delivered again: " + report);
        List<ConsumerRecord<String, String>> written = cluster.topics().readToEnd(ORDERS, Duration.ofSeconds(60));
        Set<String> inKafka = messageIds(written);
        inKafka.addAll(messageIds(cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(60))));
        List<String> lost = report.outcomes().stream().filter(DeliveryReport.MessageOutcome::acknowledged)
                .map(DeliveryReport.MessageOutcome::messageId).filter(id -> !inKafka.contains(id)).toList();
        assertEquals(List.of(), lost, "acknowledged messages with no record in Kafka");
        assertNewestLastAndExact(plan.currentPurchaseOrders(), written);
        System.out.printf("ion push, kill -9: %d messages, %d cut and delivered again (%d attempts), all %d "
                + "acknowledged in Kafka; each PO's newest version last%n", report.messages(), cut, report.attempts(),
                report.acknowledged());
    }

    /**
     * Each planned PO's records are in rising variation order (none overwritten by an older or repeated one), and
     * its last record is its newest version, field for field.
     */
    private static void assertNewestLastAndExact(Map<String, PurchaseOrderVersion> current,
                                                 List<ConsumerRecord<String, String>> records) throws Exception {
        Map<String, JsonNode> latest = new HashMap<>();
        Map<String, Long> variations = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            String number = JSON.readTree(record.key()).path("payload").path("number").asText();
            if (!current.containsKey(number)) {
                continue;
            }
            long variation = Long.parseLong(header(record, "ion.variation"));
            Long before = variations.put(number, variation);
            assertTrue(before == null || before < variation, "PO " + number + ": variation " + variation
                    + " written after " + before + ": a stale or repeated version overwrote a newer one");
            latest.put(number, record.value() == null ? null : JSON.readTree(record.value()).path("payload"));
        }
        assertEquals(current.keySet(), latest.keySet(), "exactly the planned POs");
        for (PurchaseOrderVersion po : current.values()) {
            JsonNode record = latest.get(po.number());
            assertEquals(po.variationId(), (long) variations.get(po.number()), "the newest variation is the last written");
            assertEquals(po.supplierId(), record.path("supplier_id").asText());
            assertEquals(po.supplierName(), record.path("supplier_name").asText(), "free text intact");
            assertEquals(po.currency(), record.path("currency").asText());
            // JsonConverter writes a Connect Decimal as the base64 of its unscaled value (amount.scale 2)
            BigDecimal amount = new BigDecimal(new BigInteger(Base64.getDecoder().decode(record.path("amount").asText())), 2);
            assertEquals(0, po.totalAmount().compareTo(amount), "exact amount");
        }
    }

    /** The message ids the records carry. */
    private static Set<String> messageIds(List<ConsumerRecord<String, String>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(header(r, "ion.message.id")));
        return ids;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertTrue(header != null, "record without " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
