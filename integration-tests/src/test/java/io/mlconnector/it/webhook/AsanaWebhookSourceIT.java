package io.mlconnector.it.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.asana.Webhook;
import io.mlconnector.asana.WebhookSignature;
import io.mlconnector.it.Await;
import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.simulators.common.FaultRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Asana webhook source on a real worker, configured from config-examples, with the Asana
 * simulator registering, signing, retrying and deleting webhooks as Asana does.
 */
@ExtendWith(SharedCluster.class)
class AsanaWebhookSourceIT {

    private static final String TOPIC = "asana.task-events";
    private static final String CHECKPOINTS = "asana.webhook-source.checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void handshakeThenEverySignedEventOnceAndNoForgedOne(KafkaConnectCluster cluster) throws Exception {
        String name = "asana-webhook-signed";
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofHours(1))) {
            cluster.rest().putConfig(name, asana.connectorConfig());
            try {
                cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(60));
                Await.until("webhook registered", Duration.ofSeconds(30), () -> asana.webhooks().size() == 1);
                Webhook webhook = asana.webhooks().get(0);
                // Registered with its one-time handshake token, which only that registration's handshake could carry.
                assertTrue(webhook.target().matches(Pattern.quote(asana.endpoint()) + "\\?registration=[A-Za-z0-9_-]{22}"),
                        webhook.target());

                Instant start = Instant.now();
                int changes = asana.renameEveryTask(250, "Signed");
                List<JsonNode> events = values(cluster.topics().read(TOPIC, changes, Duration.ofSeconds(150)));
                Duration took = Duration.between(start, Instant.now());
                assertEquals(changes, events.size());
                assertEquals(changes, distinct(events, "event_id"), "no event produced twice");
                Set<String> keys = new HashSet<>(asana.tasks());
                for (JsonNode event : events) {
                    assertEquals("changed", event.get("action").asText());
                    assertEquals("name", event.get("changed_field").asText());
                    assertTrue(keys.contains(event.get("task_gid").asText()));
                    assertTrue(event.at("/task/po_number").asText().startsWith("PO-45"), event.toString());
                    assertEquals(asana.user(), event.get("user_gid").asText());
                }
                System.out.printf("webhook source: %d signed events in Kafka %d ms after the first change (%.0f events/s),"
                        + " %d of them by the webhook%n", changes, took.toMillis(), changes * 1000.0 / took.toMillis(),
                        events.stream().filter(e -> e.get("origin").asText().equals("webhook")).count());

                HttpClient http = HttpClient.newHttpClient();
                String forged = "{\"events\":[{\"user\":{\"gid\":\"" + asana.user() + "\",\"resource_type\":\"user\"},"
                        + "\"created_at\":\"2030-01-01T00:00:00.000Z\",\"action\":\"changed\",\"resource\":{\"gid\":\""
                        + asana.tasks().get(0) + "\",\"resource_type\":\"task\",\"resource_subtype\":\"default_task\"},"
                        + "\"parent\":null,\"change\":{\"field\":\"completed\",\"action\":\"changed\"}}]}";
                int refused = 0;
                for (int i = 0; i < 500; i++) {
                    HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(asana.endpoint()))
                            .POST(HttpRequest.BodyPublishers.ofString(forged));
                    if (i % 2 == 1) {
                        post.header("X-Hook-Signature", WebhookSignature.compute("guessed-" + i,
                                forged.getBytes(StandardCharsets.UTF_8)));
                    }
                    refused += http.send(post.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 401 ? 1 : 0;
                }
                assertEquals(500, refused, "every unsigned or forged POST answered 401");
                HttpResponse<Void> swap = http.send(HttpRequest.newBuilder(URI.create(asana.endpoint()))
                        .header("X-Hook-Secret", "attacker").POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertEquals(403, swap.statusCode(), "no handshake outside a registration");
                assertTrue(swap.headers().firstValue("X-Hook-Secret").isEmpty());

                asana.renameEveryTask(1, "After the forgeries");
                List<JsonNode> after = eventsBefore(cluster, asana.barrier(), Duration.ofSeconds(60));
                assertEquals(changes + AsanaUnderTest.TASKS, after.size(), "forged POSTs produced nothing, real ones still flow");
                assertEquals(0, after.stream().filter(e -> e.get("changed_field").asText("").equals("completed")).count());

                String secret = asana.sim().webhookSecret(webhook.gid());
                assertNotNull(secret);
                assertFalse(Files.readString(cluster.workerLog()).contains(secret), "secret in the worker log");
                assertFalse(cluster.rest().offsets(name).toString().contains(secret), "secret in the offsets");
                assertFalse(cluster.rest().tasks(name).toString().contains(secret), "secret in the task configs");
                assertTrue(cluster.rest().offsets(name).toString().contains("secret_key_id"), "sealed secret stored");
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    @Test
    void changesMadeWhileStoppedAreAllInKafkaAfterTheRestart(KafkaConnectCluster cluster) throws Exception {
        String name = "asana-webhook-downtime";
        freshTopics(cluster);
        // Asana gives up on the webhook during the downtime, dropping what it had not delivered.
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofSeconds(6))) {
            cluster.rest().putConfig(name, asana.connectorConfig());
            try {
                cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(60));
                Await.until("webhook registered", Duration.ofSeconds(30), () -> asana.webhooks().size() == 1);
                String first = asana.webhooks().get(0).gid();
                int before = asana.renameEveryTask(5, "Before");
                assertEquals(before, values(cluster.topics().read(TOPIC, before, Duration.ofSeconds(30))).size());

                cluster.rest().stop(name);
                cluster.rest().awaitStatus(name, Duration.ofSeconds(30), "STOPPED",
                        s -> s.path("connector").path("state").asText().equals("STOPPED"));
                // event times are whole milliseconds
                Instant down = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                int missed = asana.renameEveryTask(50, "While stopped");
                Await.until("Asana deleted the failing webhook", Duration.ofSeconds(90), () -> asana.webhooks().isEmpty());
                cluster.rest().resume(name);
                Instant up = Instant.now();

                List<JsonNode> all = values(cluster.topics().read(TOPIC, before + missed, Duration.ofSeconds(120)));
                Duration recovery = Duration.between(up, Instant.now());
                assertEquals(before + missed, all.size());
                assertEquals(before + missed, distinct(all, "event_id"), "no event produced twice");
                List<JsonNode> duringDowntime = all.stream()
                        .filter(e -> !Instant.ofEpochMilli(e.get("created_at").asLong()).isBefore(down)).toList();
                assertEquals(missed, duringDowntime.size(), "every change made while stopped");
                // A stopping task may still take a few POSTs; what Asana dropped with the webhook the catch-up recovers.
                long recovered = duringDowntime.stream().filter(e -> e.get("origin").asText().equals("events_api")).count();
                assertTrue(recovered > missed / 2, "recovered by the events catch-up: " + recovered);
                List<Webhook> now = asana.webhooks();
                assertEquals(1, now.size());
                assertNotEquals(first, now.get(0).gid(), "registered again after Asana deleted it");
                System.out.printf("webhook source: %d changes made while stopped in Kafka %d ms after the resume, "
                        + "%d of them recovered by the catch-up%n", missed, recovery.toMillis(), recovered);
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    @Test
    void anExpiredSyncTokenIsReconciledFromTheTasksModifiedSince(KafkaConnectCluster cluster) throws Exception {
        String name = "asana-webhook-expired";
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofSeconds(6))) {
            cluster.rest().putConfig(name, asana.connectorConfig());
            try {
                cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(60));
                Await.until("webhook registered", Duration.ofSeconds(30), () -> asana.webhooks().size() == 1);
                cluster.rest().stop(name);
                cluster.rest().awaitStatus(name, Duration.ofSeconds(30), "STOPPED",
                        s -> s.path("connector").path("state").asText().equals("STOPPED"));
                awaitListenerClosed(asana.port());
                int rounds = 5;
                asana.renameEveryTask(rounds, "While expired");
                Await.until("Asana deleted the failing webhook", Duration.ofSeconds(90), () -> asana.webhooks().isEmpty());
                asana.sim().expireSyncTokens();
                cluster.rest().resume(name);

                List<JsonNode> reconciled = values(cluster.topics().read(TOPIC, AsanaUnderTest.TASKS, Duration.ofSeconds(60)));
                assertEquals(AsanaUnderTest.TASKS, reconciled.size(), "one reconciled state per changed task");
                for (JsonNode event : reconciled) {
                    assertEquals("reconcile", event.get("origin").asText());
                    assertEquals("While expired " + rounds + " of " + event.get("task_gid").asText(),
                            event.at("/task/name").asText(), "the task's latest state");
                }
                assertEquals(AsanaUnderTest.TASKS, distinct(reconciled, "task_gid"));
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    @Test
    void aWebhookAsanaDeletesIsRegisteredAgainAndKeepsDelivering(KafkaConnectCluster cluster) throws Exception {
        String name = "asana-webhook-deleted";
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofHours(1))) {
            cluster.rest().putConfig(name, asana.connectorConfig());
            try {
                cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(60));
                Await.until("webhook registered", Duration.ofSeconds(30), () -> asana.webhooks().size() == 1);
                String first = asana.webhooks().get(0).gid();

                assertTrue(asana.sim().deleteWebhookAsAsana(first));
                Instant deleted = Instant.now();
                int gap = asana.renameEveryTask(2, "While deleted");
                Await.until("registered again", Duration.ofSeconds(30),
                        () -> asana.webhooks().size() == 1 && !asana.webhooks().get(0).gid().equals(first));
                Duration noticed = Duration.between(deleted, Instant.now());
                int delivered = asana.renameEveryTask(5, "Registered again");

                List<JsonNode> all = values(cluster.topics().read(TOPIC, gap + delivered, Duration.ofSeconds(90)));
                assertEquals(gap + delivered, all.size());
                assertEquals(gap + delivered, distinct(all, "event_id"));
                assertEquals(delivered, all.stream().filter(e -> e.get("origin").asText().equals("webhook")).count(),
                        "the new webhook delivers");
                System.out.printf("webhook source: deletion noticed and webhook registered again after %d ms%n",
                        noticed.toMillis());
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    /**
     * For workers Asana cannot reach: no listener, no webhook; every change comes from Asana's events API, read every
     * two seconds here, once each. A connector switched from webhook delivery deletes its webhook.
     */
    @Test
    void withoutAWebhookEveryChangeArrivesFromTheEventsApiOnce(KafkaConnectCluster cluster) throws Exception {
        String name = "asana-webhook-events-only";
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofHours(1))) {
            // first with a webhook, as a user switching modes would have run it
            cluster.rest().putConfig(name, asana.connectorConfig());
            try {
                cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(60));
                Await.until("webhook registered", Duration.ofSeconds(30), () -> asana.webhooks().size() == 1);
                Await.until("webhook stored", Duration.ofSeconds(30),
                        () -> cluster.rest().offsets(name).toString().contains("secret_key_id"));
                Map<String, String> config = new HashMap<>(asana.connectorConfig());
                config.keySet().removeIf(key -> key.startsWith("webhook.") || key.startsWith("listener."));
                config.put("delivery.mode", "EVENTS");
                config.put("catchup.interval.ms", "2000");
                cluster.rest().putConfig(name, config);
                Await.until("the switched connector deleted its webhook", Duration.ofSeconds(60),
                        () -> asana.webhooks().isEmpty());
                cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(60));
                Await.until("the sync token stored", Duration.ofSeconds(30),
                        () -> cluster.rest().offsets(name).toString().contains("\"sync\""));
                long readsBefore = asana.sim().log().calls("asana.getEvents");
                Instant start = Instant.now();
                int changes = asana.renameEveryTask(5, "Polled");
                cluster.topics().read(TOPIC, changes, Duration.ofSeconds(60)); // returns once they are all there
                Duration took = Duration.between(start, Instant.now());
                List<JsonNode> events = eventsBefore(cluster, asana.barrier(), Duration.ofSeconds(60));
                long reads = asana.sim().log().calls("asana.getEvents") - readsBefore;
                assertEquals(changes, events.size(), "every change, none twice");
                assertEquals(changes, distinct(events, "event_id"));
                assertTrue(events.stream().allMatch(e -> e.get("origin").asText().equals("events_api")),
                        "all from the events API");
                assertTrue(asana.webhooks().isEmpty(), "no webhook registered again");
                assertTrue(listenerClosed(asana.port()), "no listener opened");
                System.out.printf("webhook source without a webhook: %d changes in Kafka %d ms after the first, "
                        + "%d events-API reads%n", changes, took.toMillis(), reads);
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    @Test
    void aKilledWorkerLosesNoDeliveryItHadNotAcknowledged(KafkaConnectCluster cluster) throws Exception {
        String name = "asana-webhook-kill";
        freshTopics(cluster);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofMinutes(10))) {
            cluster.rest().putConfig(name, asana.connectorConfig());
            try {
                killMidDeliveryThenFindTheChangeOnce(cluster, asana, name);
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    /**
     * On a worker with exactly-once source support and the connector requiring it: the delivery cut by a kill -9
     * reaches Kafka once (read committed). An edited offset is refused; a reset makes the task register a new
     * webhook, which delivers.
     */
    @Test
    void underExactlyOnceAKilledDeliveryArrivesOnceAndAResetRegistersAnew() throws Exception {
        String name = "asana-webhook-eos";
        KafkaConnectCluster cluster = KafkaConnectCluster.forProject(SharedCluster.workDir("webhook-eos"))
                .reachSimulators().workerProperty("exactly.once.source.support", "enabled").build().start();
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofMinutes(10))) {
            freshTopics(cluster);
            Map<String, String> config = new HashMap<>(asana.connectorConfig());
            config.put("exactly.once.support", "required");
            ConnectRest rest = cluster.rest();
            rest.putConfig(name, config);
            try {
                killMidDeliveryThenFindTheChangeOnce(cluster, asana, name);
                String before = asana.webhooks().get(0).gid();

                rest.stop(name);
                rest.awaitStatus(name, Duration.ofSeconds(30), "STOPPED",
                        s -> s.path("connector").path("state").asText().equals("STOPPED"));
                JsonNode stored = rest.offsets(name).path("offsets").get(0);
                ObjectNode edit = ConnectRest.object();
                edit.putArray("offsets").addObject().set("partition", stored.get("partition"));
                ((ObjectNode) edit.get("offsets").get(0)).putObject("offset").put("sync", "forged").put("seen", "");
                ConnectRest.ConnectRestException refused = assertThrows(
                        ConnectRest.ConnectRestException.class, () -> rest.patchOffsets(name, edit));
                assertTrue(refused.body().contains("only a reset of the offset is supported"), refused.body());
                rest.deleteOffsets(name);
                assertFalse(rest.offsets(name).toString().contains("secret_key_id"), "the reset offset is gone");
                rest.resume(name);
                rest.awaitRunning(name, 1, Duration.ofSeconds(60));
                Await.until("a new webhook registered after the reset", Duration.ofSeconds(60),
                        () -> asana.webhooks().size() == 1 && !asana.webhooks().get(0).gid().equals(before));
                int renamed = asana.renameEveryTask(1, "After the reset");
                List<JsonNode> all = eventsBefore(cluster, asana.barrier(), Duration.ofSeconds(60));
                assertEquals(1 + renamed, all.size(), "the killed delivery's change and every rename, each once");
                assertEquals(all.size(), distinct(all, "event_id"));
                System.out.printf("webhook source under exactly-once: killed delivery once, offset edit refused, reset "
                        + "registered webhook %s in place of %s%n", asana.webhooks().get(0).gid(), before);
            } finally {
                rest.delete(name);
            }
        } finally {
            cluster.close();
        }
    }

    private static void killMidDeliveryThenFindTheChangeOnce(KafkaConnectCluster cluster, AsanaUnderTest asana, String name)
            throws Exception {
        cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(60));
        Await.until("webhook registered", Duration.ofSeconds(30), () -> asana.webhooks().size() == 1);
        // let the sealed secret reach the offsets topic (offset.flush.interval.ms is 1 s)
        Await.until("secret stored", Duration.ofSeconds(30),
                () -> cluster.rest().offsets(name).toString().contains("secret_key_id"));
        String webhook = asana.webhooks().get(0).gid();

        // The task reads the changed task (in a batch call) while the POST waits for its answer: kill -9 it then.
        asana.sim().server().faults().add(new FaultRule("asana.createBatchRequest", FaultRule.Kind.LATENCY,
                null, null, 6000, 1, 100));
        String task = asana.tasks().get(7);
        asana.sim().changeTaskAsUser(task, asana.user(), JsonNodeFactory.instance.objectNode()
                .put("completed", true));
        // the slow read has begun once its fault rule is spent (the request log counts it only when answered)
        Await.until("the delivery is being handled", Duration.ofSeconds(20),
                () -> asana.sim().server().faults().rules().isEmpty());
        cluster.killWorker();
        try {
            // the only writer is dead: the topic as it is now is all it wrote
            assertTrue(cluster.topics().readToEnd(TOPIC, Duration.ofSeconds(30)).isEmpty(), "nothing in Kafka yet");
        } finally {
            cluster.startWorker();
        }
        cluster.rest().awaitRunning(name, 1, Duration.ofSeconds(90));

        assertEquals(1, values(cluster.topics().read(TOPIC, 1, Duration.ofSeconds(90))).size(), "the change");
        List<JsonNode> events = eventsBefore(cluster, asana.barrier(), Duration.ofSeconds(90));
        assertEquals(1, events.size(), "the change, once");
        JsonNode event = events.get(0);
        assertEquals(task, event.get("task_gid").asText());
        assertEquals("completed", event.get("changed_field").asText());
        assertTrue(event.at("/task/completed").asBoolean());
        Webhook after = asana.client().getWebhook(webhook);
        assertNotNull(after.lastFailureAt(), "Asana saw the killed delivery fail");
        System.out.printf("webhook source: delivery cut by kill -9 reached Kafka by %s; webhook %s kept "
                + "(stored secret reused)%n", event.get("origin").asText(), after.gid());
    }

    private static boolean listenerClosed(int port) {
        try (java.net.Socket probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (java.io.IOException refused) {
            return true;
        }
    }

    /** A task stops after its current poll: until then its listener may still take a delivery. */
    private static void awaitListenerClosed(int port) throws InterruptedException {
        Await.until("the stopped task's listener to close", Duration.ofSeconds(30), () -> listenerClosed(port));
    }

    /**
     * The events on the topic before the barrier's, read as soon as the barrier's is there; events of earlier
     * barriers are left out.
     */
    private static List<JsonNode> eventsBefore(KafkaConnectCluster cluster, AsanaUnderTest.Barrier barrier,
            Duration timeout) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode event : values(cluster.topics().readThroughBarriers(TOPIC, 1, r -> barrier.is(payload(r)), timeout))) {
            if (barrier.is(event)) {
                return events;
            }
            if (!AsanaUnderTest.Barrier.isBarrier(event)) {
                events.add(event);
            }
        }
        throw new AssertionError("the barrier's event was not read");
    }

    private static JsonNode payload(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).get("payload");
        } catch (Exception e) {
            throw new AssertionError("not JSON with a schema envelope: " + record.value(), e);
        }
    }

    private static void freshTopics(KafkaConnectCluster cluster) throws Exception {
        cluster.topics().recreate(1, TOPIC, CHECKPOINTS);
    }

    private static List<JsonNode> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(AsanaWebhookSourceIT::payload).toList();
    }

    private static long distinct(List<JsonNode> events, String field) {
        return events.stream().map(e -> e.get(field).asText()).distinct().count();
    }
}
