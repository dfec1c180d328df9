package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.WebhookSignature;
import io.mlconnector.connect.http.ListenerLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookEndpointTest {

    private static final String BODY = "{\"events\":[{\"user\":{\"gid\":\"7\",\"resource_type\":\"user\"},"
            + "\"created_at\":\"2026-03-01T10:00:00.000Z\",\"action\":\"changed\",\"resource\":{\"gid\":\"12\","
            + "\"resource_type\":\"task\",\"resource_subtype\":\"default_task\"},\"parent\":null,"
            + "\"change\":{\"field\":\"completed\",\"action\":\"changed\"}}]}";

    static final ListenerLimits LIMITS = new ListenerLimits(16, Duration.ofSeconds(30), Duration.ofSeconds(2),
            Duration.ofSeconds(10), 2048, 2, 4);

    private final List<List<Event>> delivered = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebhookEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = new WebhookEndpoint(new InetSocketAddress("127.0.0.1", 0), null, "/asana/webhook", LIMITS, events -> {
            delivered.add(events);
            return 200;
        });
        endpoint.useSecret(new HandshakeSecret("99", "s3cret"));
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void aDeliverySignedOverTheRawBytesIsHandedOn() throws Exception {
        assertEquals(200, post(BODY, WebhookSignature.compute("s3cret", bytes(BODY)), null));
        assertEquals(1, delivered.size());
        assertEquals("12", delivered.get(0).get(0).resource().gid());
        assertEquals(1, endpoint.eventsReceived.get());
    }

    @Test
    void missingOrWrongSignaturesAre401AndProduceNothing() throws Exception {
        assertEquals(401, post(BODY, null, null));
        assertEquals(401, post(BODY, WebhookSignature.compute("guess", bytes(BODY)), null));
        String reformatted = BODY.replace(",", ", ");
        assertEquals(401, post(reformatted, WebhookSignature.compute("s3cret", bytes(BODY)), null),
                "the signature covers the exact bytes");
        assertEquals(List.of(), delivered);
        assertEquals(3, endpoint.signaturesRejected.get());
    }

    @Test
    void heartbeatsAreAnsweredWithoutProducing() throws Exception {
        String heartbeat = "{\"events\":[]}";
        assertEquals(200, post(heartbeat, WebhookSignature.compute("s3cret", bytes(heartbeat)), null));
        assertEquals(List.of(), delivered);
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        String big = "{\"events\":[],\"pad\":\"" + "x".repeat(4096) + "\"}";
        assertEquals(413, post(big, WebhookSignature.compute("s3cret", bytes(big)), null));
        assertEquals(List.of(), delivered);
    }

    @Test
    void aDeliveryAfterA413GetsThrough() throws Exception {
        String big = "{\"events\":[],\"pad\":\"" + "x".repeat(100_000) + "\"}";
        String heartbeat = "{\"events\":[]}";
        for (int i = 0; i < 20; i++) {
            HttpResponse<Void> refused = send(request(big, WebhookSignature.compute("s3cret", bytes(big)), null));
            assertEquals(413, refused.statusCode());
            assertEquals("close", refused.headers().firstValue("Connection").orElse(null));
            assertEquals(200, post(heartbeat, WebhookSignature.compute("s3cret", bytes(heartbeat)), null));
        }
    }

    @Test
    void onlyTheFirstHandshakeCarryingTheRegistrationsTokenIsAccepted() throws Exception {
        assertEquals(403, handshake(null, "attacker"), "no registration open");

        WebhookEndpoint.Registration open = endpoint.openRegistration();
        assertEquals(403, handshake(null, "no-token"));
        assertEquals(403, handshake("guessed", "wrong-token"));
        HttpResponse<Void> answer = send(request("/asana/webhook?registration=" + open.token(), "", null, "fresh"));
        assertEquals(200, answer.statusCode());
        assertEquals("fresh", answer.headers().firstValue("X-Hook-Secret").orElse(null));
        assertEquals(403, handshake(open.token(), "second"), "a later handshake, even with the token, is refused");
        assertEquals("fresh", open.receivedSecret());
        assertEquals(3, open.refused());
        endpoint.closeRegistration(open);

        assertEquals(403, handshake(open.token(), "late"), "the token is of no use once the window closed");
        assertEquals(5, endpoint.handshakesRejected.get());
    }

    @Test
    void aHandshakeSecretThatCouldSplitTheResponseIsRefused() throws Exception {
        WebhookEndpoint.Registration open = endpoint.openRegistration();
        assertEquals(403, handshake(open.token(), "x".repeat(300)));
        assertEquals(null, open.receivedSecret());
        endpoint.closeRegistration(open);
    }

    @Test
    void onlyPostsToThePathAreServed() throws Exception {
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(base() + "/other"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build()).statusCode());
        HttpResponse<Void> get = send(HttpRequest.newBuilder(URI.create(base() + "/asana/webhook")).GET().build());
        assertEquals(405, get.statusCode());
        assertTrue(delivered.isEmpty());
    }

    private int post(String body, String signature, String hookSecret) throws Exception {
        return send(request(body, signature, hookSecret)).statusCode();
    }

    private int handshake(String token, String secret) throws Exception {
        return send(request("/asana/webhook" + (token == null ? "" : "?registration=" + token), "", null, secret))
                .statusCode();
    }

    private HttpRequest request(String body, String signature, String hookSecret) {
        return request("/asana/webhook", body, signature, hookSecret);
    }

    private HttpRequest request(String target, String body, String signature, String hookSecret) {
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base() + target))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            post.header("X-Hook-Signature", signature);
        }
        if (hookSecret != null) {
            post.header("X-Hook-Secret", hookSecret);
        }
        return post.build();
    }

    private HttpResponse<Void> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    private String base() {
        return "http://127.0.0.1:" + endpoint.port();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
