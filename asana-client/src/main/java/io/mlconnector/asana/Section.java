package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;

/** A section of a project. */
public record Section(String gid, String name) {

    static Section from(JsonNode node) {
        return new Section(node.path("gid").asText(), JsonFields.text(node, "name"));
    }
}
