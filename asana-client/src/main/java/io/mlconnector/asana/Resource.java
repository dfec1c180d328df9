package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;

/** A compact Asana object: gid, resource type and name (name may be null). */
public record Resource(String gid, String resourceType, String name) {

    static Resource from(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return new Resource(node.path("gid").asText(), JsonFields.text(node, "resource_type"), JsonFields.text(node, "name"));
    }
}
