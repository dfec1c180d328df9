package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a create or update writes into a task: the writable fields Asana takes, each value checked and brought to
 * its stored form (numbers rounded to the field's precision, dates as {@code {date, date_time}}, people as user
 * gids). Runs under the state's lock, from {@link AsanaState}'s task methods.
 */
final class TaskWrites {
    private final AsanaState state;
    private final Clock clock;

    TaskWrites(AsanaState state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** Applies writable fields; returns the names of the fields whose value changed. */
    List<String> apply(TaskRecord task, JsonNode data, String userGid, boolean oauth, boolean create) {
        if (data.has("start_on") || data.has("start_at")) {
            if (!data.has("due_on") && !data.has("due_at")) {
                throw AsanaError.badRequest("start_on: You may only set start_on together with due_on or due_at");
            }
        }
        if (data.has("external") && !oauth) {
            throw new AsanaError(400, "external: Only OAuth apps may set the external field");
        }
        List<String> changed = new ArrayList<>();
        if (data.has("name") && !data.get("name").asText().equals(task.name)) {
            task.name = data.get("name").asText();
            changed.add("name");
        }
        if (data.has("notes") && !data.get("notes").asText().equals(task.notes)) {
            task.notes = data.get("notes").asText();
            changed.add("notes");
        }
        if (data.has("resource_subtype")) {
            task.subtype = data.get("resource_subtype").asText();
        }
        if (data.has("due_on")) {
            String due = data.get("due_on").isNull() ? null : data.get("due_on").asText();
            if (!Objects.equals(due, task.dueOn)) {
                task.dueOn = due;
                changed.add("due_on");
            }
        }
        if (data.has("assignee")) {
            String assignee = data.get("assignee").isNull() ? null : user(data.get("assignee").asText(), userGid);
            if (!Objects.equals(assignee, task.assignee)) {
                task.assignee = assignee;
                changed.add("assignee");
            }
        }
        if (data.has("completed") && data.get("completed").asBoolean() != task.completed) {
            task.completed = data.get("completed").asBoolean();
            task.completedAt = task.completed ? clock.instant() : null;
            task.completedBy = task.completed ? userGid : null;
            changed.add("completed");
        }
        if (data.has("external")) {
            JsonNode external = data.get("external");
            String externalGid = external.path("gid").asText("");
            String owner = state.externalIds.get(externalGid);
            if (owner != null && !owner.equals(task.gid)) {
                throw AsanaError.badRequest("external.gid: Another task already has external id " + externalGid);
            }
            if (task.external != null) {
                state.externalIds.remove(task.external.path("gid").asText());
            }
            task.external = (ObjectNode) external.deepCopy();
            state.externalIds.put(externalGid, task.gid);
        }
        if (data.has("custom_fields")) {
            Set<String> attached = state.attachedFields(task);
            data.get("custom_fields").properties().forEach(e -> {
                ObjectNode field = state.customFields.get(e.getKey());
                if (field == null || !attached.contains(e.getKey())) {
                    throw AsanaError.badRequest("custom_fields: Custom field with ID " + e.getKey()
                            + " is not on given object");
                }
                JsonNode value = normalize(field, e.getValue(), userGid);
                if (!Objects.equals(value, task.values.get(e.getKey()))) {
                    if (value == null) {
                        task.values.remove(e.getKey());
                    } else {
                        task.values.put(e.getKey(), value);
                    }
                    changed.add("custom_fields:" + e.getKey());
                }
            });
        }
        if (!changed.isEmpty() && !create) {
            task.modifiedAt = clock.instant();
        }
        return changed;
    }

    /** The stored form of a written value, or null to clear; rejects values of the wrong shape. */
    private JsonNode normalize(ObjectNode field, JsonNode value, String userGid) {
        if (value.isNull()) {
            return null;
        }
        String name = field.get("name").asText();
        switch (field.get("resource_subtype").asText()) {
            case "text" -> {
                if (!value.isTextual() || value.asText().length() > 1024) {
                    throw AsanaError.badRequest("custom_fields: " + name + " takes a string of at most 1024 characters");
                }
                return value;
            }
            case "number" -> {
                if (!value.isNumber()) {
                    throw AsanaError.badRequest("custom_fields: " + name + " takes a number");
                }
                BigDecimal rounded = value.decimalValue().setScale(field.get("precision").asInt(), RoundingMode.HALF_UP);
                return Json.MAPPER.getNodeFactory().numberNode(rounded);
            }
            case "enum" -> {
                if (!value.isTextual() || !enabledOptionOf(field, value.asText())) {
                    throw AsanaError.badRequest("custom_fields: " + value + " is not an enabled enum option gid of " + name);
                }
                return value;
            }
            case "multi_enum" -> {
                if (!value.isArray()) {
                    throw AsanaError.badRequest("custom_fields: " + name + " takes an array of enum option gids");
                }
                for (JsonNode gid : value) {
                    if (!gid.isTextual() || !enabledOptionOf(field, gid.asText())) {
                        throw AsanaError.badRequest("custom_fields: " + gid + " is not an enabled enum option gid of " + name);
                    }
                }
                return value;
            }
            case "date" -> {
                return dateValue(name, value);
            }
            case "people" -> {
                if (!value.isArray()) {
                    throw AsanaError.badRequest("custom_fields: " + name + " takes an array of users");
                }
                ArrayNode gids = Json.MAPPER.createArrayNode();
                value.forEach(u -> gids.add(user(u.asText(), userGid)));
                return gids;
            }
            default -> throw AsanaError.badRequest("custom_fields: " + name + " cannot be written");
        }
    }

    private static JsonNode dateValue(String name, JsonNode value) {
        String text = value.isObject() ? (value.hasNonNull("date_time") ? value.get("date_time").asText()
                : value.path("date").asText()) : value.asText();
        ObjectNode out = Json.MAPPER.createObjectNode();
        try {
            if (text.length() == 10) {
                out.put("date", LocalDate.parse(text).toString()).putNull("date_time");
            } else {
                Instant instant = OffsetDateTime.parse(text).toInstant();
                out.put("date", instant.atOffset(ZoneOffset.UTC).toLocalDate().toString()).put("date_time", AsanaState.format(instant));
            }
        } catch (DateTimeParseException e) {
            throw AsanaError.badRequest("custom_fields: " + name + " takes YYYY-MM-DD or an ISO-8601 date-time, not " + text);
        }
        return out;
    }

    private boolean enabledOptionOf(ObjectNode field, String optionGid) {
        for (JsonNode option : field.path("enum_options")) {
            if (option.get("gid").asText().equals(optionGid)) {
                return option.get("enabled").asBoolean();
            }
        }
        return false;
    }

    private String user(String reference, String me) {
        if (reference.equals("me")) {
            return me;
        }
        if (state.users.containsKey(reference)) {
            return reference;
        }
        for (ObjectNode user : state.users.values()) {
            if (user.path("email").asText().equalsIgnoreCase(reference)) {
                return user.get("gid").asText();
            }
        }
        throw AsanaError.badRequest("user: Unknown user " + reference);
    }
}
