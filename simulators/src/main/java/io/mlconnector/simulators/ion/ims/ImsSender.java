package io.mlconnector.simulators.ion.ims;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mlconnector.simulators.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

/**
 * The sending side of ION's Messaging Service, v3 (reference 1.2-1.6 and 6.2): delivers BODs to an application's
 * IMS endpoint the way ION does, with the hazards ION's documentation warns about.
 *
 * <p>{@link #deliver} first runs the {@linkplain HandshakePolicy handshake} ({@code GET {endpoint}/ping}, then
 * {@code GET {endpoint}/protocol}, and {@code GET {endpoint}/versions} if protocol failed; these carry the
 * authentication but no {@code X-TenantId}, as in the reference's endpoint table). Then, per message,
 * {@code POST {endpoint}/v3/multipartMessage} with:
 * <pre>
 * X-TenantId: &lt;the document's tenant&gt;
 * Authorization: OAuth realm="", oauth_consumer_key=.. (or Basic ..; none when no authentication is set)
 * Content-Type: multipart/form-data; boundary=&lt;uuid&gt;
 *
 * --&lt;uuid&gt;
 * Content-Disposition: form-data; name="ParameterRequest"
 * Content-Type: application/json
 *
 * {"documentName":..,"messageId":..,"fromLogicalId":..,"toLogicalId":..,"encoding":..,"characterSet":"UTF-8",
 *  "accountingEntity":..,"location":..,"documentId":..,"variationId":N,"revisionId":..}
 * --&lt;uuid&gt;
 * Content-Disposition: form-data; name="MessagePayload"
 * Content-Type: application/octet-stream
 * Content-Transfer-Encoding: binary
 *
 * &lt;BOD bytes, zlib-deflated when encoding is DEFLATE&gt;
 * --&lt;uuid&gt;--
 * </pre>
 * Lines end in CRLF. Any 2xx acknowledges the message; other answers and network failures are redelivered per the
 * {@link RetryPolicy} (each attempt freshly signed, same body). Messages are dispatched round by round (see
 * {@link ImsMessage#round()}), at most {@link ImsSenderSettings#concurrency()} in flight; a message waiting out
 * its backoff keeps its slot. The only waits are the backoffs, through the injectable {@link Sleeper}.
 *
 * <p>Not implemented, because the reference leaves them unconfirmed (1.7, 1.8): {@code v3/message/multipart}
 * (header names unknown) and {@code discovery}.
 */
public final class ImsSender implements AutoCloseable {

    public static final String PING = "/ping";
    public static final String PROTOCOL = "/protocol";
    public static final String VERSIONS = "/versions";
    public static final String MULTIPART_MESSAGE = "/v3/multipartMessage";

    private static final byte[] CRLF = {'\r', '\n'};

    private final ImsSenderSettings settings;
    private final HttpClient http;
    private final ExecutorService workers;
    private final SecureRandom nonces = new SecureRandom();

    public ImsSender(ImsSenderSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "ims-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public ImsSenderSettings settings() {
        return settings;
    }

    /** Expands the documents with {@link ImsSenderSettings#hazards()} (seeded with the settings' seed) and delivers. */
    public DeliveryReport deliverDocuments(List<BodDocument> documents) {
        return deliver(settings.hazards().apply(documents, new Random(settings.seed())));
    }

    /**
     * Runs the handshake, then delivers exactly these messages, round by round, in the configured order. Blocks
     * until every message is acknowledged or given up.
     */
    public DeliveryReport deliver(List<ImsMessage> messages) {
        DeliveryReport.Collector report = new DeliveryReport.Collector(settings.attemptLogCapacity());
        if (settings.handshake() != HandshakePolicy.SKIP) {
            DeliveryReport.Handshake hs = handshake();
            report.handshake(hs);
            if (!hs.ok() && settings.handshake() == HandshakePolicy.STRICT) {
                report.abort(hs.problem());
                return report.build();
            }
        }
        TreeMap<Integer, List<ImsMessage>> rounds = new TreeMap<>();
        for (ImsMessage m : messages) {
            rounds.computeIfAbsent(m.round(), k -> new ArrayList<>()).add(m);
        }
        report.expect(messages.size());
        Random order = new Random(settings.seed());
        long base = 0;
        for (List<ImsMessage> round : rounds.values()) {
            if (settings.order() == ImsSenderSettings.Order.SHUFFLED) {
                Collections.shuffle(round, order);
            }
            runRound(round, base, report);
            base += round.size();
        }
        return report.build();
    }

    private void runRound(List<ImsMessage> round, long base, DeliveryReport.Collector report) {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        int threads = Math.min(settings.concurrency(), round.size());
        for (int t = 0; t < threads; t++) {
            running.add(workers.submit(() -> {
                for (int i = next.getAndIncrement(); i < round.size() && !Thread.currentThread().isInterrupted();
                     i = next.getAndIncrement()) {
                    report.outcome(deliverOne(round.get(i), base + i, report));
                }
            }));
        }
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("delivery interrupted", e);
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            throw new IllegalStateException("delivery failed", e.getCause());
        }
    }

    /** The ping / protocol / versions calls of reference 1.2 and what they allow. */
    public DeliveryReport.Handshake handshake() {
        List<DeliveryReport.Call> calls = new ArrayList<>();
        DeliveryReport.Call ping = get(PING);
        calls.add(ping);
        DeliveryReport.Call protocol = get(PROTOCOL);
        calls.add(protocol);
        Map<String, Object> parsed = null;
        String problem = null;
        if (protocol.ok()) {
            try {
                parsed = Json.MAPPER.readValue(protocol.body() == null ? "" : protocol.body(),
                        new TypeReference<Map<String, Object>>() { });
            } catch (IOException | RuntimeException e) {
                problem = "protocol answered " + protocol.status() + " with a body that is not a JSON object";
            }
        }
        if (!protocol.ok() || parsed == null) {
            DeliveryReport.Call versions = get(VERSIONS);
            calls.add(versions);
            if (problem == null) {
                problem = "protocol failed (" + describe(protocol) + "); versions answered " + describe(versions)
                        + "; ION would fall back to v1, which this simulator does not speak";
            }
        } else if (!"v3".equals(parsed.get("version")) || !"multipartMessage".equals(parsed.get("messageMethod"))) {
            problem = "protocol offers version " + parsed.get("version") + " messageMethod " + parsed.get("messageMethod")
                    + "; this simulator delivers only v3 multipartMessage";
        }
        if (!ping.ok()) {
            problem = "ping answered " + describe(ping) + (problem == null ? "" : "; " + problem);
        }
        return new DeliveryReport.Handshake(List.copyOf(calls), parsed, problem == null, problem);
    }

    private static String describe(DeliveryReport.Call call) {
        return call.status() == 0 ? call.error() : String.valueOf(call.status());
    }

    private DeliveryReport.Call get(String path) {
        URI uri = settings.method(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout()).GET();
        String auth = settings.authentication().header("GET", uri, timestamp(), nonce(), false);
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new DeliveryReport.Call("GET", uri, r.statusCode(), null, readBounded(r.body()));
        } catch (HttpTimeoutException e) {
            return new DeliveryReport.Call("GET", uri, 0, "timeout: " + e.getMessage(), null);
        } catch (IOException e) {
            return new DeliveryReport.Call("GET", uri, 0, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryReport.Call("GET", uri, 0, "interrupted", null);
        }
    }

    private DeliveryReport.MessageOutcome deliverOne(ImsMessage message, long position, DeliveryReport.Collector report) {
        URI uri = settings.method(MULTIPART_MESSAGE);
        EncodedRequest encoded = encode(message, settings.multipart());
        RetryPolicy retry = settings.retry();
        List<DeliveryReport.Attempt> failed = new ArrayList<>();
        int status = 0;
        DeliveryReport.Failure failure = DeliveryReport.Failure.NONE;
        boolean acknowledged = false;
        int attempt = 0;
        while (attempt < retry.maxAttempts()) {
            attempt++;
            boolean wrong = settings.badCredentials().applies(message.messageId(), position, attempt);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .header("X-TenantId", message.document().tenant())
                    .header("Content-Type", encoded.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(encoded.body()));
            String auth = settings.authentication().header("POST", uri, timestamp(), nonce(), wrong);
            if (auth != null) {
                b.header("Authorization", auth);
            }
            Instant at = settings.clock().instant();
            long started = System.nanoTime();
            String error = null;
            String body = null;
            boolean interrupted = false;
            try {
                HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                status = r.statusCode();
                failure = DeliveryReport.Failure.NONE;
                body = readBounded(r.body());
            } catch (HttpTimeoutException e) {
                status = 0;
                failure = DeliveryReport.Failure.TIMEOUT;
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (IOException e) {
                status = 0;
                failure = DeliveryReport.Failure.NETWORK;
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 0;
                failure = DeliveryReport.Failure.NETWORK;
                error = "interrupted";
                interrupted = true;
            }
            long micros = (System.nanoTime() - started) / 1000;
            acknowledged = failure == DeliveryReport.Failure.NONE && status >= 200 && status < 300;
            boolean again = !acknowledged && !interrupted && attempt < retry.maxAttempts()
                    && (failure == DeliveryReport.Failure.NONE ? retry.retries(status) : retry.retryNetworkErrors());
            Duration delay = again ? retry.delayAfter(attempt) : null;
            DeliveryReport.Attempt a = new DeliveryReport.Attempt(message.messageId(), position, attempt, at, status,
                    failure, error, DeliveryReport.snippet(body), wrong, micros, delay);
            report.attempt(a);
            if (!acknowledged) {
                failed.add(a);
            }
            if (!again) {
                break;
            }
            try {
                settings.sleeper().sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        BodDocument d = message.document();
        return new DeliveryReport.MessageOutcome(position, message.messageId(), message.kind(), message.round(),
                d.documentName(), d.documentId(), d.variationId(), message.encoding(), status, failure, attempt,
                acknowledged, List.copyOf(failed));
    }

    private long timestamp() {
        return settings.clock().instant().getEpochSecond();
    }

    private String nonce() {
        byte[] b = new byte[16];
        nonces.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Keeps at most the first 64 KiB of an answer and drains the rest, so a large answer costs no memory. */
    private static String readBounded(InputStream in) throws IOException {
        try (in) {
            byte[] head = in.readNBytes(64 * 1024);
            in.transferTo(OutputStream.nullOutputStream());
            return new String(head, StandardCharsets.UTF_8);
        }
    }

    // ---- wire format ---------------------------------------------------------------------------------------

    /** A multipart body and its {@code Content-Type} header value. */
    public record EncodedRequest(String contentType, String boundary, byte[] body) {
    }

    /** The MessagePayload bytes: the BOD, zlib-deflated when the message's encoding is DEFLATE. */
    public static byte[] payload(ImsMessage message) {
        byte[] xml = message.document().xml();
        return message.encoding() == ImsMessage.Encoding.DEFLATE ? deflate(xml) : xml;
    }

    /** zlib (RFC 1950) deflate with {@link Deflater}'s default level and wrapper: starts {@code 0x78 0x9C}. */
    public static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The {@code multipart/form-data} request for one message, with a fresh UUID boundary (see the class doc). */
    public static EncodedRequest encode(ImsMessage message, MultipartStyle style) {
        byte[] json = Json.write(message.parameters());
        byte[] payload = payload(message);
        String boundary;
        do {
            boundary = UUID.randomUUID().toString();
        } while (contains(payload, ("--" + boundary).getBytes(StandardCharsets.US_ASCII))
                || contains(json, ("--" + boundary).getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + payload.length + 512);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(delimiter);
        out.writeBytes(CRLF);
        header(out, "Content-Disposition: form-data; " + name("ParameterRequest", style.quotePartNames())
                + filename(style.parameterFilename()));
        header(out, "Content-Type: application/json");
        out.writeBytes(CRLF);
        out.writeBytes(json);
        out.writeBytes(CRLF);
        out.writeBytes(delimiter);
        out.writeBytes(CRLF);
        header(out, "Content-Disposition: form-data; " + name("MessagePayload", style.quotePartNames())
                + filename(style.payloadFilename()));
        header(out, "Content-Type: application/octet-stream");
        header(out, "Content-Transfer-Encoding: binary");
        out.writeBytes(CRLF);
        out.writeBytes(payload);
        out.writeBytes(CRLF);
        out.writeBytes(delimiter);
        out.writeBytes("--".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(CRLF);
        String contentType = "multipart/form-data; boundary=" + (style.quoteBoundary() ? "\"" + boundary + "\"" : boundary);
        return new EncodedRequest(contentType, boundary, out.toByteArray());
    }

    private static String name(String name, boolean quoted) {
        return quoted ? "name=\"" + name + "\"" : "name=" + name;
    }

    private static String filename(String filename) {
        return filename == null ? "" : "; filename=\"" + filename.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void header(ByteArrayOutputStream out, String line) {
        out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(CRLF);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Stops the worker threads (a running {@link #deliver} is interrupted). */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
