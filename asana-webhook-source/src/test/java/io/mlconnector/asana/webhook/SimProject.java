package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.Event;
import io.mlconnector.asana.SyncToken;
import io.mlconnector.asana.SyncTokenExpiredException;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.TaskRequest;
import io.mlconnector.http.RetryPolicy;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The Asana simulator (answers checked against the spec) with the purchase-order project seeded: the
 * connector's user and client, and a reviewer, a person of their own who changes tasks as in Asana's UI.
 */
final class SimProject implements AutoCloseable {

    static final String TOPIC = "asana.task-events";
    static final String CHECKPOINTS = "asana.checkpoints";
    /** The connector's default webhook filters. */
    static final WebhookFilters TASK_FILTERS = WebhookFilters.parse(
            List.of("task:changed", "task:added", "task:removed", "task:deleted", "task:undeleted"));

    final AsanaSimulator sim;
    final String workspace;
    final String project;
    /** The Asana user of the connector's token. */
    final String user;
    final String reviewer;
    final AsanaClient client;
    final ExecutorService readers = Executors.newFixedThreadPool(4);

    SimProject() throws IOException {
        sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1))
                .withAnswerChecks());
        String token = "pat-" + UUID.randomUUID();
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
        workspace = (String) seeded.get("workspace");
        project = (String) seeded.get("project");
        user = (String) seeded.get("user");
        reviewer = sim.addUser("Reviewer", "reviewer@example.com");
        client = AsanaClient.builder(AsanaCredentials.personalAccessToken(token)).baseUrl(sim.apiUrl())
                .budget(100_000, Duration.ofMinutes(1))
                .retryPolicy(new RetryPolicy(3, 5, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(60))).build();
    }

    Task createTask(String name) {
        return client.createTask(TaskRequest.builder(name).project(project).build());
    }

    /** A change made in Asana's UI by {@code userGid}. */
    void change(String taskGid, String userGid, String field, Object value) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (value instanceof Boolean b) {
            data.put(field, b);
        } else {
            data.put(field, String.valueOf(value));
        }
        sim.changeTaskAsUser(taskGid, userGid, data);
    }

    /** A token marking "now" for the project, as a first events call gets it. */
    SyncToken syncToken() {
        try {
            return client.getEvents(project, null).sync();
        } catch (SyncTokenExpiredException e) {
            return e.freshToken();
        }
    }

    /** The project's events after {@code token}, read without moving anyone's token. */
    List<Event> eventsSince(SyncToken token) {
        return client.getEvents(project, token).events();
    }

    /** Budgeted requests so far, as Asana counts them: each action of a batch is one. */
    long requests() {
        return sim.log().counter(AsanaSimulator.BUDGET_COUNTED);
    }

    long calls(String operationId) {
        return sim.log().calls("asana." + operationId);
    }

    /** Everything the outbox holds now, as {@code poll()} would return it over several calls. */
    static List<SourceRecord> drain(RecordOutbox outbox) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        List<SourceRecord> batch;
        while ((batch = outbox.drain(0, 1000)) != null) {
            all.addAll(batch);
        }
        return all;
    }

    static List<SourceRecord> events(List<SourceRecord> records) {
        return records.stream().filter(r -> r.topic().equals(TOPIC)).toList();
    }

    static RecordOutbox outbox(String resource) {
        return new RecordOutbox(resource, TOPIC, CHECKPOINTS, 1000, SourceOffset.EMPTY, Clock.systemUTC());
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5); // a poll interval, not a wait for something
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Fails the test when the simulator gave an answer the spec does not allow. */
    @Override
    public void close() {
        readers.shutdownNow();
        client.close();
        List<String> problems = sim.answerProblems();
        sim.close();
        assertEquals(List.of(), problems, "answers that broke the spec");
    }
}
