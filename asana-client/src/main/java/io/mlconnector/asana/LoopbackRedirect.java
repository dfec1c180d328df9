package io.mlconnector.asana;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The redirect URI of an OAuth authorization on this machine: listens on 127.0.0.1 only, answers one request per
 * connection, and returns the first callback on its path that carries the expected {@code state}. Anything else
 * (another path, a wrong or missing state, a slow or oversized request) is answered or dropped and the wait
 * goes on, so a local process cannot end the flow or hand it a code of its own.
 */
final class LoopbackRedirect implements AutoCloseable {

    /** What the authorization server sent back: a code, or the error the user's choice produced. */
    record Callback(String code, String error) {
    }

    private static final int MAX_REQUEST_HEAD = 16_384;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket socket;
    private final String path;

    LoopbackRedirect(URI redirectUri) throws IOException {
        this.path = redirectUri.getRawPath().isEmpty() ? "/" : redirectUri.getRawPath();
        this.socket = new ServerSocket(redirectUri.getPort(), 8, InetAddress.getLoopbackAddress());
    }

    /** Waits until {@code deadline} for the callback that carries {@code state}. */
    Callback await(String state, Instant deadline) throws IOException {
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new IOException("no authorization arrived at the redirect URI before the deadline");
            }
            socket.setSoTimeout((int) left);
            try (Socket client = socket.accept()) {
                client.setSoTimeout((int) READ_TIMEOUT.toMillis());
                Callback callback = answer(client, state);
                if (callback != null) {
                    return callback;
                }
            } catch (SocketTimeoutException e) {
                // Either the deadline passed (checked above) or a client went silent; serve the next one.
            }
        }
    }

    private Callback answer(Socket client, String state) throws IOException {
        String target = requestTarget(client.getInputStream());
        OutputStream out = client.getOutputStream();
        if (target == null) {
            return null; // not a GET, or a head past the limit: dropped unanswered
        }
        int query = target.indexOf('?');
        if (!(query < 0 ? target : target.substring(0, query)).equals(path)) {
            respond(out, 404, "Not found.");
            return null;
        }
        Map<String, String> params = query < 0 ? Map.of() : parameters(target.substring(query + 1));
        if (!state.equals(params.get("state"))) {
            respond(out, 400, "This answer does not belong to the authorization in progress; it was ignored.");
            return null;
        }
        if (params.containsKey("error")) {
            respond(out, 200, "Asana did not authorize the app (" + params.get("error") + "). You can close this window.");
            return new Callback(null, params.get("error"));
        }
        if (params.getOrDefault("code", "").isEmpty()) {
            respond(out, 400, "The answer carries no code.");
            return null;
        }
        respond(out, 200, "ml-connector is authorized. You can close this window.");
        return new Callback(params.get("code"), null);
    }

    /**
     * The target of {@code GET <target> HTTP/1.1}, after reading the header lines the client sent (a socket closed
     * with unread input makes browsers show an error); null when it is not a GET or the head is too long.
     */
    private static String requestTarget(InputStream in) throws IOException {
        String requestLine = null;
        int read = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && ++read <= MAX_REQUEST_HEAD) {
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.US_ASCII).trim();
            line.reset();
            if (requestLine == null) {
                requestLine = text;
            } else if (text.isEmpty()) {
                String[] parts = requestLine.split(" ");
                return parts.length == 3 && parts[0].equals("GET") ? parts[1] : null;
            }
        }
        return null;
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void respond(OutputStream out, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : status == 404 ? " Not Found" : " Bad Request")
                + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
