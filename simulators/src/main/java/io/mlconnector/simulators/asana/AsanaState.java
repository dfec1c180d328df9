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
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The simulator's Asana: workspaces, users, projects, sections, custom fields with enum options,
 * tasks, stories and the event log. All access is synchronized on this object; events are handed
 * to the listener (webhook delivery) after the change that produced them.
 */
final class AsanaState {
    static final int MAX_ENUM_OPTIONS = 500;
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private final Clock clock;
    private final AtomicLong gids = new AtomicLong(1_200_000_000_000_000L);
    final Map<String, ObjectNode> workspaces = new LinkedHashMap<>();
    final Map<String, ObjectNode> users = new LinkedHashMap<>();
    final Map<String, ObjectNode> projects = new LinkedHashMap<>();
    final Map<String, ObjectNode> sections = new LinkedHashMap<>();
    final Map<String, ObjectNode> customFields = new LinkedHashMap<>();
    final Map<String, ObjectNode> enumOptions = new LinkedHashMap<>();
    final Map<String, ObjectNode> stories = new LinkedHashMap<>();
    final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    private final Map<String, String> externalIds = new LinkedHashMap<>();
    private final Map<String, List<String>> projectTasks = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> projectSettings = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private Consumer<List<Event>> listener = batch -> { };

    AsanaState(Clock clock) {
        this.clock = clock;
    }

    /** An event with the resources it is visible from (the object itself and its containers). */
    record Event(long seq, ObjectNode json, Set<String> scope) {
    }

    static final class TaskRecord {
        final String gid;
        final String workspace;
        final Instant createdAt;
        String name = "";
        String notes = "";
        String subtype = "default_task";
        boolean completed;
        Instant completedAt;
        Instant modifiedAt;
        String dueOn;
        String assignee;
        String createdBy;
        String completedBy;
        ObjectNode external;
        final List<String[]> memberships = new ArrayList<>();
        final Map<String, JsonNode> values = new LinkedHashMap<>();

        TaskRecord(String gid, String workspace, Instant createdAt) {
            this.gid = gid;
            this.workspace = workspace;
            this.createdAt = createdAt;
            this.modifiedAt = createdAt;
        }

        List<String> projects() {
            return memberships.stream().map(m -> m[0]).toList();
        }
    }

    synchronized void onEvents(Consumer<List<Event>> listener) {
        this.listener = listener;
    }

    String newGid() {
        return String.valueOf(gids.incrementAndGet());
    }

    String now() {
        return format(clock.instant());
    }

    static String format(Instant instant) {
        return instant == null ? null : MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
    }

    // ---- seeding

    synchronized ObjectNode addWorkspace(String name, boolean premium) {
        ObjectNode ws = resource(newGid(), "workspace", name);
        ws.put("is_organization", false).put("is_premium", premium);
        workspaces.put(ws.get("gid").asText(), ws);
        return ws;
    }

    synchronized ObjectNode addUser(String name, String email) {
        ObjectNode user = resource(newGid(), "user", name);
        user.put("email", email);
        users.put(user.get("gid").asText(), user);
        return user;
    }

    synchronized ObjectNode addProject(String workspaceGid, String name) {
        ObjectNode ws = require(workspaces, workspaceGid, "workspace");
        ObjectNode project = resource(newGid(), "project", name);
        project.set("workspace", Projection.compact(ws));
        String gid = project.get("gid").asText();
        projects.put(gid, project);
        projectTasks.put(gid, new ArrayList<>());
        projectSettings.put(gid, new ArrayList<>());
        addSection(gid, "Untitled section");
        return project;
    }

    synchronized ObjectNode addSection(String projectGid, String name) {
        ObjectNode project = require(projects, projectGid, "project");
        ObjectNode section = resource(newGid(), "section", name);
        section.set("project", Projection.compact(project));
        section.put("created_at", now());
        sections.put(section.get("gid").asText(), section);
        return section;
    }

    /** A custom field definition; {@code options} are option names for enum and multi_enum fields. */
    synchronized ObjectNode addCustomField(String workspaceGid, String name, String subtype, Integer precision,
            String format, String currencyCode, List<String> options) {
        require(workspaces, workspaceGid, "workspace");
        for (ObjectNode existing : customFields.values()) {
            if (existing.path("workspace_gid").asText().equals(workspaceGid) && existing.get("name").asText().equals(name)) {
                throw AsanaError.badRequest("name: A custom field named " + name + " already exists in this workspace");
            }
        }
        if (!Set.of("text", "number", "enum", "multi_enum", "date", "people").contains(subtype)) {
            throw AsanaError.badRequest("resource_subtype: Not a supported type: " + subtype);
        }
        ObjectNode field = resource(newGid(), "custom_field", name);
        field.put("resource_subtype", subtype).put("type", subtype).put("workspace_gid", workspaceGid)
                .put("enabled", true).put("description", "");
        if (subtype.equals("number")) {
            field.put("precision", precision == null ? 0 : precision).put("format", format == null ? "none" : format);
            if ("currency".equals(format)) {
                field.put("currency_code", currencyCode);
            } else {
                field.putNull("currency_code");
            }
        }
        if (subtype.equals("enum") || subtype.equals("multi_enum")) {
            field.putArray("enum_options");
        }
        customFields.put(field.get("gid").asText(), field);
        if (options != null) {
            options.forEach(option -> addEnumOption(field.get("gid").asText(), option, "none"));
        }
        return field;
    }

    synchronized ObjectNode addEnumOption(String fieldGid, String name, String color) {
        ObjectNode field = require(customFields, fieldGid, "custom_field");
        if (!field.has("enum_options")) {
            throw AsanaError.badRequest("custom_field: Only enum and multi_enum fields have options");
        }
        ArrayNode options = (ArrayNode) field.get("enum_options");
        if (options.size() >= MAX_ENUM_OPTIONS) {
            throw AsanaError.badRequest("enum_options: A custom field can have at most " + MAX_ENUM_OPTIONS + " options");
        }
        for (JsonNode option : options) {
            if (option.get("name").asText().equals(name)) {
                throw AsanaError.badRequest("name: An option named " + name + " already exists");
            }
        }
        ObjectNode option = resource(newGid(), "enum_option", name);
        option.put("enabled", true).put("color", color == null ? "none" : color);
        options.add(option);
        enumOptions.put(option.get("gid").asText(), option);
        return option;
    }

    synchronized ObjectNode addCustomFieldSetting(String projectGid, String fieldGid, boolean important) {
        ObjectNode project = require(projects, projectGid, "project");
        ObjectNode field = require(customFields, fieldGid, "custom_field");
        ObjectNode setting = resource(newGid(), "custom_field_setting", null);
        setting.remove("name");
        setting.put("is_important", important);
        setting.set("project", Projection.compact(project));
        setting.set("parent", Projection.compact(project));
        setting.put("field_gid", fieldGid);
        projectSettings.get(projectGid).add(setting);
        return renderSetting(setting, field);
    }

    synchronized List<ObjectNode> settings(String projectGid) {
        require(projects, projectGid, "project");
        return projectSettings.get(projectGid).stream()
                .map(s -> renderSetting(s, customFields.get(s.get("field_gid").asText()))).toList();
    }

    private static ObjectNode renderSetting(ObjectNode setting, ObjectNode field) {
        ObjectNode out = setting.deepCopy();
        out.remove("field_gid");
        out.set("custom_field", field.deepCopy());
        return out;
    }

    // ---- tasks

    synchronized ObjectNode createTask(JsonNode data, String userGid, boolean oauth) {
        List<String[]> memberships = new ArrayList<>();
        data.path("projects").forEach(p -> memberships.add(new String[] {p.asText(), null}));
        data.path("memberships").forEach(m -> memberships.add(new String[] {
                m.path("project").asText(), m.hasNonNull("section") ? m.get("section").asText() : null}));
        String workspace = data.hasNonNull("workspace") ? data.get("workspace").asText() : null;
        for (String[] membership : memberships) {
            ObjectNode project = require(projects, membership[0], "project");
            String projectWorkspace = project.path("workspace").path("gid").asText();
            if (workspace != null && !workspace.equals(projectWorkspace)) {
                throw AsanaError.badRequest("projects: Project " + membership[0] + " is not in workspace " + workspace);
            }
            workspace = projectWorkspace;
            if (membership[1] == null) {
                membership[1] = firstSection(membership[0]);
            } else {
                ObjectNode section = require(sections, membership[1], "section");
                if (!section.path("project").path("gid").asText().equals(membership[0])) {
                    throw AsanaError.badRequest("memberships: Section " + membership[1] + " is not in project " + membership[0]);
                }
            }
        }
        if (workspace == null) {
            throw AsanaError.badRequest("workspace: Missing input; specify one of workspace, parent or projects");
        }
        require(workspaces, workspace, "workspace");
        TaskRecord task = new TaskRecord(newGid(), workspace, clock.instant());
        task.createdBy = userGid;
        task.memberships.addAll(memberships);
        applyTaskFields(task, data, userGid, oauth, true);
        tasks.put(task.gid, task);
        memberships.forEach(m -> projectTasks.get(m[0]).add(task.gid));
        List<Event> batch = new ArrayList<>();
        for (String[] m : memberships) {
            batch.add(event("added", taskResource(task), Projection.compact(projects.get(m[0])), userGid, null,
                    scope(task)));
        }
        publish(batch);
        return renderTask(task);
    }

    synchronized ObjectNode updateTask(String taskRef, JsonNode data, String userGid, boolean oauth) {
        TaskRecord task = task(taskRef, oauth);
        List<String> changed = applyTaskFields(task, data, userGid, oauth, false);
        List<Event> batch = new ArrayList<>();
        for (String field : changed) {
            ObjectNode change = Json.MAPPER.createObjectNode().put("field", field).put("action", "changed");
            if (field.startsWith("custom_fields:")) {
                String fieldGid = field.substring("custom_fields:".length());
                change.put("field", "custom_fields");
                change.set("new_value", Projection.compact(customFields.get(fieldGid)));
            }
            batch.add(event("changed", taskResource(task), null, userGid, change, scope(task)));
        }
        publish(batch);
        return renderTask(task);
    }

    /** Applies writable fields; returns the names of the fields whose value changed. */
    private List<String> applyTaskFields(TaskRecord task, JsonNode data, String userGid, boolean oauth, boolean create) {
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
            String owner = externalIds.get(externalGid);
            if (owner != null && !owner.equals(task.gid)) {
                throw AsanaError.badRequest("external.gid: Another task already has external id " + externalGid);
            }
            if (task.external != null) {
                externalIds.remove(task.external.path("gid").asText());
            }
            task.external = (ObjectNode) external.deepCopy();
            externalIds.put(externalGid, task.gid);
        }
        if (data.has("custom_fields")) {
            Set<String> attached = attachedFields(task);
            data.get("custom_fields").properties().forEach(e -> {
                ObjectNode field = customFields.get(e.getKey());
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
                out.put("date", instant.atOffset(ZoneOffset.UTC).toLocalDate().toString()).put("date_time", format(instant));
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
        if (users.containsKey(reference)) {
            return reference;
        }
        for (ObjectNode user : users.values()) {
            if (user.path("email").asText().equalsIgnoreCase(reference)) {
                return user.get("gid").asText();
            }
        }
        throw AsanaError.badRequest("user: Unknown user " + reference);
    }

    private Set<String> attachedFields(TaskRecord task) {
        Set<String> gids = new LinkedHashSet<>();
        for (String project : task.projects()) {
            projectSettings.get(project).forEach(s -> gids.add(s.get("field_gid").asText()));
        }
        return gids;
    }

    /** A task by gid or {@code external:<id>} (the latter for OAuth tokens only). */
    synchronized TaskRecord task(String reference, boolean oauth) {
        String gid = reference;
        if (reference.startsWith("external:")) {
            gid = oauth ? externalIds.get(reference.substring("external:".length())) : null;
        }
        TaskRecord task = gid == null ? null : tasks.get(gid);
        if (task == null) {
            throw AsanaError.notFound("task");
        }
        return task;
    }

    synchronized ObjectNode renderTask(String reference, boolean oauth) {
        return renderTask(task(reference, oauth));
    }

    /** The project's task gids in order; rendering is left to the page that shows them. */
    synchronized List<String> projectTaskGids(String projectGid, String completedSince) {
        return projectTaskGids(projectGid, completedSince, null);
    }

    /** As above, keeping only tasks modified at or after {@code modifiedSince} when it is given. */
    synchronized List<String> projectTaskGids(String projectGid, String completedSince, String modifiedSince) {
        require(projects, projectGid, "project");
        Instant since = completedSince == null ? null
                : completedSince.equals("now") ? clock.instant() : OffsetDateTime.parse(completedSince).toInstant();
        Instant modified = modifiedSince == null ? null : OffsetDateTime.parse(modifiedSince).toInstant();
        List<String> out = new ArrayList<>();
        for (String gid : projectTasks.get(projectGid)) {
            TaskRecord task = tasks.get(gid);
            if ((since == null || !task.completed || task.completedAt.isAfter(since))
                    && (modified == null || !task.modifiedAt.isBefore(modified))) {
                out.add(gid);
            }
        }
        return out;
    }

    synchronized List<ObjectNode> sectionTasks(String sectionGid) {
        require(sections, sectionGid, "section");
        return tasks.values().stream().filter(t -> t.memberships.stream().anyMatch(m -> sectionGid.equals(m[1])))
                .map(this::renderTask).toList();
    }

    synchronized List<ObjectNode> allTasks(String workspaceGid) {
        return tasks.values().stream().filter(t -> t.workspace.equals(workspaceGid)).map(this::renderTask).toList();
    }

    synchronized void addTaskToSection(String sectionGid, String taskGid, String userGid) {
        ObjectNode section = require(sections, sectionGid, "section");
        TaskRecord task = task(taskGid, false);
        String projectGid = section.path("project").path("gid").asText();
        boolean member = false;
        for (String[] membership : task.memberships) {
            if (membership[0].equals(projectGid)) {
                member = true;
                if (!sectionGid.equals(membership[1])) {
                    membership[1] = sectionGid;
                    publish(List.of(event("added", taskResource(task), Projection.compact(section), userGid, null,
                            scope(task))));
                }
            }
        }
        if (!member) {
            task.memberships.add(new String[] {projectGid, sectionGid});
            projectTasks.get(projectGid).add(task.gid);
            publish(List.of(event("added", taskResource(task), Projection.compact(section), userGid, null, scope(task))));
        }
    }

    private String firstSection(String projectGid) {
        return sections.values().stream().filter(s -> s.path("project").path("gid").asText().equals(projectGid))
                .map(s -> s.get("gid").asText()).findFirst().orElse(null);
    }

    private ObjectNode renderTask(TaskRecord task) {
        ObjectNode out = resource(task.gid, "task", task.name);
        out.put("resource_subtype", task.subtype).put("notes", task.notes).put("completed", task.completed)
                .put("completed_at", format(task.completedAt)).put("created_at", format(task.createdAt))
                .put("modified_at", format(task.modifiedAt)).put("due_on", task.dueOn).putNull("due_at")
                .putNull("start_on")
                .put("permalink_url", "https://app.asana.com/0/0/" + task.gid);
        out.set("assignee", task.assignee == null ? null : Projection.compact(users.get(task.assignee)));
        // a task's created_by is {gid, resource_type} in the spec (TaskBase), not a compact user
        out.set("created_by", task.createdBy == null ? null : Json.MAPPER.createObjectNode()
                .put("gid", task.createdBy).put("resource_type", "user"));
        out.set("completed_by", task.completedBy == null ? null : Projection.compact(users.get(task.completedBy)));
        out.set("workspace", Projection.compact(workspaces.get(task.workspace)));
        ArrayNode projectsNode = out.putArray("projects");
        ArrayNode memberships = out.putArray("memberships");
        for (String[] m : task.memberships) {
            projectsNode.add(Projection.compact(projects.get(m[0])));
            ObjectNode membership = memberships.addObject();
            membership.set("project", Projection.compact(projects.get(m[0])));
            membership.set("section", m[1] == null ? null : Projection.compact(sections.get(m[1])));
        }
        ArrayNode values = out.putArray("custom_fields");
        Set<String> shown = new LinkedHashSet<>(attachedFields(task));
        shown.addAll(task.values.keySet());
        for (String fieldGid : shown) {
            values.add(renderValue(customFields.get(fieldGid), task.values.get(fieldGid),
                    attachedFields(task).contains(fieldGid)));
        }
        if (task.external != null) {
            out.set("external", task.external);
        }
        return out;
    }

    private ObjectNode renderValue(ObjectNode field, JsonNode value, boolean enabled) {
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
                ObjectNode option = value == null ? null : enumOptions.get(value.asText());
                out.set("enum_value", option);
                out.set("enum_options", field.get("enum_options"));
                display = option == null ? null : option.get("name").asText();
            }
            case "multi_enum" -> {
                ArrayNode options = out.putArray("multi_enum_values");
                List<String> names = new ArrayList<>();
                if (value != null) {
                    value.forEach(gid -> {
                        options.add(enumOptions.get(gid.asText()));
                        names.add(enumOptions.get(gid.asText()).get("name").asText());
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
                        people.add(Projection.compact(users.get(gid.asText())));
                        names.add(users.get(gid.asText()).get("name").asText());
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

    // ---- stories

    synchronized ObjectNode addComment(String taskRef, String text, String userGid, boolean oauth) {
        TaskRecord task = task(taskRef, oauth);
        ObjectNode story = resource(newGid(), "story", null);
        story.remove("name");
        story.put("resource_subtype", "comment_added").put("type", "comment").put("text", text)
                .put("created_at", now()).put("task_gid", task.gid);
        story.set("created_by", Projection.compact(users.get(userGid)));
        story.set("target", Projection.compact(renderTask(task)));
        stories.put(story.get("gid").asText(), story);
        task.modifiedAt = clock.instant();
        Set<String> scope = scope(task);
        scope.add(story.get("gid").asText());
        publish(List.of(event("added", Projection.compact(story), taskResource(task), userGid, null, scope)));
        return story;
    }

    synchronized List<ObjectNode> stories(String taskRef, boolean oauth) {
        TaskRecord task = task(taskRef, oauth);
        return stories.values().stream().filter(s -> s.get("task_gid").asText().equals(task.gid)).toList();
    }

    // ---- events

    synchronized long lastEventSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }

    /** Events after {@code afterSeq} visible from {@code resourceGid}, at most {@code limit}. */
    synchronized List<Event> eventsFor(String resourceGid, long afterSeq, int limit) {
        List<Event> out = new ArrayList<>();
        for (Event event : events) {
            if (event.seq() > afterSeq && event.scope().contains(resourceGid)) {
                out.add(event);
                if (out.size() == limit + 1) {
                    break;
                }
            }
        }
        return out;
    }

    synchronized boolean exists(String gid) {
        return workspaces.containsKey(gid) || projects.containsKey(gid) || tasks.containsKey(gid)
                || sections.containsKey(gid) || customFields.containsKey(gid) || users.containsKey(gid);
    }

    private Event event(String action, ObjectNode resource, ObjectNode parent, String userGid, ObjectNode change,
            Set<String> scope) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("user", userGid == null ? null : Projection.compact(users.get(userGid)));
        json.put("created_at", now()).put("action", action);
        json.set("resource", resource);
        json.set("parent", parent);
        if (change != null) {
            json.set("change", change);
        }
        Event event = new Event(lastEventSeq() + 1, json, scope);
        events.add(event);
        return event;
    }

    private void publish(List<Event> batch) {
        if (!batch.isEmpty()) {
            listener.accept(batch);
        }
    }

    private static Set<String> scope(TaskRecord task) {
        Set<String> scope = new LinkedHashSet<>(task.projects());
        scope.add(task.gid);
        return scope;
    }

    private static ObjectNode taskResource(TaskRecord task) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("gid", task.gid).put("resource_type", "task").put("resource_subtype", task.subtype);
        return out;
    }

    static ObjectNode resource(String gid, String type, String name) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("gid", gid).put("resource_type", type).put("name", name);
        return out;
    }

    static ObjectNode require(Map<String, ObjectNode> map, String gid, String what) {
        ObjectNode found = map.get(gid);
        if (found == null) {
            throw AsanaError.notFound(what);
        }
        return found;
    }
}
