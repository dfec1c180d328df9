package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asana's opt_fields: without them an object is compact, as the spec's {@code *Compact} schema of its type has it
 * (gid, resource_type, name, subtype; a custom field's type; a story's and a webhook's own set); with them, gid plus
 * exactly the requested dotted paths, nested objects compact unless a path goes deeper.
 */
final class Projection {
    private static final String[] COMPACT = {"gid", "resource_type", "name", "resource_subtype", "type"};
    /** The spec's compact forms that differ from {@link #COMPACT}: StoryCompact (no type), WebhookCompact. */
    private static final Map<String, String[]> COMPACT_BY_TYPE = Map.of(
            "story", new String[] {"gid", "resource_type", "created_at", "created_by", "resource_subtype", "text"},
            "webhook", new String[] {"gid", "resource_type", "active", "resource", "target"});
    /** Clients repeat a few opt_fields lists; parsing one per request was a good part of serving a task read. */
    private static final int KEPT = 256;
    private static final Map<String, Projection> PARSED = new ConcurrentHashMap<>();

    private final Map<String, Projection> children = new LinkedHashMap<>();

    private Projection() {
    }

    /** Null when {@code optFields} is absent: the caller answers compact or full as the operation does. */
    static Projection parse(String optFields) {
        if (optFields == null || optFields.isBlank()) {
            return null;
        }
        Projection known = PARSED.get(optFields);
        if (known != null) {
            return known;
        }
        Projection root = new Projection();
        for (String path : optFields.split(",")) {
            Projection node = root;
            for (String part : path.trim().split("\\.")) {
                node = node.children.computeIfAbsent(part, k -> new Projection());
            }
        }
        if (PARSED.size() < KEPT) {
            PARSED.put(optFields, root);
        }
        return root;
    }

    static ObjectNode compact(JsonNode full) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String key : COMPACT_BY_TYPE.getOrDefault(full.path("resource_type").asText(), COMPACT)) {
            if (full.has(key)) {
                out.set(key, full.get(key));
            }
        }
        return out;
    }

    /** Applies this projection to a full object; nested objects without sub-paths come out compact. */
    ObjectNode apply(JsonNode full) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (full.has("gid")) {
            out.set("gid", full.get("gid"));
        }
        children.forEach((key, sub) -> {
            if (full.has(key)) {
                out.set(key, sub.project(full.get(key)));
            }
        });
        return out;
    }

    private JsonNode project(JsonNode value) {
        if (value.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            value.forEach(item -> out.add(project(item)));
            return out;
        }
        if (value.isObject()) {
            if (!children.isEmpty()) {
                return value.has("gid") ? apply(value) : projectPlain(value);
            }
            return value.has("gid") ? compact(value) : value;
        }
        return value;
    }

    private JsonNode projectPlain(JsonNode value) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        children.forEach((key, sub) -> {
            if (value.has(key)) {
                out.set(key, sub.project(value.get(key)));
            }
        });
        return out;
    }
}
