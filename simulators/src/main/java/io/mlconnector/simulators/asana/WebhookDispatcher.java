package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhooks as Asana runs them: the X-Hook-Secret handshake inside the create call, then batched
 * {@code {"events":[...]}} POSTs signed with X-Hook-Signature, failed deliveries retried with
 * exponential backoff, heartbeats, and deletion when nothing succeeded for the failure window.
 */
final class WebhookDispatcher implements AutoCloseable {
    /** Timings; Asana's are 10 s, 24 h and 8 h, tests shrink them. */
    record Timing(Duration deliveryTimeout, Duration firstRetry, Duration failureWindow, Duration heartbeat,
            Duration batchDelay, int maxBatch) {
        static Timing asana() {
            return new Timing(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofHours(24),
                    Duration.ofHours(8), Duration.ofMillis(200), 100);
        }
    }

    private final AsanaState state;
    private final Timing timing;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Hook> hooks = new LinkedHashMap<>();
    private final List<Long> deliveryMillis = new ArrayList<>();
    private long deliveriesAcknowledged;

    /** The POSTs that carried events: how long each took to be answered, and how many were answered 2xx. */
    record Deliveries(List<Long> millis, long acknowledged) {
    }

    private static final class Hook {
        final ObjectNode json;
        final String secret;
        final String owner;
        final List<ObjectNode> pending = new ArrayList<>();
        boolean scheduled;
        Instant firstFailure;

        Hook(ObjectNode json, String secret, String owner) {
            this.json = json;
            this.secret = secret;
            this.owner = owner;
        }
    }

    WebhookDispatcher(AsanaState state, Timing timing) {
        this.state = state;
        this.timing = timing;
        this.http = HttpClient.newBuilder().connectTimeout(timing.deliveryTimeout()).build();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "asana-sim-webhooks");
            t.setDaemon(true);
            return t;
        });
        state.events().onEvents(this::enqueue);
        long heartbeat = timing.heartbeat().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeats, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    }

    /** Creates a webhook after a successful handshake; returns {@code [webhook, secret]}. */
    Object[] create(String resource, String target, JsonNode filters, String owner) {
        synchronized (this) {
            for (Hook hook : hooks.values()) {
                if (hook.owner.equals(owner) && hook.json.path("resource").path("gid").asText().equals(resource)
                        && hook.json.path("target").asText().equals(target)) {
                    throw new AsanaError(403, "Duplicated webhook: a webhook with this resource and target exists."
                            + " Delete the old one before creating another");
                }
            }
        }
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = HexFormat.of().formatHex(secretBytes);
        handshake(target, secret);
        ObjectNode json = AsanaState.resource(state.newGid(), "webhook", null);
        json.remove("name");
        json.set("resource", resourceCompact(resource));
        json.put("target", target).put("active", true).put("created_at", state.now())
                .putNull("last_success_at").putNull("last_failure_at").putNull("last_failure_content")
                .put("delivery_retry_count", 0).putNull("next_attempt_after").putNull("failure_deletion_timestamp");
        json.set("filters", filters == null ? Json.MAPPER.createArrayNode() : filters.deepCopy());
        synchronized (this) {
            hooks.put(json.get("gid").asText(), new Hook(json, secret, owner));
        }
        return new Object[] {json.deepCopy(), secret};
    }

    private void handshake(String target, String secret) {
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(URI.create(target)).timeout(timing.deliveryTimeout())
                    .header("X-Hook-Secret", secret).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw AsanaError.badRequest("target: The remote server did not respond to the handshake: " + e);
        }
        boolean ok = (answer.statusCode() == 200 || answer.statusCode() == 204)
                && secret.equals(answer.headers().firstValue("X-Hook-Secret").orElse(null));
        if (!ok) {
            throw AsanaError.badRequest("target: The remote server did not echo X-Hook-Secret with 200 or 204 (got "
                    + answer.statusCode() + ")");
        }
    }

    synchronized List<ObjectNode> list(String owner, String resource) {
        return hooks.values().stream().filter(h -> h.owner.equals(owner))
                .filter(h -> resource == null || h.json.path("resource").path("gid").asText().equals(resource))
                .map(h -> h.json.deepCopy()).toList();
    }

    synchronized ObjectNode get(String gid, String owner) {
        Hook hook = hooks.get(gid);
        if (hook == null || !hook.owner.equals(owner)) {
            throw AsanaError.notFound("webhook");
        }
        return hook.json.deepCopy();
    }

    synchronized void delete(String gid, String owner) {
        get(gid, owner);
        hooks.remove(gid);
    }

    /** Deletes a webhook as Asana does after its failure window: no owner's call, undelivered events dropped. */
    synchronized boolean drop(String gid) {
        return hooks.remove(gid) != null;
    }

    /** The secret the webhook's deliveries are signed with, or null when there is no such webhook. */
    synchronized String secret(String gid) {
        Hook hook = hooks.get(gid);
        return hook == null ? null : hook.secret;
    }

    private ObjectNode resourceCompact(String gid) {
        synchronized (state) {
            for (Map<String, ObjectNode> map : List.of(state.projects, state.workspaces, state.sections)) {
                if (map.containsKey(gid)) {
                    return Projection.compact(map.get(gid));
                }
            }
            if (state.tasks.containsKey(gid)) {
                return AsanaState.resource(gid, "task", state.tasks.get(gid).name);
            }
        }
        throw AsanaError.notFound("resource");
    }

    private synchronized void enqueue(List<EventLog.Event> events) {
        for (Hook hook : hooks.values()) {
            String resource = hook.json.path("resource").path("gid").asText();
            for (EventLog.Event event : events) {
                if (event.scope().contains(resource) && passes(hook.json.path("filters"), event.json())) {
                    hook.pending.add(delivered(event.json()));
                }
            }
            if (!hook.pending.isEmpty() && !hook.scheduled) {
                hook.scheduled = true;
                String gid = hook.json.get("gid").asText();
                scheduler.schedule(() -> deliver(gid), timing.batchDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * The event as a webhook carries it: a change's new, added or removed value is only the resource's gid and
     * resource_type (the spec, EventResponse.change), where the events API answers it compact.
     */
    private static ObjectNode delivered(ObjectNode event) {
        ObjectNode out = event.deepCopy();
        JsonNode change = out.path("change");
        for (String key : List.of("new_value", "added_value", "removed_value")) {
            JsonNode value = change.path(key);
            if (value.isObject() && value.has("gid")) {
                ObjectNode compact = Json.MAPPER.createObjectNode();
                compact.set("gid", value.get("gid"));
                compact.set("resource_type", value.get("resource_type"));
                ((ObjectNode) change).set(key, compact);
            }
        }
        return out;
    }

    private static boolean passes(JsonNode filters, ObjectNode event) {
        if (filters.isEmpty()) {
            return true;
        }
        for (JsonNode filter : filters) {
            boolean match = matches(filter, "resource_type", event.path("resource").path("resource_type").asText())
                    && matches(filter, "resource_subtype", event.path("resource").path("resource_subtype").asText())
                    && matches(filter, "action", event.path("action").asText());
            if (match && filter.has("fields")) {
                String field = event.path("change").path("field").asText(null);
                boolean listed = false;
                for (JsonNode f : filter.get("fields")) {
                    listed |= f.asText().equals(field);
                }
                match = listed;
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(JsonNode filter, String key, String value) {
        return !filter.hasNonNull(key) || filter.get(key).asText().equals(value);
    }

    private void deliver(String gid) {
        Hook hook;
        List<ObjectNode> batch;
        synchronized (this) {
            hook = hooks.get(gid);
            if (hook == null) {
                return;
            }
            batch = new ArrayList<>(hook.pending.subList(0, Math.min(timing.maxBatch(), hook.pending.size())));
        }
        boolean ok = post(hook, batch);
        synchronized (this) {
            if (!hooks.containsKey(gid)) {
                return;
            }
            if (ok) {
                hook.pending.subList(0, batch.size()).clear();
            }
            long delay = ok ? timing.batchDelay().toMillis() : nextRetryDelay(hook);
            if (hooks.containsKey(gid) && !hook.pending.isEmpty()) {
                scheduler.schedule(() -> deliver(gid), delay, TimeUnit.MILLISECONDS);
            } else {
                hook.scheduled = false;
            }
        }
    }

    private long nextRetryDelay(Hook hook) {
        int retries = hook.json.get("delivery_retry_count").asInt();
        long delay = timing.firstRetry().toMillis() << Math.min(retries - 1, 16);
        hook.json.put("next_attempt_after", AsanaState.format(Instant.now().plusMillis(delay)));
        return delay;
    }

    private void heartbeats() {
        List<Hook> idle;
        synchronized (this) {
            idle = hooks.values().stream().filter(h -> h.pending.isEmpty()).toList();
        }
        idle.forEach(hook -> post(hook, List.of()));
    }

    /** One signed POST; records the outcome on the webhook and deletes it when the failure window is over. */
    private boolean post(Hook hook, List<ObjectNode> events) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("events");
        events.forEach(array::add);
        byte[] bytes = Json.write(body);
        String failure;
        long started = System.nanoTime();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(hook.json.get("target").asText()))
                    .timeout(timing.deliveryTimeout()).header("Content-Type", "application/json")
                    .header("X-Hook-Signature", sign(hook.secret, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
            if (!events.isEmpty()) {
                recordDelivery(started, answer.statusCode() / 100 == 2);
            }
            if (answer.statusCode() / 100 == 2) {
                synchronized (this) {
                    hook.firstFailure = null;
                    hook.json.put("last_success_at", state.now()).put("delivery_retry_count", 0)
                            .putNull("next_attempt_after").putNull("failure_deletion_timestamp");
                }
                return true;
            }
            failure = answer.statusCode() + " " + answer.body();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failure = e.toString();
            if (!events.isEmpty()) {
                recordDelivery(started, false);
            }
        }
        synchronized (this) {
            Instant now = Instant.now();
            if (hook.firstFailure == null) {
                hook.firstFailure = now;
            }
            Instant deletion = hook.firstFailure.plus(timing.failureWindow());
            hook.json.put("last_failure_at", state.now()).put("last_failure_content", failure)
                    .put("delivery_retry_count", hook.json.get("delivery_retry_count").asInt() + 1)
                    .put("failure_deletion_timestamp", AsanaState.format(deletion));
            if (!now.isBefore(deletion)) {
                hooks.remove(hook.json.get("gid").asText());
            }
        }
        return false;
    }

    private synchronized void recordDelivery(long startedNanos, boolean acknowledged) {
        if (deliveryMillis.size() < 1_000_000) {
            deliveryMillis.add((System.nanoTime() - startedNanos) / 1_000_000);
        }
        if (acknowledged) {
            deliveriesAcknowledged++;
        }
    }

    synchronized Deliveries deliveries() {
        return new Deliveries(List.copyOf(deliveryMillis), deliveriesAcknowledged);
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
