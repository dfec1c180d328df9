package io.mlconnector.asana.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mlconnector.asana.Event;
import io.mlconnector.asana.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint Asana POSTs to. Built on the JDK's {@code com.sun.net.httpserver}: it needs no
 * dependency in the plugin and cannot clash with the worker's own Jetty (whose major version changes
 * between Kafka releases); its thread pool answers the handshake while our create call is pending,
 * and a webhook's traffic (one POST at a time per webhook) is far below what it serves.
 *
 * <p>Rules: only {@code path}, only POST; bodies over the limit get 413 unread; an X-Hook-Secret
 * handshake is answered only while a registration is open; every other POST must carry a valid
 * X-Hook-Signature over the raw bytes, else 401 and nothing is produced.
 */
final class WebhookEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);

    /** What a verified delivery is handed to; returns the HTTP status to answer. */
    interface Deliveries {
        int deliver(List<Event> events);
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String path;
    private final int maxBodyBytes;
    private final Deliveries deliveries;
    private volatile HandshakeSecret secret;
    private volatile Registration registration;
    final AtomicLong eventsReceived = new AtomicLong();
    final AtomicLong signaturesRejected = new AtomicLong();

    /** A registration in progress: the one window in which a handshake is accepted. */
    static final class Registration {
        private volatile String receivedSecret;

        String receivedSecret() {
            return receivedSecret;
        }
    }

    /** @param tls null for plain HTTP */
    WebhookEndpoint(InetSocketAddress address, SSLContext tls, String path, int maxBodyBytes, Deliveries deliveries)
            throws IOException {
        this.path = path;
        this.maxBodyBytes = maxBodyBytes;
        this.deliveries = deliveries;
        if (tls == null) {
            server = HttpServer.create(address, 64);
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        AtomicInteger count = new AtomicInteger();
        threads = Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "asana-webhook-endpoint-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!path.equals(exchange.getRequestURI().getPath())) {
                answer(exchange, 404);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "POST");
                answer(exchange, 405);
                return;
            }
            String handshake = exchange.getRequestHeaders().getFirst("X-Hook-Secret");
            if (handshake != null) {
                handshake(exchange, handshake);
                return;
            }
            byte[] body = readLimited(exchange);
            if (body == null) {
                // The rest of the body stays unread, so the server drops the connection after answering: said
                // here, the sender opens a fresh one for its next delivery instead of failing on this one.
                exchange.getResponseHeaders().set("Connection", "close");
                answer(exchange, 413);
                return;
            }
            HandshakeSecret current = secret;
            String signature = exchange.getRequestHeaders().getFirst("X-Hook-Signature");
            if (current == null || !WebhookSignature.verify(current.value(), body, signature)) {
                signaturesRejected.incrementAndGet();
                answer(exchange, 401);
                return;
            }
            List<Event> events;
            try {
                events = Event.parseDelivery(body);
            } catch (IOException e) {
                log.warn("A signed delivery is not the JSON Asana sends ({} bytes); answered 400", body.length);
                answer(exchange, 400);
                return;
            }
            eventsReceived.addAndGet(events.size());
            answer(exchange, events.isEmpty() ? 200 : deliveries.deliver(events));
        } catch (RuntimeException e) {
            log.error("Webhook delivery failed; answered 500 so that Asana retries", e);
            answer(exchange, 500);
        }
    }

    private void handshake(HttpExchange exchange, String offered) throws IOException {
        Registration open = registration;
        if (open == null) {
            // Outside our own registration a handshake could swap the secret for an attacker's.
            signaturesRejected.incrementAndGet();
            answer(exchange, 403);
            return;
        }
        open.receivedSecret = offered;
        exchange.getResponseHeaders().add("X-Hook-Secret", offered);
        answer(exchange, 200);
    }

    /** The body, or null when it is larger than the limit (by Content-Length or by what arrives). */
    private byte[] readLimited(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodyBytes) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            return body.length > maxBodyBytes ? null : body;
        }
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
