package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends one API call: budget, bearer token, {@code {"data":..}} envelope, retries, typed errors. */
final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final int KEPT_QUERIES = 32;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final HttpUrl baseUrl;
    private final AsanaCredentials credentials;
    private final OkHttpClient http;
    private final RateLimiter limiter;
    private final RetryPolicy retryPolicy;
    private final Map<Map<String, String>, HttpUrl> encodedQueries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Transport(HttpUrl baseUrl, AsanaCredentials credentials, OkHttpClient http, RateLimiter limiter,
            RetryPolicy retryPolicy) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.http = http;
        this.limiter = limiter;
        this.retryPolicy = retryPolicy;
    }

    RateLimiter limiter() {
        return limiter;
    }

    /**
     * Refuses further calls. A closed client's limiter may be replaced by one with another budget, and two limiters
     * for one token could overspend it, so nothing may be sent through it any more.
     */
    void close() {
        closed = true;
    }

    /**
     * Sends {@code method} to the path built from {@code segments}; {@code data} (may be null) goes
     * out as {@code {"data": data}}. {@code safeToRepeat} says whether a 5xx or timeout may be retried.
     * Returns the whole response object (data, next_page, sync, ...).
     */
    ObjectNode call(String method, List<String> segments, Map<String, String> query, JsonNode data,
            boolean safeToRepeat) {
        return call(method, segments, query, data, safeToRepeat, !method.equals("GET"), 1);
    }

    /** {@code POST /batch} of {@code reads} read actions: one call, which Asana counts as that many reads. */
    ObjectNode batchOfReads(JsonNode data, int reads) {
        return call("POST", List.of("batch"), Map.of(), data, true, false, reads);
    }

    private ObjectNode call(String method, List<String> segments, Map<String, String> query, JsonNode data,
            boolean safeToRepeat, boolean write, int requests) {
        if (closed) {
            throw new IllegalStateException("this AsanaClient is closed");
        }
        HttpUrl.Builder url = withQuery(query).newBuilder();
        segments.forEach(url::addPathSegment);
        HttpUrl target = url.build();
        String route = method + " " + target.encodedPath();
        RequestBody body = null;
        if (data != null) {
            ObjectNode envelope = Json.MAPPER.createObjectNode().set("data", data);
            body = RequestBody.create(envelope.toString(), JSON);
        }
        int attempt = 0;
        int rateLimitedRetries = 0;
        boolean refreshed = false;
        while (true) {
            attempt++;
            Duration pause;
            try {
                String token = credentials.bearerToken(http);
                Request request = new Request.Builder().url(target)
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .method(method, body)
                        .build();
                Answer answer = send(request, write, requests);
                if (answer.status < 300) {
                    return answer.json;
                }
                AsanaException error = answer.error();
                if (answer.status == 429) {
                    limiter.recordRateLimited();
                    Optional<Duration> retryAfter = retryPolicy.rateLimitedPause(++rateLimitedRetries,
                            answer.retryAfterSeconds);
                    if (retryAfter.isEmpty()) {
                        LOG.warn("{} rate limited (Retry-After: {}); giving up after {} retries (the policy allows {},"
                                + " each after at most {} s)", route, answer.retryAfterSeconds < 0 ? "none"
                                : answer.retryAfterSeconds + " s", rateLimitedRetries - 1,
                                retryPolicy.maxRateLimitedRetries(), retryPolicy.maxRetryAfter().toSeconds());
                        throw error;
                    }
                    // Asana rejected it unprocessed, so even a create may go again; every caller
                    // of this token waits exactly Retry-After.
                    LOG.warn("{} rate limited; waiting {} s", route, retryAfter.get().toSeconds());
                    limiter.pauseFor(retryAfter.get());
                    limiter.recordRetry();
                    attempt--;
                    continue;
                }
                if (answer.status == 401 && credentials.canRefresh() && !refreshed) {
                    refreshed = true;
                    credentials.refreshAfterRejection(http, token);
                    limiter.recordRetry();
                    attempt--;
                    continue;
                }
                if (answer.status >= 500 && safeToRepeat && attempt < retryPolicy.maxAttempts()) {
                    pause = retryPolicy.backoff(attempt);
                    LOG.warn("{} answered {}; retry {} in {} ms", route, answer.status, attempt, pause.toMillis());
                } else {
                    throw error;
                }
            } catch (IOException e) {
                // A refused connection never reached Asana, so it is safe to repeat for any method.
                boolean neverSent = e instanceof ConnectException || e instanceof UnknownHostException
                        || e instanceof AsanaCredentials.RefreshFailedException;
                if ((safeToRepeat || neverSent) && attempt < retryPolicy.maxAttempts()
                        && !(e instanceof InterruptedIOException && Thread.currentThread().isInterrupted())) {
                    pause = retryPolicy.backoff(attempt);
                    LOG.warn("{} failed ({}); retry {} in {} ms", route, e.toString(), attempt, pause.toMillis());
                } else {
                    throw new AsanaIOException(route + " failed: " + e, e, !safeToRepeat && !neverSent);
                }
            }
            limiter.recordRetry();
            sleep(pause);
        }
    }

    /**
     * The base URL with the query encoded. Reads repeat a few long {@code opt_fields} lists, and encoding them on
     * every call cost a webhook delivery's task reads more CPU than parsing the tasks did; a few queries are kept.
     */
    private HttpUrl withQuery(Map<String, String> query) {
        HttpUrl known = encodedQueries.get(query);
        if (known != null) {
            return known;
        }
        HttpUrl.Builder url = baseUrl.newBuilder();
        query.forEach((name, value) -> {
            if (value != null) {
                url.addQueryParameter(name, value);
            }
        });
        HttpUrl encoded = url.build();
        if (encodedQueries.size() >= KEPT_QUERIES) {
            // Queries with changing values (sync tokens, offsets, dates) come and go; the repeated ones come back.
            encodedQueries.clear();
        }
        encodedQueries.put(new HashMap<>(query), encoded);
        return encoded;
    }

    private Answer send(Request request, boolean write, int requests) throws IOException {
        long started = System.nanoTime();
        RateLimiter.Permit permit = acquire(write, requests);
        // The permit is returned only once the answer is read: Asana counts the request until then.
        try (Response response = http.newCall(request).execute()) {
            for (String change : response.headers("Asana-Change")) {
                LOG.info("Asana-Change on {} {}: {}", request.method(), request.url().encodedPath(), change);
            }
            String text = response.body().string();
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} ({} ms)", request.method(), request.url().encodedPath(), response.code(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            JsonNode json = text.isBlank() ? Json.MAPPER.createObjectNode() : parse(text, response.code());
            return new Answer(response.code(), json instanceof ObjectNode object ? object
                    : Json.MAPPER.createObjectNode(), retryAfter(response.header("Retry-After")));
        } finally {
            permit.close();
        }
    }

    private static JsonNode parse(String text, int status) throws IOException {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            if (status < 300) {
                throw e;
            }
            // Load balancers answer 502/503 with HTML; the status is what matters then.
            return Json.MAPPER.createObjectNode();
        }
    }

    private RateLimiter.Permit acquire(boolean write, int requests) throws InterruptedIOException {
        try {
            return limiter.acquire(write, requests);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the Asana budget");
        }
    }

    private static long retryAfter(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return (long) Math.ceil(Double.parseDouble(header.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AsanaIOException("interrupted during retry backoff", new InterruptedIOException(), false);
        }
    }

    private record Answer(int status, ObjectNode json, long retryAfterSeconds) {
        AsanaException error() {
            List<String> messages = new ArrayList<>();
            String phrase = null;
            for (JsonNode error : json.path("errors")) {
                messages.add(error.path("message").asText());
                if (phrase == null && error.hasNonNull("phrase")) {
                    phrase = error.get("phrase").asText();
                }
            }
            return AsanaException.of(status, messages, phrase, Json.text(json, "sync"), retryAfterSeconds);
        }
    }
}
