package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.http.BearerAuthentication;
import io.mlconnector.http.HttpAnswer;
import io.mlconnector.http.Json;
import io.mlconnector.http.RetryAfter;
import io.mlconnector.http.RetryPolicy;
import io.mlconnector.http.RetryingCaller;
import io.mlconnector.http.UnansweredCallException;
import io.mlconnector.http.UnreadableAnswerException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one API call: the {@code {"data":..}} envelope, the token's budget, and typed errors. The bearer token, its
 * renewal on 401 and the repeats are http-core's, shared with the Infor client.
 */
final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final int KEPT_QUERIES = 32;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final HttpUrl baseUrl;
    private final RateLimiter limiter;
    private final RetryingCaller caller;
    private final Map<Map<String, String>, HttpUrl> encodedQueries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param http a client without authentication; the token endpoint is called through it */
    Transport(HttpUrl baseUrl, AsanaCredentials credentials, OkHttpClient http, RateLimiter limiter,
            RetryPolicy retryPolicy) {
        this.baseUrl = baseUrl;
        this.limiter = limiter;
        OkHttpClient budgeted = http.newBuilder().addInterceptor(new RequestBudget(limiter)).build();
        OkHttpClient authenticated = new BearerAuthentication(new BearerAuthentication.TokenSource() {
            @Override
            public String token() throws IOException {
                return credentials.bearerToken(http);
            }

            @Override
            public String renew(String rejected) throws IOException {
                if (!credentials.canRefresh()) {
                    return null;
                }
                credentials.refreshAfterRejection(http, rejected);
                limiter.recordRetry();
                return credentials.bearerToken(http);
            }
        }).on(budgeted);
        this.caller = new RetryingCaller(authenticated, retryPolicy, (status, pause) -> {
            if (status == 429) {
                // Asana rejected it unprocessed; every caller of this token waits out Retry-After, not only this one.
                limiter.pauseFor(pause);
            }
            limiter.recordRetry();
        }, Clock.systemUTC());
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
        Request request = new Request.Builder().url(target)
                .header("Accept", "application/json")
                .method(method, body)
                .tag(RequestBudget.Cost.class, new RequestBudget.Cost(write, requests))
                .build();
        try {
            return caller.execute(route, request, safeToRepeat, answer -> read(route, answer));
        } catch (UnansweredCallException e) {
            throw new AsanaIOException(e.getMessage(), e.getCause(), !safeToRepeat && e.mayHaveExecuted());
        } catch (UnreadableAnswerException e) {
            throw new AsanaIOException(e.getMessage(), new IOException(e.getCause()), !safeToRepeat);
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

    private static ObjectNode read(String route, HttpAnswer answer) {
        for (String change : answer.headers().values("Asana-Change")) {
            LOG.info("Asana-Change on {}: {}", route, change);
        }
        JsonNode json;
        try {
            json = answer.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            if (answer.status() < 300) {
                throw new UnreadableAnswerException(route + " answered " + answer.status() + " with a body that is not"
                        + " JSON", answer.status(), e);
            }
            // Load balancers answer 502/503 with HTML; the status is what matters then.
            json = Json.MAPPER.createObjectNode();
        }
        ObjectNode object = json instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
        if (answer.status() < 300) {
            return object;
        }
        throw error(answer, object);
    }

    private static AsanaException error(HttpAnswer answer, ObjectNode json) {
        List<String> messages = new ArrayList<>();
        String phrase = null;
        for (JsonNode error : json.path("errors")) {
            messages.add(error.path("message").asText());
            if (phrase == null && error.hasNonNull("phrase")) {
                phrase = error.get("phrase").asText();
            }
        }
        long retryAfterSeconds = RetryAfter.parse(answer.header("Retry-After"), Clock.systemUTC())
                .map(Duration::toSeconds).orElse(-1L);
        return AsanaException.of(answer.status(), messages, phrase, JsonFields.text(json, "sync"), retryAfterSeconds);
    }
}
