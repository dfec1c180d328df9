package io.mlconnector.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.Webhook;
import io.mlconnector.asana.WebhookSignature;
import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook source (config-examples/asana-webhook-source.json) taking signed deliveries as fast as they come. The
 * connector registers its webhook with the Asana simulator (handshake included); then this load generator POSTs
 * {@code {"events":[...]}} batches signed with that webhook's secret straight at the endpoint, as Asana does,
 * from a few connections at once. Each event changes a different task of the batch, so the source reads every one.
 */
final class WebhookBench {

    private static final String BENCH = "Webhook source";
    private static final String NAME = "bench-asana-webhook-source";
    private static final String PUBLIC_API = "https://app.asana.com/api/1.0";
    private static final String TOPIC = "asana.task-events";
    private static final String CHECKPOINTS = "asana.webhook-source.checkpoints";
    private static final int EVENTS_PER_POST = 20;
    private static final int CONNECTIONS = 4;
    private static final int TASKS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBench() {
    }

    static List<Figure> run(KafkaConnectCluster cluster, Size size) throws Exception {
        cluster.topics().recreate(1, TOPIC, CHECKPOINTS);
        // Asana's budget is not what this measures: the endpoint's own rate is.
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(1_000_000, Duration.ofMinutes(1)))) {
            String token = "pat-" + UUID.randomUUID();
            Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
            String workspace = (String) seeded.get("workspace");
            String project = (String) seeded.get("project");
            String user = (String) seeded.get("user");
            List<String> tasks = sim.seedTasks(project, user, TASKS);
            int port = freePort();
            cluster.rest().putConfig(NAME, config(cluster, sim, token, workspace, project, port));
            try {
                String secret = awaitWebhookSecret(sim, token, workspace, project, Duration.ofMinutes(2));
                URI endpoint = URI.create("http://127.0.0.1:" + port + "/asana/webhook");
                awaitHeartbeatAccepted(endpoint, secret, Duration.ofSeconds(30));
                int posts = size.webhookEvents / EVENTS_PER_POST;
                // As many deliveries first, produced but not timed: they compile the worker's request path, as any
                // long-running worker has. A tenth as many was not enough: the worker's C2 compiler still took over
                // 40 % of a core through the timed deliveries, so the figures were those of the JIT at work.
                int warmUp = posts;
                post(endpoint, secret, user, tasks, 0, warmUp, new Latencies());
                Bench.awaitEndOffset(cluster, TOPIC, (long) warmUp * EVENTS_PER_POST, Duration.ofMinutes(5));
                Latencies latencies = new Latencies();
                Instant start = Instant.now();
                post(endpoint, secret, user, tasks, warmUp, warmUp + posts, latencies);
                Instant done = Bench.awaitEndOffset(cluster, TOPIC, (long) (warmUp + posts) * EVENTS_PER_POST, Duration.ofMinutes(5));
                double perSecond = posts * EVENTS_PER_POST / (Duration.between(start, done).toMillis() / 1000.0);
                String load = Bench.count((long) posts * EVENTS_PER_POST) + " events, " + EVENTS_PER_POST + " a POST, "
                        + CONNECTIONS + " connections";
                double p99 = latencies.percentile(99);
                double readsPerEvent = (double) sim.log().calls("asana.getTask") / ((warmUp + posts) * EVENTS_PER_POST);
                double callsPerEvent = (double) sim.log().calls("asana.createBatchRequest") / ((warmUp + posts) * EVENTS_PER_POST);
                return List.of(
                        Figure.context(BENCH, "task reads of Asana per event (the enrichment), in batch calls",
                                String.format(Locale.ROOT, "%.2f reads in %.2f calls", readsPerEvent, callsPerEvent),
                                "one read per task per POST, 10 to a call"),
                        Figure.bar(BENCH, "verified events/s into Kafka (" + load + ")", Bench.rate(perSecond, "events/s"),
                                "≥ 2,000 events/s", perSecond >= 2_000),
                        Figure.bar(BENCH, "POST → 200, p50 / p99", Bench.millis(latencies.percentile(50)) + " / "
                                + Bench.millis(p99), "p99 ≤ 100 ms (Asana allows 10 s)", p99 <= 100));
            } finally {
                cluster.rest().delete(NAME);
            }
        }
    }

    /** POSTs signed deliveries {@code from} to {@code to} (exclusive) over a few connections; each must be answered 200. */
    private static void post(URI endpoint, String secret, String user, List<String> tasks, int from, int to,
                             Latencies latencies) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger(from);
        long epochMillis = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                running.add(pool.submit(() -> {
                    for (int n; (n = next.getAndIncrement()) < to; ) {
                        byte[] body = JSON.writeValueAsBytes(batch(n, user, tasks, epochMillis));
                        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                                .header("X-Hook-Signature", WebhookSignature.compute(secret, body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        long sent = System.nanoTime();
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        latencies.add((System.nanoTime() - sent) / 1e6);
                        if (status != 200) {
                            throw new IllegalStateException("the endpoint answered " + status + " to delivery " + n);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The task has the secret once it answers a signed heartbeat (an empty delivery) with 200. */
    private static void awaitHeartbeatAccepted(URI endpoint, String secret, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        byte[] heartbeat = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpRequest signed = HttpRequest.newBuilder(endpoint)
                .header("X-Hook-Signature", WebhookSignature.compute(secret, heartbeat))
                .POST(HttpRequest.BodyPublishers.ofByteArray(heartbeat)).build();
        Await.until("the webhook endpoint to accept a signed heartbeat", timeout,
                () -> http.send(signed, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Delivery {@code n}: task name changes, each on another task and at its own millisecond, so none repeats another. */
    private static ObjectNode batch(int n, String user, List<String> tasks, long epochMillis) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        for (int i = 0; i < EVENTS_PER_POST; i++) {
            int event = n * EVENTS_PER_POST + i;
            ObjectNode e = events.addObject();
            e.putObject("user").put("gid", user).put("resource_type", "user");
            e.put("created_at", Instant.ofEpochMilli(epochMillis + event).toString());
            e.put("action", "changed");
            e.putObject("resource").put("gid", tasks.get(event % tasks.size())).put("resource_type", "task")
                    .put("resource_subtype", "default_task");
            e.putNull("parent");
            e.putObject("change").put("field", "name").put("action", "changed");
        }
        return body;
    }

    /** The secret Asana signs with, once the connector's webhook is registered (the simulator knows it, as Asana does). */
    private static String awaitWebhookSecret(AsanaSimulator sim, String token, String workspace, String project,
                                             Duration timeout) throws InterruptedException {
        AsanaClient client = AsanaClient.builder(AsanaCredentials.personalAccessToken(token)).baseUrl(sim.apiUrl())
                .budget(1_000_000, Duration.ofMinutes(1)).build();
        return Await.value("the webhook source to register its webhook", timeout, () -> client.listWebhooks(workspace, project)
                .stream().findFirst().map(hook -> sim.webhookSecret(hook.gid())));
    }

    private static Map<String, String> config(KafkaConnectCluster cluster, AsanaSimulator sim, String token, String workspace,
                                              String project, int port) throws Exception {
        Path dir = Files.createDirectories(cluster.workDir().resolve("webhook-secrets-" + UUID.randomUUID()));
        ExampleConfig.writeAsanaProperties(dir, token, workspace, project, 1_000_000);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(dir.resolve("asana-webhook-source.properties"),
                "secret.encryption.key=" + Base64.getEncoder().encodeToString(key) + "\n");
        return ExampleConfig.load("asana-webhook-source.json").location(PUBLIC_API, sim.apiUrl())
                .location("https://connect.example.com", "http://127.0.0.1:" + port)
                .location("\"0.0.0.0\"", "\"127.0.0.1\"")
                .location("\"8090\"", "\"" + port + "\"")
                .secretsDir(dir).toMap();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
