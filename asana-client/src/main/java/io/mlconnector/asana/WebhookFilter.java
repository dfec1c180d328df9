package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A whitelist entry for webhook events; an event is delivered when it matches any filter.
 * {@code fields} is only valid with action {@code changed}.
 */
public record WebhookFilter(String resourceType, String resourceSubtype, String action, List<String> fields) {

    public WebhookFilter {
        fields = fields == null ? List.of() : List.copyOf(fields);
        if (!fields.isEmpty() && !"changed".equals(action)) {
            throw new IllegalArgumentException("fields are only allowed with action 'changed'");
        }
    }

    public static WebhookFilter of(String resourceType, String action, String... fields) {
        return new WebhookFilter(resourceType, null, action, List.of(fields));
    }

    ObjectNode json() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (resourceType != null) {
            node.put("resource_type", resourceType);
        }
        if (resourceSubtype != null) {
            node.put("resource_subtype", resourceSubtype);
        }
        if (action != null) {
            node.put("action", action);
        }
        if (!fields.isEmpty()) {
            fields.forEach(node.putArray("fields")::add);
        }
        return node;
    }

    static WebhookFilter from(JsonNode node) {
        List<String> fields = new ArrayList<>();
        node.path("fields").forEach(f -> fields.add(f.asText()));
        return new WebhookFilter(JsonFields.text(node, "resource_type"), JsonFields.text(node, "resource_subtype"),
                JsonFields.text(node, "action"), fields);
    }
}
