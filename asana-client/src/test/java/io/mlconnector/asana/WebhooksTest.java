package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhooksTest {
    private SimFixture fx;
    private AsanaClient client;
    private WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        fx = new SimFixture(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1))
                .withWebhookTiming(Duration.ofMillis(100), Duration.ofMillis(1500), Duration.ofMillis(300)));
        client = fx.client();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        fx.close();
    }

    @Test
    void signatureIsHexHmacSha256OfTheRawBody() {
        byte[] body = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.compute("secret", body);
        assertEquals(64, signature.length());
        assertTrue(WebhookSignature.verify("secret", body, signature));
        assertTrue(WebhookSignature.verify("secret", body, signature.toUpperCase()));
        assertFalse(WebhookSignature.verify("other", body, signature));
        assertFalse(WebhookSignature.verify("secret", "{\"events\": []}".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(WebhookSignature.verify("secret", body, null));
    }

    @Test
    void createsWithHandshakeThenDeliversSignedBatchesOfUserChanges() throws Exception {
        Task task = client.createTask(TaskRequest.builder("PO 1").project(fx.project).build());
        WebhookCreated created = client.createWebhook(fx.project, receiver.url(),
                List.of(WebhookFilter.of("task", "changed", "completed", "custom_fields")));
        assertEquals(receiver.secret, created.secret());
        assertEquals(receiver.url(), created.webhook().target());
        assertEquals(List.of(created.webhook().gid()), client.listWebhooks(fx.workspace, fx.project).stream()
                .map(Webhook::gid).toList());

        ObjectNode change = JsonNodeFactory.instance.objectNode();
        change.putObject("custom_fields").put(fx.fields.get("PO number"), "PO-1");
        fx.sim.changeTaskAsUser(task.gid(), fx.user, change);
        fx.sim.changeTaskAsUser(task.gid(), fx.user, JsonNodeFactory.instance.objectNode().put("completed", true));
        // Not in the filter: a name change is not delivered.
        fx.sim.changeTaskAsUser(task.gid(), fx.user, JsonNodeFactory.instance.objectNode().put("name", "PO 1 renamed"));

        List<Event> events = new ArrayList<>();
        await(() -> {
            events.clear();
            for (WebhookReceiver.Delivery d : receiver.deliveries) {
                assertTrue(WebhookSignature.verify(created.secret(), d.body(), d.signature()));
                events.addAll(parse(d.body()));
            }
            return events.size() >= 2;
        });
        assertEquals(List.of("custom_fields", "completed"), events.stream().map(e -> e.change().field()).toList());
        assertEquals(task.gid(), events.get(0).resource().gid());
        assertEquals(fx.user, events.get(1).user().gid());
        // Asana records the success once our 200 reaches it, a moment after the receiver has the body.
        await(() -> client.getWebhook(created.webhook().gid()).lastSuccessAt() != null);

        client.deleteWebhook(created.webhook().gid());
        assertTrue(client.listWebhooks(fx.workspace, null).isEmpty());
        assertThrows(NotFoundException.class, () -> client.getWebhook(created.webhook().gid()));
    }

    @Test
    void createFailsWhenTheTargetDoesNotEchoTheSecret() {
        receiver.echoSecret = false;
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.createWebhook(fx.project, receiver.url(), List.of()));
        assertTrue(e.getMessage().contains("X-Hook-Secret"), e.getMessage());
        assertTrue(client.listWebhooks(fx.workspace, null).isEmpty());
    }

    @Test
    void duplicatedWebhookIsForbidden() {
        client.createWebhook(fx.project, receiver.url(), List.of());
        ForbiddenException e = assertThrows(ForbiddenException.class,
                () -> client.createWebhook(fx.project, receiver.url(), List.of()));
        assertTrue(e.getMessage().contains("Duplicated webhook"));
    }

    @Test
    void failedDeliveriesAreRetriedThenTheWebhookIsDeleted() throws Exception {
        Task task = client.createTask(TaskRequest.builder("PO 2").project(fx.project).build());
        WebhookCreated created = client.createWebhook(task.gid(), receiver.url(), List.of());
        receiver.status = 500;
        fx.sim.changeTaskAsUser(task.gid(), fx.user, JsonNodeFactory.instance.objectNode().put("completed", true));

        await(() -> receiver.attempts.get() >= 2);
        Webhook failing = client.getWebhook(created.webhook().gid());
        assertTrue(failing.deliveryRetryCount() >= 1);
        assertNotNull(failing.failureDeletionAt());
        assertTrue(failing.lastFailureContent().startsWith("500"));

        await(() -> client.listWebhooks(fx.workspace, null).isEmpty());
        assertThrows(NotFoundException.class, () -> client.getWebhook(created.webhook().gid()));
    }

    @Test
    void retriedDeliverySucceedsOnceTheReceiverRecovers() throws Exception {
        Task task = client.createTask(TaskRequest.builder("PO 3").project(fx.project).build());
        WebhookCreated created = client.createWebhook(task.gid(), receiver.url(), List.of());
        receiver.status = 503;
        fx.sim.changeTaskAsUser(task.gid(), fx.user, JsonNodeFactory.instance.objectNode().put("completed", true));
        await(() -> receiver.attempts.get() >= 1);
        receiver.status = 204;
        await(() -> receiver.deliveries.stream().anyMatch(d -> !parse(d.body()).isEmpty()));
        await(() -> client.getWebhook(created.webhook().gid()).deliveryRetryCount() == 0);
    }

    @Test
    void idleWebhooksGetSignedHeartbeats() throws Exception {
        WebhookCreated created = client.createWebhook(fx.project, receiver.url(), List.of());
        await(() -> !receiver.deliveries.isEmpty());
        WebhookReceiver.Delivery heartbeat = receiver.deliveries.get(0);
        assertTrue(parse(heartbeat.body()).isEmpty());
        assertTrue(WebhookSignature.verify(created.secret(), heartbeat.body(), heartbeat.signature()));
    }

    private static List<Event> parse(byte[] body) {
        try {
            return Event.parseDelivery(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@link #await} for callers that cannot throw InterruptedException. */
    static void awaitQuietly(BooleanSupplier condition) {
        try {
            await(condition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(50);
        }
    }
}
