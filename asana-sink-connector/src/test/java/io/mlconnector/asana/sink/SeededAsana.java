package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.http.RetryPolicy;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An Asana simulator with the purchase-order project seeded for a fresh token, checking every answer against the
 * spec, and clients of it that retry fast. Closing it fails the test when an answer broke the spec.
 */
final class SeededAsana implements AutoCloseable {
    final AsanaSimulator sim;
    final String token = "pat-" + UUID.randomUUID();
    final String workspace;
    final String project;
    final String user;

    SeededAsana() throws IOException {
        sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1))
                .withAnswerChecks());
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
        workspace = (String) seeded.get("workspace");
        project = (String) seeded.get("project");
        user = (String) seeded.get("user");
    }

    /** A client of the seeded token. */
    AsanaClient client() {
        return client(AsanaCredentials.personalAccessToken(token));
    }

    AsanaClient client(AsanaCredentials credentials) {
        return AsanaClient.builder(credentials).baseUrl(sim.apiUrl()).budget(100_000, Duration.ofMinutes(1))
                .retryPolicy(new RetryPolicy(3, 5, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(60))).build();
    }

    @Override
    public void close() {
        List<String> problems = sim.answerProblems();
        sim.close();
        assertEquals(List.of(), problems, "answers that broke the spec");
    }
}
