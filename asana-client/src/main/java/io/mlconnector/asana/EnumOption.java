package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;

/** An option of an enum or multi_enum field. Options are never deleted, only disabled. */
public record EnumOption(String gid, String name, boolean enabled, String color) {

    static EnumOption from(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return new EnumOption(node.path("gid").asText(), JsonFields.text(node, "name"),
                node.path("enabled").asBoolean(true), JsonFields.text(node, "color"));
    }
}
