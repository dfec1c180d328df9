package io.mlconnector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A purchase order created in the ION simulator until its task exists in the Asana simulator, through the Infor
 * source and the Asana sink as config-examples configure them (purchase orders only, with a shorter poll interval).
 * Orders are created one at a time at random moments, so they land anywhere in the poll cycle.
 */
final class EndToEndBench {

    private static final String BENCH = "End to end";
    private static final String SOURCE = "bench-e2e-infor-source";
    private static final String SINK = "bench-e2e-asana-sink";
    private static final String PUBLIC_API = "https://app.asana.com/api/1.0";
    private static final String PO_TOPIC = "infor.ACME_TST.purchase-orders";
    private static final int SEEDED = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EndToEndBench() {
    }

    static List<Figure> run(KafkaConnectCluster cluster, Size size) throws Exception {
        cluster.topics().recreate(3, PO_TOPIC);
        cluster.topics().recreate(1, "infor.ACME_TST.suppliers", "infor.ACME_TST.data-errors", "ml.dlq.asana-sink",
                "ml.task-ledger");
        Path dir = Files.createDirectories(cluster.workDir().resolve("e2e-secrets-" + UUID.randomUUID()));
        try (IonSimulator ion = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(SEEDED, 0, 0));
             AsanaSimulator asana = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            Files.createDirectories(dir.resolve("ionapi"));
            Files.writeString(dir.resolve("ionapi").resolve(ion.tenant() + ".ionapi"), ion.ionApiJson());
            String token = "pat-" + UUID.randomUUID();
            Map<String, Object> seeded = asana.seedPurchaseOrderProject(token);
            ExampleConfig.writeAsanaProperties(dir, token, (String) seeded.get("workspace"), (String) seeded.get("project"), 1500);

            Map<String, String> source = new LinkedHashMap<>(ExampleConfig.load("infor-source-m3.json").secretsDir(dir).toMap());
            source.put("infor.entities", "purchase-orders");
            source.put("purchase-orders.poll.interval.ms", String.valueOf(size.pollInterval.toMillis()));
            cluster.rest().putConfig(SINK, ExampleConfig.load("asana-sink-purchase-orders.json")
                    .location(PUBLIC_API, asana.apiUrl()).kafka(cluster.bootstrapServers()).secretsDir(dir).toMap());
            cluster.rest().putConfig(SOURCE, source);
            try {
                awaitTasks(asana, SEEDED, Duration.ofMinutes(2));
                Latencies latencies = new Latencies();
                String supplier = ionGet(ion, "/_sim/m3/CIDMAS?CONO=100&limit=1").get(0).path("SUNO").asText();
                for (int i = 0; i < size.endToEndSamples; i++) {
                    // pacing, not waiting: a change at a random point of the poll interval, as buyers make them
                    Thread.sleep(ThreadLocalRandom.current().nextLong(size.pollInterval.toMillis()));
                    int tasks = asana.taskCount();
                    long created = System.nanoTime();
                    createPurchaseOrder(ion, supplier);
                    awaitTasks(asana, tasks + 1, size.pollInterval.multipliedBy(4).plusSeconds(10));
                    latencies.add((System.nanoTime() - created) / 1e6);
                }
                double p99 = latencies.percentile(99);
                double bar = size.pollInterval.toMillis() + 1_000;
                return List.of(Figure.bar(BENCH, "PO change → task in Asana, p50 / p99 (" + latencies.count() + " POs)",
                        Bench.millis(latencies.percentile(50)) + " / " + Bench.millis(p99),
                        "p99 ≤ poll interval " + Bench.millis(size.pollInterval.toMillis()) + " + 1 s", p99 <= bar));
            } finally {
                cluster.rest().delete(SOURCE);
                cluster.rest().delete(SINK);
            }
        }
    }

    /** Waits until the simulator holds {@code count} tasks, looking every 5 ms: the latencies measured end here. */
    static void awaitTasks(AsanaSimulator asana, int count, Duration timeout) throws InterruptedException {
        Await.timed("the Asana simulator to hold " + count + " tasks", timeout, Duration.ofMillis(5),
                () -> asana.taskCount() >= count);
    }

    /** A new PO in division 100/AAA, stamped as changed now, as a buyer entering it in M3 would. */
    static void createPurchaseOrder(IonSimulator ion, String supplier) throws Exception {
        Map<String, String> head = Map.of("CONO", "100", "DIVI", "AAA", "SUNO", supplier,
                "PUDT", LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE), "PUSL", "15", "PUST", "20",
                "COAM", "4321.50", "CUCD", "EUR", "BUYE", "BENCH");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ion.baseUrl() + "/_sim/m3/MPHEAD"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(head)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("the ION simulator did not add the PO: " + answer.body());
        }
    }

    static JsonNode ionGet(IonSimulator ion, String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ion.baseUrl() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }
}
