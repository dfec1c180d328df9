package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /workspaces/{workspace_gid}/tasks/search} (premium workspaces only): tasks of one subtype, filtered by
 * creation time, projects and custom field values ({@code custom_fields.<gid>.<op>}), sorted, compact by default.
 */
final class SearchRoute {
    private final AsanaState state;
    private final Rendering render;

    SearchRoute(AsanaState state, Rendering render) {
        this.state = state;
        this.render = render;
    }

    void register(ApiGate gate) {
        gate.route("GET", "/workspaces/" + ApiGate.ID + "/tasks/search", "searchTasksForWorkspace", false,
                this::search);
    }

    private SimResponse search(SimRequest request, Caller caller, Map<String, String> path) {
        ObjectNode workspace = AsanaState.require(state.workspaces, path.get("workspace_gid"), "workspace");
        if (!workspace.path("is_premium").asBoolean()) {
            throw new AsanaError(402, "Search is only available to premium users.");
        }
        Map<String, String> q = request.query();
        String subtype = q.getOrDefault("resource_subtype", "milestone");
        String after = q.get("created_at.after");
        List<ObjectNode> found = new ArrayList<>();
        String workspaceGid = workspace.get("gid").asText();
        for (ObjectNode task : state.atomically(() -> render.tasks(state.allTasks(workspaceGid)))) {
            if (!task.get("resource_subtype").asText().equals(subtype)
                    || after != null && task.get("created_at").asText().compareTo(normalizeInstant(after)) <= 0
                    || q.containsKey("projects.any") && task.get("projects").findValuesAsText("gid").stream()
                            .noneMatch(List.of(q.get("projects.any").split(","))::contains)) {
                continue;
            }
            boolean matches = true;
            for (Map.Entry<String, String> e : q.entrySet()) {
                if (e.getKey().startsWith("custom_fields.")) {
                    String[] parts = e.getKey().split("\\.");
                    matches &= customFieldMatches(task, parts[1], parts[2], e.getValue());
                }
            }
            if (matches) {
                found.add(task);
            }
        }
        String sortKey = q.getOrDefault("sort_by", "modified_at").replace("due_date", "due_on");
        Comparator<ObjectNode> order = Comparator.comparing(t -> t.path(sortKey).asText(""));
        found.sort("true".equals(q.get("sort_ascending")) ? order : order.reversed());
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        ArrayNode data = Json.MAPPER.createArrayNode();
        found.stream().limit(limit).forEach(t -> data.add(Answers.project(request, t, true)));
        return SimResponse.json(200, Map.of("data", data));
    }

    private static String normalizeInstant(String text) {
        return AsanaState.format(OffsetDateTime.parse(text).toInstant());
    }

    private static boolean customFieldMatches(ObjectNode task, String fieldGid, String op, String expected) {
        for (JsonNode value : task.get("custom_fields")) {
            if (!value.get("gid").asText().equals(fieldGid)) {
                continue;
            }
            JsonNode actual = switch (value.get("resource_subtype").asText()) {
                case "text" -> value.get("text_value");
                case "number" -> value.get("number_value");
                case "enum" -> value.path("enum_value").path("gid");
                case "date" -> value.path("date_value").path("date");
                default -> throw AsanaError.badRequest("custom_fields." + fieldGid + ": Cannot search this field type");
            };
            boolean set = actual != null && !actual.isNull() && !actual.isMissingNode();
            return switch (op) {
                case "is_set" -> set == Boolean.parseBoolean(expected);
                case "value" -> set && (actual.isNumber() ? actual.decimalValue().compareTo(new BigDecimal(expected)) == 0
                        : actual.asText().equals(expected));
                case "contains" -> set && actual.asText().contains(expected);
                case "starts_with" -> set && actual.asText().startsWith(expected);
                case "ends_with" -> set && actual.asText().endsWith(expected);
                case "less_than" -> set && actual.decimalValue().compareTo(new BigDecimal(expected)) < 0;
                case "greater_than" -> set && actual.decimalValue().compareTo(new BigDecimal(expected)) > 0;
                default -> throw AsanaError.badRequest("custom_fields." + fieldGid + "." + op + ": Unknown filter");
            };
        }
        return false;
    }
}
