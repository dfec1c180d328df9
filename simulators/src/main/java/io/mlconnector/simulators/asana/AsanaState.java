package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The simulator's Asana workspace in memory: workspaces, users, projects, sections, custom fields with enum
 * options, tasks ({@link TaskRecord}), stories and the {@link EventLog}. All access is synchronized on this object;
 * events are handed to the listener (webhook delivery) after the change that produced them. What a write does to a
 * task's fields is {@link TaskWrites}; turning records into the API's JSON is {@link Rendering}.
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
    /** The task each story is on, by story gid: kept beside the story, whose JSON is what the API answers. */
    private final Map<String, String> storyTasks = new LinkedHashMap<>();
    final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    /** Task gids by the external id an OAuth app gave them. */
    final Map<String, String> externalIds = new LinkedHashMap<>();
    private final Map<String, List<String>> projectTasks = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> projectSettings = new LinkedHashMap<>();
    private final EventLog events = new EventLog();
    private final TaskWrites writes;

    AsanaState(Clock clock) {
        this.clock = clock;
        this.writes = new TaskWrites(this, clock);
    }

    /** Runs {@code read} under this state's lock, so that what it reads and renders is one moment's state. */
    synchronized <T> T atomically(Supplier<T> read) {
        return read.get();
    }

    EventLog events() {
        return events;
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

    synchronized void addCustomFieldSetting(String projectGid, String fieldGid, boolean important) {
        ObjectNode project = require(projects, projectGid, "project");
        require(customFields, fieldGid, "custom_field");
        ObjectNode setting = resource(newGid(), "custom_field_setting", null);
        setting.remove("name");
        setting.put("is_important", important);
        setting.set("project", Projection.compact(project));
        setting.set("parent", Projection.compact(project));
        setting.put("field_gid", fieldGid);
        projectSettings.get(projectGid).add(setting);
    }

    /** The project's settings as stored: each names its field by {@code field_gid} ({@link Rendering#settings}). */
    synchronized List<ObjectNode> settings(String projectGid) {
        require(projects, projectGid, "project");
        return List.copyOf(projectSettings.get(projectGid));
    }

    // ---- tasks

    synchronized TaskRecord createTask(JsonNode data, String userGid, boolean oauth) {
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
        writes.apply(task, data, userGid, oauth, true);
        tasks.put(task.gid, task);
        memberships.forEach(m -> projectTasks.get(m[0]).add(task.gid));
        List<EventLog.Event> batch = new ArrayList<>();
        for (String[] m : memberships) {
            batch.add(event("added", taskResource(task), Projection.compact(projects.get(m[0])), userGid, null,
                    scope(task)));
        }
        events.publish(batch);
        return task;
    }

    synchronized TaskRecord updateTask(String taskRef, JsonNode data, String userGid, boolean oauth) {
        TaskRecord task = task(taskRef, oauth);
        List<String> changed = writes.apply(task, data, userGid, oauth, false);
        List<EventLog.Event> batch = new ArrayList<>();
        for (String field : changed) {
            ObjectNode change = Json.MAPPER.createObjectNode().put("field", field).put("action", "changed");
            if (field.startsWith("custom_fields:")) {
                String fieldGid = field.substring("custom_fields:".length());
                change.put("field", "custom_fields");
                change.set("new_value", Projection.compact(customFields.get(fieldGid)));
            }
            batch.add(event("changed", taskResource(task), null, userGid, change, scope(task)));
        }
        events.publish(batch);
        return task;
    }

    /** The gids of the fields on the task's projects, in project and setting order. */
    Set<String> attachedFields(TaskRecord task) {
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

    synchronized List<TaskRecord> sectionTasks(String sectionGid) {
        require(sections, sectionGid, "section");
        return tasks.values().stream().filter(t -> t.memberships.stream().anyMatch(m -> sectionGid.equals(m[1])))
                .toList();
    }

    synchronized List<TaskRecord> allTasks(String workspaceGid) {
        return tasks.values().stream().filter(t -> t.workspace.equals(workspaceGid)).toList();
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
                    events.publish(List.of(event("added", taskResource(task), Projection.compact(section), userGid, null,
                            scope(task))));
                }
            }
        }
        if (!member) {
            task.memberships.add(new String[] {projectGid, sectionGid});
            projectTasks.get(projectGid).add(task.gid);
            events.publish(List.of(event("added", taskResource(task), Projection.compact(section), userGid, null, scope(task))));
        }
    }

    private String firstSection(String projectGid) {
        return sections.values().stream().filter(s -> s.path("project").path("gid").asText().equals(projectGid))
                .map(s -> s.get("gid").asText()).findFirst().orElse(null);
    }

    // ---- stories

    synchronized ObjectNode addComment(String taskRef, String text, String userGid, boolean oauth) {
        TaskRecord task = task(taskRef, oauth);
        ObjectNode story = resource(newGid(), "story", null);
        story.remove("name");
        story.put("resource_subtype", "comment_added").put("type", "comment").put("text", text)
                .put("created_at", now());
        story.set("created_by", Projection.compact(users.get(userGid)));
        // the task compact, as a story refers to it
        story.set("target", resource(task.gid, "task", task.name).put("resource_subtype", task.subtype));
        String gid = story.get("gid").asText();
        stories.put(gid, story);
        storyTasks.put(gid, task.gid);
        task.modifiedAt = clock.instant();
        Set<String> scope = scope(task);
        scope.add(gid);
        // an event names its resource as {gid, resource_type, resource_subtype} and its parent as the spec's
        // AsanaNamedResource {gid, resource_type, name}: the task the comment was added to
        ObjectNode resource = Json.MAPPER.createObjectNode().put("gid", gid).put("resource_type", "story")
                .put("resource_subtype", "comment_added");
        events.publish(List.of(event("added", resource, resource(task.gid, "task", task.name), userGid, null, scope)));
        return story;
    }

    synchronized List<ObjectNode> stories(String taskRef, boolean oauth) {
        TaskRecord task = task(taskRef, oauth);
        return stories.keySet().stream().filter(gid -> storyTasks.get(gid).equals(task.gid)).map(stories::get)
                .toList();
    }

    // ---- events

    synchronized boolean exists(String gid) {
        return workspaces.containsKey(gid) || projects.containsKey(gid) || tasks.containsKey(gid)
                || sections.containsKey(gid) || customFields.containsKey(gid) || users.containsKey(gid);
    }

    private EventLog.Event event(String action, ObjectNode resource, ObjectNode parent, String userGid, ObjectNode change,
            Set<String> scope) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("user", userGid == null ? null : Projection.compact(users.get(userGid)));
        json.put("created_at", now()).put("action", action);
        json.set("resource", resource);
        json.set("parent", parent);
        if (change != null) {
            json.set("change", change);
        }
        return events.append(json, scope);
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
