package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.Webhook;
import io.mlconnector.secrets.KeyRing;
import io.mlconnector.simulators.common.FaultRule;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one webhook of a resource and target, against the Asana simulator, whose handshakes reach a real endpoint:
 * registered at a first start, adopted after a restart while Asana has it and its sealed secret opens, replaced
 * otherwise, and registered again when Asana deleted it. After each, Asana's signed deliveries must verify.
 */
class WebhookKeeperTest {

    private static final byte[] KEY_1 = new byte[32];
    private static final byte[] KEY_2 = new byte[32];

    static {
        KEY_2[0] = 2;
    }

    private static final KeyRing RING = KeyRing.of(Map.of("k1", KEY_1));

    private SimProject asana;
    /** Each endpoint with the events it verified and handed on. */
    private final Map<WebhookEndpoint, List<Event>> delivered = new ConcurrentHashMap<>();
    private WebhookEndpoint endpoint;
    private String target;

    @BeforeEach
    void start() throws Exception {
        asana = new SimProject();
        endpoint = endpoint();
        target = target(endpoint);
    }

    @AfterEach
    void stop() {
        delivered.keySet().forEach(WebhookEndpoint::close);
        asana.close();
    }

    @Test
    void aFirstStartRegistersAWebhookAndVerifiesItsDeliveriesWithTheHandshakeSecret() throws Exception {
        RecordOutbox outbox = SimProject.outbox(asana.project);
        WebhookKeeper keeper = keeper(outbox, RING);

        keeper.start(SourceOffset.EMPTY);

        Webhook webhook = onlyWebhook(target);
        assertEquals(1, keeper.registrations.get());
        assertDeliveriesVerified(endpoint);
        SourceOffset stored = stored(outbox);
        assertEquals(webhook.gid(), stored.webhookGid());
        String secret = asana.sim.webhookSecret(webhook.gid());
        assertEquals(Optional.of(new HandshakeSecret(webhook.gid(), secret)),
                new WebhookSecretStore(asana.project, RING).open(webhook.gid(), stored.secret()));
        assertFalse(stored.secret().blob().contains(secret), "the offset holds the secret sealed");
    }

    @Test
    void theRegistrationTokenIsOfNoUseOnceTheWebhookIsRegistered() throws Exception {
        keeper(SimProject.outbox(asana.project), RING).start(SourceOffset.EMPTY);
        String registered = onlyWebhook(target).target();
        assertNotEquals(target, registered, "Asana was given a one-time token with the target");

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registered))
                .header("X-Hook-Secret", "an-attackers-secret").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(403, answer.statusCode());
        assertDeliveriesVerified(endpoint);
    }

    @Test
    void aRestartAdoptsTheStoredWebhookWhileAsanaStillHasIt() throws Exception {
        RecordOutbox before = SimProject.outbox(asana.project);
        keeper(before, RING).start(SourceOffset.EMPTY);
        SourceOffset stored = stored(before);
        endpoint.useSecret(new HandshakeSecret("0", "not-the-secret")); // as a fresh endpoint knows nothing
        long creates = asana.calls("createWebhook");
        RecordOutbox after = outbox(stored);
        WebhookKeeper restarted = keeper(after, RING);

        restarted.start(stored);

        assertEquals(creates, asana.calls("createWebhook"));
        assertEquals(0, asana.calls("deleteWebhook"));
        assertEquals(stored.webhookGid(), onlyWebhook(target).gid());
        assertEquals(0, restarted.registrations.get());
        assertEquals(List.of(), SimProject.drain(after), "nothing new to store");
        assertDeliveriesVerified(endpoint);
    }

    @Test
    void aSecretSealedWithAnEarlierKeyIsSealedAgainWithTheCurrentOne() throws Exception {
        RecordOutbox before = SimProject.outbox(asana.project);
        keeper(before, RING).start(SourceOffset.EMPTY);
        SourceOffset stored = stored(before);
        Map<String, byte[]> rotated = new LinkedHashMap<>();
        rotated.put("k2", KEY_2);
        rotated.put("k1", KEY_1);
        KeyRing ring = KeyRing.of(rotated);
        RecordOutbox after = outbox(stored);

        keeper(after, ring).start(stored);

        SourceOffset resealed = stored(after);
        assertEquals(stored.webhookGid(), resealed.webhookGid(), "the same webhook, adopted");
        assertEquals("k2", resealed.secret().keyId());
        assertEquals(asana.sim.webhookSecret(stored.webhookGid()),
                new WebhookSecretStore(asana.project, KeyRing.of(Map.of("k2", KEY_2)))
                        .open(stored.webhookGid(), resealed.secret()).orElseThrow().value());
    }

    @Test
    void aWebhookWhoseStoredSecretNoKeyOpensIsReplaced() throws Exception {
        RecordOutbox before = SimProject.outbox(asana.project);
        keeper(before, RING).start(SourceOffset.EMPTY);
        SourceOffset stored = stored(before);
        RecordOutbox after = outbox(stored);
        WebhookKeeper restarted = keeper(after, KeyRing.of(Map.of("k9", KEY_2)));

        restarted.start(stored);

        Webhook replacement = onlyWebhook(target);
        assertNotEquals(stored.webhookGid(), replacement.gid());
        assertThrows(NotFoundException.class, () -> asana.client.getWebhook(stored.webhookGid()),
                "a webhook whose deliveries cannot be verified is deleted");
        assertEquals(1, restarted.registrations.get());
        assertEquals(replacement.gid(), stored(after).webhookGid());
        assertDeliveriesVerified(endpoint);
    }

    @Test
    void aStoredWebhookAsanaDeletedIsRegisteredAnew() throws Exception {
        RecordOutbox before = SimProject.outbox(asana.project);
        keeper(before, RING).start(SourceOffset.EMPTY);
        SourceOffset stored = stored(before);
        assertTrue(asana.sim.deleteWebhookAsAsana(stored.webhookGid()));
        RecordOutbox after = outbox(stored);

        keeper(after, RING).start(stored);

        Webhook replacement = onlyWebhook(target);
        assertNotEquals(stored.webhookGid(), replacement.gid());
        assertEquals(replacement.gid(), stored(after).webhookGid());
        assertDeliveriesVerified(endpoint);
    }

    @Test
    void aStoredWebhookOfAnotherTargetIsNotAdopted() throws Exception {
        RecordOutbox before = SimProject.outbox(asana.project);
        keeper(before, RING).start(SourceOffset.EMPTY);
        SourceOffset stored = stored(before);
        WebhookEndpoint moved = endpoint();
        String movedTarget = target(moved);
        RecordOutbox after = outbox(stored);

        keeper(after, RING, moved, movedTarget).start(stored);

        Webhook atNewTarget = onlyWebhook(movedTarget);
        assertNotEquals(stored.webhookGid(), atNewTarget.gid());
        assertEquals(atNewTarget.gid(), stored(after).webhookGid());
        assertDeliveriesVerified(moved);
    }

    @Test
    void theCheckRegistersAgainWhenAsanaDeletedTheWebhook() throws Exception {
        RecordOutbox outbox = SimProject.outbox(asana.project);
        WebhookKeeper keeper = keeper(outbox, RING);
        keeper.start(SourceOffset.EMPTY);
        String first = stored(outbox).webhookGid();
        long creates = asana.calls("createWebhook");

        assertFalse(keeper.check(), "still there: nothing to catch up on");
        assertEquals(creates, asana.calls("createWebhook"));

        assertTrue(asana.sim.deleteWebhookAsAsana(first));
        assertTrue(keeper.check(), "registered again: the caller catches up on what was not delivered");

        Webhook again = onlyWebhook(target);
        assertNotEquals(first, again.gid());
        assertEquals(1, keeper.reRegistrations.get());
        assertEquals(2, keeper.registrations.get());
        assertEquals(again.gid(), stored(outbox).webhookGid());
        assertDeliveriesVerified(endpoint);
        assertFalse(keeper.check());
    }

    @Test
    void aRegistrationThatFailedAtStartIsMadeByTheNextCheck() throws Exception {
        asana.sim.server().faults().add(FaultRule.status("asana.createWebhook", 500, 1));
        RecordOutbox outbox = SimProject.outbox(asana.project);
        WebhookKeeper keeper = keeper(outbox, RING);

        keeper.start(SourceOffset.EMPTY); // waited out, not a failed task

        assertEquals(List.of(), asana.client.listWebhooks(asana.workspace, asana.project));
        assertEquals(List.of(), SimProject.drain(outbox));
        assertTrue(keeper.check());
        assertEquals(onlyWebhook(target).gid(), stored(outbox).webhookGid());
        assertDeliveriesVerified(endpoint);
    }

    @Test
    void aRegistrationDeletesTheWebhookLeftAtItsTargetAndNoOther() throws Exception {
        WebhookEndpoint other = endpoint();
        String otherTarget = target(other);
        keeper(SimProject.outbox(asana.project), RING, other, otherTarget).start(SourceOffset.EMPTY);
        keeper(SimProject.outbox(asana.project), RING).start(SourceOffset.EMPTY);
        String left = onlyWebhook(target).gid();
        String others = onlyWebhook(otherTarget).gid();

        // offsets reset: the new run holds no secret for the webhook an earlier run left
        RecordOutbox outbox = SimProject.outbox(asana.project);
        keeper(outbox, RING).start(SourceOffset.EMPTY);

        String registered = onlyWebhook(target).gid();
        assertNotEquals(left, registered);
        assertEquals(registered, stored(outbox).webhookGid());
        assertEquals(others, onlyWebhook(otherTarget).gid(), "another target's webhook is not ours to delete");
    }

    @Test
    void asanaRefusingTheWebhookFailsWithTheResourceAndTarget() {
        asana.sim.server().faults().add(FaultRule.status("asana.createWebhook", 403, 1));
        WebhookKeeper keeper = keeper(SimProject.outbox(asana.project), RING);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keeper.start(SourceOffset.EMPTY));

        assertTrue(e.getMessage().contains(asana.project) && e.getMessage().contains(target), e.getMessage());
    }

    private WebhookEndpoint endpoint() throws Exception {
        List<Event> received = new CopyOnWriteArrayList<>();
        WebhookEndpoint made = new WebhookEndpoint(new InetSocketAddress("127.0.0.1", 0), null, "/asana/webhook",
                WebhookEndpointTest.LIMITS, events -> {
                    received.addAll(events);
                    return 200;
                });
        delivered.put(made, received);
        return made;
    }

    private static String target(WebhookEndpoint at) {
        return "http://127.0.0.1:" + at.port() + "/asana/webhook";
    }

    private WebhookKeeper keeper(RecordOutbox outbox, KeyRing keys) {
        return keeper(outbox, keys, endpoint, target);
    }

    private WebhookKeeper keeper(RecordOutbox outbox, KeyRing keys, WebhookEndpoint at, String atTarget) {
        return new WebhookKeeper(asana.client, at, new WebhookSecretStore(asana.project, keys), outbox, asana.workspace,
                asana.project, atTarget, SimProject.TASK_FILTERS);
    }

    private RecordOutbox outbox(SourceOffset stored) {
        return new RecordOutbox(asana.project, SimProject.TOPIC, SimProject.CHECKPOINTS, 1000, stored,
                java.time.Clock.systemUTC());
    }

    /** The webhook Asana holds for the resource at that target, whatever registration token it carries. */
    private Webhook onlyWebhook(String at) {
        List<Webhook> found = asana.client.listWebhooks(asana.workspace, asana.project).stream()
                .filter(w -> RegistrationTarget.sameTarget(w.target(), at)).toList();
        assertEquals(1, found.size(), "webhooks at " + at + ": " + found.stream().map(Webhook::gid).toList());
        return found.get(0);
    }

    /** The offset the outbox's records carry now, as Connect would store it. */
    @SuppressWarnings("unchecked")
    private static SourceOffset stored(RecordOutbox outbox) throws InterruptedException {
        List<SourceRecord> records = SimProject.drain(outbox);
        assertFalse(records.isEmpty(), "nothing was stored");
        return SourceOffset.from((Map<String, Object>) records.get(records.size() - 1).sourceOffset());
    }

    /** A change in Asana reaches the endpoint, signed with a secret it accepts. */
    private void assertDeliveriesVerified(WebhookEndpoint at) {
        long rejected = at.signaturesRejected.get();
        Task task = asana.createTask("PO " + System.nanoTime());
        SimProject.await("Asana delivered the new task to " + target(at),
                () -> delivered.get(at).stream().anyMatch(e -> e.resource().gid().equals(task.gid())));
        assertEquals(rejected, at.signaturesRejected.get());
    }
}
