package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Asana's batch API, {@code POST /batch}: its actions served one by one as nested requests of their own. */
final class BatchRoute {
    private static final String API = AsanaSimulator.API;
    private static final int MAX_BATCH_ACTIONS = 10;
    private static final Set<String> READ_METHODS = Set.of("get", "head");

    private final SimulatorHttpServer server;
    private final ApiGate gate;
    private final SpecValidator validator;
    private final SimRateLimits limits;

    BatchRoute(SimulatorHttpServer server, ApiGate gate, SpecValidator validator, SimRateLimits limits) {
        this.server = server;
        this.gate = gate;
        this.validator = validator;
        this.limits = limits;
    }

    /** Routed directly, not through the gate: the batch counts its actions against the limits, not itself. */
    void register() {
        server.route("POST", API + "/batch", "asana.createBatchRequest", this::batch);
    }

    /**
     * {@code POST /batch}: up to 10 actions, each served as a request of its own and answered in order. Each action
     * counts against the budget and the concurrency limits, the batch itself not; if one would exceed a limit, the
     * whole batch is refused with 429.
     */
    private SimResponse batch(SimRequest request) {
        Caller caller = gate.caller(request);
        if (caller == null) {
            return gate.unauthorized();
        }
        SpecValidator.Result check = validator.validate("POST", "/batch", request.query(), request.body());
        if (!check.errors().isEmpty()) {
            return gate.invalid(check.errors());
        }
        JsonNode actions = request.json().path("data").path("actions");
        if (actions.isEmpty() || actions.size() > MAX_BATCH_ACTIONS) {
            return AsanaError.envelope(400, List.of("data.actions: a batch holds 1 to " + MAX_BATCH_ACTIONS + " actions"));
        }
        int writes = 0;
        for (JsonNode action : actions) {
            writes += READ_METHODS.contains(action.path("method").asText()) ? 0 : 1;
        }
        int reads = actions.size() - writes;
        server.log().add(AsanaSimulator.BUDGET_COUNTED, actions.size());
        Long retryAfter = limits.admitAll(caller.token(), reads, writes);
        if (retryAfter != null) {
            return gate.rateLimited(retryAfter);
        }
        try {
            ArrayNode results = Json.MAPPER.createArrayNode();
            for (JsonNode action : actions) {
                results.add(batchAction(request, action));
            }
            // each action's answer was checked as its operation's; this checks the envelope around them
            SimResponse answer = SimResponse.json(200, Map.of("data", results));
            gate.checkAnswer("createBatchRequest", request, answer);
            return answer;
        } finally {
            limits.release(caller.token(), reads, writes);
        }
    }

    private ObjectNode batchAction(SimRequest batch, JsonNode action) {
        String method = action.path("method").asText().toUpperCase(Locale.ROOT);
        String path = action.path("relative_path").asText();
        SimResponse response;
        if (!path.startsWith("/") || path.contains("?")) {
            response = AsanaError.envelope(400, List.of("relative_path: a path, with query parameters in data"));
        } else if (path.equals("/batch") || path.startsWith("/batch/")) {
            response = AsanaError.envelope(400, List.of("relative_path: a batch cannot hold a batch"));
        } else {
            Map<String, String> query = new LinkedHashMap<>();
            byte[] body = new byte[0];
            JsonNode data = action.path("data");
            if (READ_METHODS.contains(method.toLowerCase(Locale.ROOT)) || method.equals("DELETE")) {
                data.properties().forEach(e -> query.put(e.getKey(), text(e.getValue())));
            } else if (!data.isMissingNode()) {
                body = Json.MAPPER.createObjectNode().set("data", data).toString().getBytes(StandardCharsets.UTF_8);
            }
            JsonNode options = action.path("options");
            if (options.has("fields")) {
                query.put("opt_fields", text(options.get("fields")));
            }
            for (String paging : List.of("limit", "offset")) {
                if (options.has(paging)) {
                    query.put(paging, options.get(paging).asText());
                }
            }
            StringBuilder rawQuery = new StringBuilder();
            query.forEach((name, value) -> rawQuery.append(rawQuery.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            response = server.serveNested(batch, method, API + path, rawQuery.toString(),
                    Map.of("Authorization", List.of(batch.header("Authorization")), "Content-Type", List.of("application/json")),
                    body);
            if (response == null) {
                response = AsanaError.envelope(404, List.of("No matching route for request"));
            }
        }
        ObjectNode result = Json.MAPPER.createObjectNode().put("status_code", response.status());
        ObjectNode headers = result.putObject("headers");
        response.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                headers.put(name.toLowerCase(Locale.ROOT), value);
            }
        });
        try {
            result.set("body", response.body().length == 0 ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("the simulator answered an action with malformed JSON", e);
        }
        return result;
    }

    /** A batch action's data value as a query parameter: arrays comma-separated, as opt_fields are. */
    private static String text(JsonNode value) {
        if (!value.isArray()) {
            return value.asText();
        }
        List<String> items = new ArrayList<>();
        value.forEach(v -> items.add(v.asText()));
        return String.join(",", items);
    }
}
