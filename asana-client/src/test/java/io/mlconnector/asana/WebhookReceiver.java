package io.mlconnector.asana;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook endpoint on 127.0.0.1 that answers the handshake and records signed deliveries. */
final class WebhookReceiver implements AutoCloseable {
    record Delivery(byte[] body, String signature) {
    }

    private final HttpServer server;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    volatile String secret;
    volatile boolean echoSecret = true;
    volatile int status = 200;
    final AtomicInteger attempts = new AtomicInteger();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hooks", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks?connector=test";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String handshake = exchange.getRequestHeaders().getFirst("X-Hook-Secret");
            if (handshake != null) {
                secret = handshake;
                if (echoSecret) {
                    exchange.getResponseHeaders().set("X-Hook-Secret", handshake);
                }
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            attempts.incrementAndGet();
            if (status / 100 == 2) {
                deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst("X-Hook-Signature")));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
