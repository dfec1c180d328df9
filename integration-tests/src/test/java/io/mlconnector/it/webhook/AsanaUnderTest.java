package io.mlconnector.it.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.Webhook;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A simulator with the PO project and 20 numbered tasks, a free listener port, and the files the example reads. */
public record AsanaUnderTest(AsanaSimulator sim, AsanaClient client, String workspace, String project, String user,
        List<String> tasks, int port, Path secretsDir) implements AutoCloseable {

    static final String EXAMPLE = "asana-webhook-source.json";
    static final String PUBLIC_API = "https://app.asana.com/api/1.0";
    static final String PUBLIC_TARGET = "https://connect.example.com";
    public static final int TASKS = 20;

    public static AsanaUnderTest start(KafkaConnectCluster cluster, Duration failureWindow) throws Exception {
        return start(cluster, failureWindow, 6000);
    }

    public static AsanaUnderTest start(KafkaConnectCluster cluster, Duration failureWindow, int budgetPerMinute)
            throws Exception {
        return start(cluster, failureWindow, budgetPerMinute, Duration.ofMinutes(1));
    }

    /** A budget over another window than Asana's minute: the connectors then need asana.rate.limit.window.ms. */
    @SuppressWarnings("unchecked")
    public static AsanaUnderTest start(KafkaConnectCluster cluster, Duration failureWindow, int budgetPerMinute,
            Duration budgetWindow) throws Exception {
        AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults()
                .withBudget(budgetPerMinute, budgetWindow)
                .withWebhookTiming(Duration.ofMillis(500), failureWindow, Duration.ofMinutes(10)).withAnswerChecks());
        String token = "pat-" + UUID.randomUUID();
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
        String project = (String) seeded.get("project");
        String user = (String) seeded.get("user");
        String poField = ((Map<String, String>) seeded.get("customFields")).get("PO number");
        List<String> tasks = sim.seedTasks(project, user, TASKS);
        for (int i = 0; i < TASKS; i++) {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.putObject("custom_fields").put(poField, "PO-" + (4500 + i));
            sim.changeTaskAsUser(tasks.get(i), user, data);
        }
        Path dir = Files.createDirectories(cluster.workDir().resolve("secrets-" + UUID.randomUUID()));
        ExampleConfig.writeAsanaProperties(dir, token, (String) seeded.get("workspace"), project, budgetPerMinute);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(dir.resolve("asana-webhook-source.properties"),
                "secret.encryption.key=" + Base64.getEncoder().encodeToString(key) + "\n");
        // the test looks through a token of its own, so that it spends nothing of the connectors' budget
        String testToken = "pat-test-" + UUID.randomUUID();
        sim.addToken(testToken, user, false);
        AsanaClient client = AsanaClient.builder(AsanaCredentials.personalAccessToken(testToken))
                .baseUrl(sim.apiUrl()).budget(1_000_000, Duration.ofMinutes(1)).build();
        return new AsanaUnderTest(sim, client, (String) seeded.get("workspace"), project, user, tasks, freePort(), dir);
    }

    public Map<String, String> connectorConfig() {
        return ExampleConfig.load(EXAMPLE).location(PUBLIC_API, sim.apiUrl())
                .location(PUBLIC_TARGET, "http://127.0.0.1:" + port)
                .location("\"0.0.0.0\"", "\"127.0.0.1\"")
                .location("\"8090\"", "\"" + port + "\"")
                .secretsDir(secretsDir).toMap();
    }

    /** The PO sink example on the same token and budget file. */
    public Map<String, String> sinkConfig(KafkaConnectCluster cluster) {
        return ExampleConfig.load("asana-sink-purchase-orders.json").location(PUBLIC_API, sim.apiUrl())
                .kafka(cluster.bootstrapServers()).secretsDir(secretsDir).toMap();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port + "/asana/webhook";
    }

    public List<Webhook> webhooks() {
        return client.listWebhooks(workspace, project);
    }

    /** Changes every task's name {@code rounds} times, as a person would; returns the number of changes. */
    public int renameEveryTask(int rounds, String label) throws InterruptedException {
        for (int round = 1; round <= rounds; round++) {
            for (String task : tasks) {
                sim.changeTaskAsUser(task, user, JsonNodeFactory.instance.objectNode()
                        .put("name", label + " " + round + " of " + task));
            }
            // Pacing, not waiting: Asana events carry no id, so two changes of one task's name within a
            // millisecond would look alike.
            Thread.sleep(2);
        }
        return rounds * tasks.size();
    }

    /**
     * A change made after the ones a test checks, to fence them off: a task's notes, which no other change touches.
     * Asana delivers a webhook's events in order, retrying the oldest first, the events API lists them in order, and
     * the source writes them in the order it takes them: whatever it writes about the earlier changes, a duplicate
     * included, is on the topic before the barrier's event.
     */
    public record Barrier(Instant made) {
        /** Whether the event is this barrier's. */
        public boolean is(JsonNode event) {
            return isBarrier(event) && !Instant.ofEpochMilli(event.path("created_at").asLong()).isBefore(made);
        }

        /** Whether the event is any barrier's: the test's own fence, not data under test. */
        public static boolean isBarrier(JsonNode event) {
            return "notes".equals(event.path("changed_field").asText());
        }
    }

    /** Makes a {@link Barrier}: changes the first task's notes. */
    public Barrier barrier() {
        Instant made = Instant.now().truncatedTo(ChronoUnit.MILLIS); // event times are whole milliseconds
        sim.changeTaskAsUser(tasks.get(0), user, JsonNodeFactory.instance.objectNode().put("notes", "barrier " + made));
        return new Barrier(made);
    }

    /** Fails the test when the simulator answered the connector in a way the spec does not allow. */
    @Override
    public void close() {
        List<String> problems = sim.answerProblemKinds();
        sim.close();
        if (!problems.isEmpty()) {
            throw new AssertionError("answers broke the spec: " + problems);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
