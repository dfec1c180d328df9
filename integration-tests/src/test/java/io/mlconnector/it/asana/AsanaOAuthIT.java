package io.mlconnector.it.asana;

import static io.mlconnector.it.asana.PurchaseOrderRecords.purchaseOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OAuth that lasts: the first refresh token comes from {@code AsanaAuthorizeCommand}, run from the Asana plugin
 * archive against the simulator's consent page; then the sink from {@code asana-sink-purchase-orders-oauth.json}
 * writes tasks through many lifetimes of short access tokens ({@code -Dit.oauth.token.seconds}: 30 in CI, 60 for
 * the full run) for {@code -Dit.oauth.minutes} (2 in CI, 20 for the full run), and Asana never answers 401.
 */
@ExtendWith(SharedCluster.class)
class AsanaOAuthIT {

    private static final String EXAMPLE = "asana-sink-purchase-orders-oauth.json";
    private static final String PO_TOPIC = "infor.ACME_TST.purchase-orders";
    private static final Duration BATCH_EVERY = Duration.ofSeconds(10);

    @Test
    void shortLivedTokensAreRenewedAndTasksAreWrittenThroughout(KafkaConnectCluster cluster) throws Exception {
        long tokenSeconds = Long.getLong("it.oauth.token.seconds", 30);
        long minutes = Long.getLong("it.oauth.minutes", 2);
        cluster.topics().recreate(3, PO_TOPIC);
        cluster.topics().recreate(1, "infor.ACME_TST.suppliers", "ml.dlq.asana-sink", "ml.task-ledger");
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults()
                .withBudget(1_000_000, Duration.ofMinutes(1)).withOAuthTokenLifetime(Duration.ofSeconds(tokenSeconds)))) {
            Map<String, Object> seeded = sim.seedPurchaseOrderProject("pat-" + UUID.randomUUID());
            Path secrets = Files.createDirectories(cluster.workDir().resolve("secrets-" + UUID.randomUUID()));
            ExampleConfig.writeAsanaProperties(secrets, "unused", (String) seeded.get("workspace"),
                    (String) seeded.get("project"), 1_000_000);
            String redirectUri = "http://127.0.0.1:" + freePort() + "/oauth/callback";
            Files.writeString(secrets.resolve("asana-oauth.properties"), "client.id=" + sim.oauthClientId()
                    + "\nclient.secret=" + sim.oauthClientSecret() + "\nredirect.uri=" + redirectUri + "\n");
            Path refreshToken = secrets.resolve("asana-oauth/refresh-token");
            Files.createDirectories(refreshToken.getParent());

            sim.consentAs((String) seeded.get("user"));
            authorizeFromThePluginArchive(cluster, sim, redirectUri, refreshToken);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(refreshToken)));

            Map<String, String> config = ExampleConfig.load(EXAMPLE)
                    .location("https://app.asana.com/api/1.0", sim.apiUrl())
                    .location("https://app.asana.com/-/oauth_token", sim.tokenUrl())
                    .kafka(cluster.bootstrapServers()).secretsDir(secrets).toMap();
            cluster.topics().produceAll("infor.ACME_TST.suppliers",
                    List.of(PurchaseOrderRecords.supplier("S00001", "Supplier 01 AB")));
            cluster.rest().putConfig("asana-sink-oauth", config);
            try {
                cluster.rest().awaitRunning("asana-sink-oauth", 2, Duration.ofSeconds(90));
                int produced = 0;
                List<Integer> tasksPerMinute = new ArrayList<>();
                Instant end = Instant.now().plus(Duration.ofMinutes(minutes));
                Instant nextMinute = Instant.now().plus(Duration.ofMinutes(1));
                while (Instant.now().isBefore(end)) {
                    Instant batchDue = Instant.now().plus(BATCH_EVERY);
                    List<Map.Entry<String, String>> batch = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        produced++;
                        batch.add(purchaseOrder(String.format("41%08d", produced), "S00001", "Supplier 01 AB",
                                new BigDecimal(produced).add(new BigDecimal("0.50")), "EUR", "20"));
                    }
                    cluster.topics().produceAll(PO_TOPIC, batch);
                    int expected = produced;
                    awaitAtLeast(sim::taskCount, expected, Duration.ofSeconds(30), "tasks");
                    if (!Instant.now().isBefore(nextMinute)) {
                        tasksPerMinute.add(sim.taskCount());
                        nextMinute = nextMinute.plus(Duration.ofMinutes(1));
                    }
                    awaitTime(batchDue);
                }
                long tokens = sim.log().calls("asana.oauth_token", 200);
                System.out.printf("OAuth run: %d min, %d-s tokens, %d tasks, %d access tokens issued, %d answers 401, "
                        + "tasks at each minute %s%n", minutes, tokenSeconds, produced, tokens,
                        sim.log().counter("asana.unauthorized"), tasksPerMinute);
                assertEquals(produced, sim.taskCount(), "every PO became one task");
                assertEquals(0, sim.log().counter("asana.unauthorized"), "no call went out with an expired token");
                assertTrue(tokens >= 2 * (minutes * 60 / tokenSeconds - 1),
                        "both sink tasks renewed their token through the run: " + tokens);
            } finally {
                cluster.rest().delete("asana-sink-oauth");
            }
        }
    }

    /** Runs the command as an administrator would, from the installed archive's jars; a script plays the browser. */
    private static void authorizeFromThePluginArchive(KafkaConnectCluster cluster, AsanaSimulator sim,
            String redirectUri, Path out) throws Exception {
        Path lib;
        try (Stream<Path> files = Files.walk(cluster.workDir().resolve("plugins"))) {
            lib = files.filter(p -> p.getFileName().toString().startsWith("asana-client-")
                    && p.toString().contains("asana-connectors")).findFirst().orElseThrow().getParent();
        }
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", lib + "/*", "io.mlconnector.asana.AsanaAuthorizeCommand",
                "--client-id", sim.oauthClientId(), "--redirect-uri", redirectUri, "--out", out.toString(),
                "--asana-url", sim.baseUrl(), "--timeout-seconds", "60");
        command.environment().put("ASANA_CLIENT_SECRET", sim.oauthClientSecret());
        command.redirectErrorStream(true);
        Process process = command.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.trim().startsWith(sim.baseUrl() + "/-/oauth_authorize?")) {
                    OkHttpClient browser = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
                    try (Response answer = browser.newCall(new Request.Builder().url(line.trim()).build()).execute()) {
                        assertEquals(200, answer.code(), "the loopback redirect took the code");
                    }
                }
            }
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertEquals(0, process.exitValue(), output.toString());
        assertTrue(output.toString().contains("Authorized by"), output.toString());
    }

    private static void awaitAtLeast(IntSupplier count, int expected, Duration timeout, String what)
            throws InterruptedException {
        Await.until(expected + " " + what, timeout, () -> count.getAsInt() >= expected, () -> count.getAsInt() + " " + what);
    }

    /** Pacing, not waiting: the next batch's time comes, whatever happens meanwhile. */
    private static void awaitTime(Instant due) throws InterruptedException {
        long left = Duration.between(Instant.now(), due).toMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
