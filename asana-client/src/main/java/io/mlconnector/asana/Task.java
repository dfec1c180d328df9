package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A task as read with the client's opt_fields. */
public record Task(String gid, String name, String notes, String resourceSubtype, boolean completed,
        Instant completedAt, Instant createdAt, Instant modifiedAt, LocalDate dueOn, String assigneeGid,
        List<Membership> memberships, List<CustomFieldValue> customFields, External external, String permalinkUrl,
        String createdByGid, String completedByGid) {

    static final String FIELDS = "name,notes,resource_subtype,completed,completed_at,created_at,modified_at,due_on,"
            + "assignee,created_by,completed_by,permalink_url,memberships.project.name,memberships.section.name,"
            + CustomFieldSetting.prefixed("custom_fields.", CustomFieldValue.FIELDS);

    public Task {
        memberships = List.copyOf(memberships);
        customFields = List.copyOf(customFields);
    }

    /** The value of the custom field with this gid, if the task carries it. */
    public Optional<CustomFieldValue> customField(String customFieldGid) {
        return customFields.stream().filter(v -> v.gid().equals(customFieldGid)).findFirst();
    }

    static Task from(JsonNode node) {
        List<Membership> memberships = new ArrayList<>();
        node.path("memberships").forEach(m -> memberships.add(Membership.from(m)));
        List<CustomFieldValue> values = new ArrayList<>();
        node.path("custom_fields").forEach(v -> values.add(CustomFieldValue.from(v)));
        JsonNode assignee = node.get("assignee");
        return new Task(node.path("gid").asText(), JsonFields.text(node, "name"), JsonFields.text(node, "notes"),
                JsonFields.text(node, "resource_subtype"), node.path("completed").asBoolean(false),
                JsonFields.instant(node, "completed_at"), JsonFields.instant(node, "created_at"), JsonFields.instant(node, "modified_at"),
                JsonFields.date(node, "due_on"), gidOf(node, "assignee"), memberships, values,
                External.from(node.get("external")), JsonFields.text(node, "permalink_url"), gidOf(node, "created_by"),
                gidOf(node, "completed_by"));
    }

    private static String gidOf(JsonNode node, String field) {
        JsonNode user = node.get(field);
        return user == null || user.isNull() ? null : user.path("gid").asText();
    }
}
