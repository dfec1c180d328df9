package io.mlconnector.asana;

import io.mlconnector.http.RetryPolicy;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One simulator with the PO/invoice project seeded for a fresh token, and a client for it. */
final class SimFixture implements AutoCloseable {
    final AsanaSimulator sim;
    final String token = "pat-" + UUID.randomUUID();
    final String workspace;
    final String project;
    final String user;
    final Map<String, String> fields;

    @SuppressWarnings("unchecked")
    SimFixture(AsanaSimulator.Config config) throws IOException {
        sim = AsanaSimulator.start(config.withAnswerChecks());
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
        workspace = (String) seeded.get("workspace");
        project = (String) seeded.get("project");
        user = (String) seeded.get("user");
        fields = (Map<String, String>) seeded.get("customFields");
    }

    SimFixture() throws IOException {
        this(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)));
    }

    /** A client with a budget far above what functional tests use, so only the tested limits apply. */
    AsanaClient client() {
        return client(AsanaCredentials.personalAccessToken(token));
    }

    AsanaClient client(AsanaCredentials credentials) {
        return AsanaClient.builder(credentials).baseUrl(sim.apiUrl()).budget(100_000, Duration.ofMinutes(1))
                .retryPolicy(new RetryPolicy(3, 5, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(60))).build();
    }

    /** Calls the simulator answered for one operation, e.g. {@code createTask}. */
    long calls(String operationId) {
        return sim.log().calls("asana." + operationId);
    }

    /** Fails the test when the simulator gave an answer the spec does not allow: the client must meet real ones. */
    @Override
    public void close() {
        List<String> problems = sim.answerProblemKinds();
        sim.close();
        if (!problems.isEmpty()) {
            throw new AssertionError("answers broke the spec: " + problems);
        }
    }
}
