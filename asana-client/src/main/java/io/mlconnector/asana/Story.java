package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A story on a task: a comment or a system record of a change. */
public record Story(String gid, String resourceSubtype, String text, Instant createdAt, Resource createdBy) {
    static final String FIELDS = "resource_subtype,text,created_at,created_by.name";

    static Story from(JsonNode node) {
        return new Story(node.path("gid").asText(), JsonFields.text(node, "resource_subtype"), JsonFields.text(node, "text"),
                JsonFields.instant(node, "created_at"), Resource.from(node.get("created_by")));
    }
}
