package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;

/** A task's place in a project: the project and the section within it. */
public record Membership(Resource project, Resource section) {

    static Membership from(JsonNode node) {
        return new Membership(Resource.from(node.get("project")), Resource.from(node.get("section")));
    }
}
