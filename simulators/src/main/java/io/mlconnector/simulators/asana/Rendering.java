package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The workspace's records as Asana's full JSON objects: a task with its memberships and custom field values, a
 * project's custom field settings, a custom field's definition. Fresh nodes, safe to project and send; {@link
 * Answers} cuts them down to opt_fields. Reads the state: call under its lock ({@link AsanaState#atomically}).
 */
final class Rendering {
    private final AsanaState state;

    Rendering(AsanaState state) {
        this.state = state;
    }

    List<ObjectNode> tasks(List<TaskRecord> tasks) {
        return tasks.stream().map(this::task).toList();
    }

    /** The full task, as {@code GET /tasks/{task_gid}} answers it without opt_fields. */
    ObjectNode task(TaskRecord task) {
        ObjectNode out = AsanaState.resource(task.gid, "task", task.name);
        out.put("resource_subtype", task.subtype).put("notes", task.notes).put("completed", task.completed)
                .put("completed_at", AsanaState.format(task.completedAt)).put("created_at", AsanaState.format(task.createdAt))
                .put("modified_at", AsanaState.format(task.modifiedAt)).put("due_on", task.dueOn).putNull("due_at")
                .putNull("start_on")
                .put("permalink_url", "https://app.asana.com/0/0/" + task.gid);
        out.set("assignee", task.assignee == null ? null : Projection.compact(state.users.get(task.assignee)));
        // a task's created_by is {gid, resource_type} in the spec (TaskBase), not a compact user
        out.set("created_by", task.createdBy == null ? null : Json.MAPPER.createObjectNode()
                .put("gid", task.createdBy).put("resource_type", "user"));
        out.set("completed_by", task.completedBy == null ? null : Projection.compact(state.users.get(task.completedBy)));
        out.set("workspace", Projection.compact(state.workspaces.get(task.workspace)));
        ArrayNode projectsNode = out.putArray("projects");
        ArrayNode memberships = out.putArray("memberships");
        for (String[] m : task.memberships) {
            projectsNode.add(Projection.compact(state.projects.get(m[0])));
            ObjectNode membership = memberships.addObject();
            membership.set("project", Projection.compact(state.projects.get(m[0])));
            membership.set("section", m[1] == null ? null : Projection.compact(state.sections.get(m[1])));
        }
        ArrayNode values = out.putArray("custom_fields");
        Set<String> shown = new LinkedHashSet<>(state.attachedFields(task));
        shown.addAll(task.values.keySet());
        for (String fieldGid : shown) {
            values.add(value(state.customFields.get(fieldGid), task.values.get(fieldGid),
                    state.attachedFields(task).contains(fieldGid)));
        }
        if (task.external != null) {
            out.set("external", task.external);
        }
        return out;
    }

    private ObjectNode value(ObjectNode field, JsonNode value, boolean enabled) {
        ObjectNode out = Projection.compact(field);
        out.put("enabled", enabled);
        String display = null;
        switch (field.get("resource_subtype").asText()) {
            case "text" -> {
                out.set("text_value", value);
                display = value == null ? null : value.asText();
            }
            case "number" -> {
                out.set("number_value", value);
                out.put("precision", field.get("precision").asInt());
                out.set("format", field.get("format"));
                out.set("currency_code", field.get("currency_code"));
                display = value == null ? null : value.decimalValue().toPlainString();
            }
            case "enum" -> {
                ObjectNode option = value == null ? null : state.enumOptions.get(value.asText());
                out.set("enum_value", option);
                out.set("enum_options", field.get("enum_options"));
                display = option == null ? null : option.get("name").asText();
            }
            case "multi_enum" -> {
                ArrayNode options = out.putArray("multi_enum_values");
                List<String> names = new ArrayList<>();
                if (value != null) {
                    value.forEach(gid -> {
                        options.add(state.enumOptions.get(gid.asText()));
                        names.add(state.enumOptions.get(gid.asText()).get("name").asText());
                    });
                }
                out.set("enum_options", field.get("enum_options"));
                display = value == null ? null : String.join(", ", names);
            }
            case "date" -> {
                out.set("date_value", value);
                display = value == null ? null : value.hasNonNull("date_time") ? value.get("date_time").asText()
                        : value.get("date").asText();
            }
            case "people" -> {
                ArrayNode people = out.putArray("people_value");
                List<String> names = new ArrayList<>();
                if (value != null) {
                    value.forEach(gid -> {
                        people.add(Projection.compact(state.users.get(gid.asText())));
                        names.add(state.users.get(gid.asText()).get("name").asText());
                    });
                }
                display = value == null ? null : String.join(", ", names);
            }
            default -> {
                // Only the types above can be created in the simulator.
            }
        }
        out.put("display_value", display);
        return out;
    }

    /** A project's settings, each with its field's definition as {@link #field} renders it. */
    List<ObjectNode> settings(List<ObjectNode> settings) {
        return settings.stream().map(setting -> {
            ObjectNode out = setting.deepCopy();
            out.remove("field_gid");
            out.set("custom_field", field(state.customFields.get(setting.get("field_gid").asText())));
            return out;
        }).toList();
    }

    /**
     * A custom field's definition. Asana answers every field asked for in opt_fields, including the conditional
     * ones for types they do not apply to (measured through a spec-checking proxy, issue 22); their values here
     * are inferred from the spec's descriptions: precision 0, format "none", currency_code null, no enum options.
     */
    ObjectNode field(ObjectNode field) {
        ObjectNode out = field.deepCopy();
        out.remove("workspace_gid");
        if (!out.has("precision")) {
            out.put("precision", 0).put("format", "none").putNull("currency_code");
        }
        if (!out.has("enum_options")) {
            out.putArray("enum_options");
        }
        return out;
    }
}
