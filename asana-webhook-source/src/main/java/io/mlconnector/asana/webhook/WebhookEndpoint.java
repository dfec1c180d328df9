package io.mlconnector.asana.webhook;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.WebhookSignature;
import io.mlconnector.connect.http.DeliveryStage;
import io.mlconnector.connect.http.HttpListener;
import io.mlconnector.connect.http.HttpRequestReader;
import io.mlconnector.connect.http.ListenerLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook endpoint Asana POSTs to, served by the hardened {@link HttpListener}.
 *
 * <p>Rules: only {@code path}, only POST; bodies over the limit get 413 unread. A POST with X-Hook-Secret is a
 * handshake: accepted only while a registration is open, only with that registration's token in the query
 * ({@link RegistrationTarget}), and only the first one; every other handshake gets 403. Every other POST must
 * carry a valid X-Hook-Signature over the raw bytes, else 401 and nothing is produced; verified deliveries go
 * through the bounded {@link DeliveryStage}.
 */
final class WebhookEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Asana's secrets are 64 hex characters; anything echoed must be a short run of visible ASCII. */
    private static final int MAX_SECRET_CHARS = 256;

    /** What a verified delivery is handed to; returns the HTTP status to answer. */
    interface Deliveries {
        int deliver(List<Event> events);
    }

    final HttpListener listener;
    final DeliveryStage stage;
    private final Deliveries deliveries;
    private volatile HandshakeSecret secret;
    private volatile Registration registration;
    final AtomicLong eventsReceived = new AtomicLong();
    /** POSTs answered 401 or 403: a missing or wrong signature, or a handshake refused. */
    final AtomicLong signaturesRejected = new AtomicLong();
    /** Handshakes answered 403: outside a registration, without its token, or after its first handshake. */
    final AtomicLong handshakesRejected = new AtomicLong();

    /**
     * A registration in progress: the one window in which a handshake is accepted, and only with its token. The
     * token is 128 random bits; it is of no use once the window closed.
     */
    static final class Registration {
        private final String token;
        private final AtomicReference<String> receivedSecret = new AtomicReference<>();
        private final AtomicInteger refused = new AtomicInteger();

        private Registration() {
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        String token() {
            return token;
        }

        /** The secret of the first handshake that carried the token, or null. */
        String receivedSecret() {
            return receivedSecret.get();
        }

        /** Handshakes refused while this registration was open. */
        int refused() {
            return refused.get();
        }

        private boolean carries(List<String> tokens) {
            return tokens.size() == 1 && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                    tokens.get(0).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** @param tls null for plain HTTP */
    WebhookEndpoint(InetSocketAddress address, SSLContext tls, String path, ListenerLimits limits,
            Deliveries deliveries) throws IOException {
        this.deliveries = deliveries;
        this.stage = new DeliveryStage("asana-webhook", limits.maxConcurrentDeliveries(), limits.maxQueuedDeliveries());
        try {
            this.listener = new HttpListener("asana-webhook", address, tls, Map.of(path, Set.of("POST")), limits,
                    this::handle);
        } catch (IOException e) {
            stage.close();
            throw e;
        }
    }

    int port() {
        return listener.port();
    }

    /** The secret deliveries are verified with, e.g. read back from the source offset at start. */
    void useSecret(HandshakeSecret secret) {
        this.secret = secret;
    }

    /** Opens the handshake window for one registration; close it when the create call returned. */
    Registration openRegistration() {
        Registration open = new Registration();
        registration = open;
        return open;
    }

    void closeRegistration(Registration done) {
        if (registration == done) {
            registration = null;
        }
    }

    private HttpListener.Response handle(HttpListener.Request request) {
        HttpRequestReader.Head head = request.head();
        try {
            List<String> handshake = head.headers("X-Hook-Secret");
            if (!handshake.isEmpty()) {
                return handshake(head, handshake);
            }
            HandshakeSecret current = secret;
            if (current == null || !WebhookSignature.verify(current.value(), request.body(),
                    head.header("X-Hook-Signature"))) {
                signaturesRejected.incrementAndGet();
                return HttpListener.Response.of(401);
            }
            List<Event> events;
            try {
                events = Event.parseDelivery(request.body());
            } catch (IOException e) {
                log.warn("A signed delivery is not the JSON Asana sends ({} bytes); answered 400", request.body().length);
                return HttpListener.Response.of(400);
            }
            eventsReceived.addAndGet(events.size());
            return HttpListener.Response.of(events.isEmpty() ? 200
                    : stage.run(() -> deliveries.deliver(events), request.deadlineNanos()));
        } catch (RuntimeException e) {
            log.error("Webhook delivery failed; answered 500 so that Asana retries", e);
            return HttpListener.Response.of(500);
        }
    }

    /**
     * Accepts the first handshake that carries the open registration's token. Anyone may POST an X-Hook-Secret
     * here; one accepted from someone else would make us verify deliveries with their secret.
     */
    private HttpListener.Response handshake(HttpRequestReader.Head head, List<String> offered) {
        Registration open = registration;
        String value = offered.get(0);
        if (open != null && offered.size() == 1 && echoable(value)
                && open.carries(head.queryParameter(RegistrationTarget.PARAMETER))
                && open.receivedSecret.compareAndSet(null, value)) {
            return new HttpListener.Response(200, Map.of("X-Hook-Secret", value));
        }
        if (open != null) {
            open.refused.incrementAndGet();
        }
        handshakesRejected.incrementAndGet();
        signaturesRejected.incrementAndGet();
        return HttpListener.Response.of(403);
    }

    /** Safe to send back in a header: visible ASCII only, so nothing can be added to our response. */
    private static boolean echoable(String value) {
        return !value.isEmpty() && value.length() <= MAX_SECRET_CHARS && value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    @Override
    public void close() {
        listener.close();
        stage.close();
    }
}
