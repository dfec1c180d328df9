package io.mlconnector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** The Connect worker's REST API, as a user drives it with curl. Answers are JSON trees. */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRest(URI base) {
        this.base = base;
    }

    /** A non-2xx answer, with the worker's error message. */
    public static final class ConnectRestException extends RuntimeException {
        private final int status;
        private final String body;

        ConnectRestException(String method, String path, int status, String body) {
            super(method + " " + path + " answered " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    public JsonNode root() {
        return send("GET", "/", null);
    }

    /** {@code GET /connector-plugins?connectorsOnly=true}. */
    public JsonNode connectorPlugins() {
        return send("GET", "/connector-plugins", null);
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}; the answer lists every field's errors. */
    public JsonNode validate(String connectorClass, Map<String, String> config) {
        return send("PUT", "/connector-plugins/" + encode(connectorClass) + "/config/validate", JSON.valueToTree(config));
    }

    /** {@code PUT /connectors/{name}/config}: creates or updates the connector. */
    public JsonNode putConfig(String name, Map<String, String> config) {
        return send("PUT", "/connectors/" + encode(name) + "/config", JSON.valueToTree(config));
    }

    public JsonNode config(String name) {
        return send("GET", "/connectors/" + encode(name) + "/config", null);
    }

    public JsonNode tasks(String name) {
        return send("GET", "/connectors/" + encode(name) + "/tasks", null);
    }

    public JsonNode status(String name) {
        return send("GET", "/connectors/" + encode(name) + "/status", null);
    }

    public void pause(String name) {
        send("PUT", "/connectors/" + encode(name) + "/pause", null);
    }

    public void resume(String name) {
        send("PUT", "/connectors/" + encode(name) + "/resume", null);
    }

    /** {@code PUT /connectors/{name}/stop}: tasks shut down, config kept; required before altering offsets. */
    public void stop(String name) {
        send("PUT", "/connectors/" + encode(name) + "/stop", null);
    }

    public JsonNode restart(String name, boolean includeTasks, boolean onlyFailed) {
        return send("POST", "/connectors/" + encode(name) + "/restart?includeTasks=" + includeTasks
                + "&onlyFailed=" + onlyFailed, null);
    }

    public void delete(String name) {
        send("DELETE", "/connectors/" + encode(name), null);
    }

    public JsonNode offsets(String name) {
        return send("GET", "/connectors/" + encode(name) + "/offsets", null);
    }

    /** {@code PATCH /connectors/{name}/offsets} with {@code {"offsets":[{"partition":..,"offset":..}]}}. */
    public JsonNode patchOffsets(String name, JsonNode offsets) {
        return send("PATCH", "/connectors/" + encode(name) + "/offsets", offsets);
    }

    public JsonNode deleteOffsets(String name) {
        return send("DELETE", "/connectors/" + encode(name) + "/offsets", null);
    }

    /** Waits until the connector and the given number of tasks report RUNNING. */
    public JsonNode awaitRunning(String name, int tasks, Duration timeout) throws InterruptedException {
        return awaitStatus(name, timeout, "connector and " + tasks + " task(s) RUNNING", status ->
                "RUNNING".equals(status.path("connector").path("state").asText())
                        && status.path("tasks").size() == tasks
                        && allTasksIn(status, "RUNNING"));
    }

    /** Waits until the status answer satisfies the condition; fails with the last status seen. */
    public JsonNode awaitStatus(String name, Duration timeout, String what, Predicate<JsonNode> condition)
            throws InterruptedException {
        AtomicReference<String> last = new AtomicReference<>("no status");
        return Await.value("connector " + name + ": " + what, timeout, () -> {
            try {
                JsonNode status = status(name);
                last.set(status.toString());
                return Optional.of(status).filter(condition);
            } catch (ConnectRestException notYet) {
                last.set(notYet.getMessage());
                return Optional.empty();
            }
        }, last::get);
    }

    private static boolean allTasksIn(JsonNode status, String state) {
        for (JsonNode task : status.path("tasks")) {
            if (!state.equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** Sends a request and returns the JSON answer (an empty object for a body-less 2xx). */
    public JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(90))
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ConnectRestException(method, path, response.statusCode(), response.body());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
