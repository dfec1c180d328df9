package io.mlconnector.asana;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A task to create, sent in one POST with everything it needs: name, notes, where it lives
 * (workspace, projects, or memberships with a section) and all its custom field values.
 */
public final class TaskRequest {
    private final ObjectNode data;
    private final boolean usesExternal;

    private TaskRequest(ObjectNode data, boolean usesExternal) {
        this.data = data;
        this.usesExternal = usesExternal;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    boolean usesExternal() {
        return usesExternal;
    }

    ObjectNode json() {
        return data.deepCopy();
    }

    @Override
    public String toString() {
        return "TaskRequest" + data;
    }

    public static final class Builder {
        private final ObjectNode data = Json.MAPPER.createObjectNode();
        private boolean placed;
        private boolean usesExternal;

        private Builder(String name) {
            data.put("name", Objects.requireNonNull(name, "name"));
        }

        public Builder notes(String notes) {
            data.put("notes", notes);
            return this;
        }

        public Builder workspace(String workspaceGid) {
            data.put("workspace", workspaceGid);
            placed = true;
            return this;
        }

        public Builder project(String projectGid) {
            projects().add(projectGid);
            placed = true;
            return this;
        }

        /** Places the task in a section of a project at creation. */
        public Builder membership(String projectGid, String sectionGid) {
            ArrayNode memberships = data.has("memberships") ? (ArrayNode) data.get("memberships")
                    : data.putArray("memberships");
            memberships.addObject().put("project", projectGid).put("section", sectionGid);
            placed = true;
            return this;
        }

        public Builder assignee(String user) {
            data.put("assignee", user);
            return this;
        }

        public Builder dueOn(LocalDate dueOn) {
            data.put("due_on", dueOn.toString());
            return this;
        }

        public Builder completed(boolean completed) {
            data.put("completed", completed);
            return this;
        }

        public Builder customFields(CustomFieldValues values) {
            data.set("custom_fields", values.json());
            return this;
        }

        /** The app's id for the task; needs an OAuth token (the client refuses it for a PAT). */
        public Builder external(External external) {
            ObjectNode node = data.putObject("external").put("gid", external.gid());
            if (external.data() != null) {
                node.put("data", external.data());
            }
            usesExternal = true;
            return this;
        }

        public TaskRequest build() {
            if (!placed) {
                throw new IllegalStateException("a task needs a workspace, a project or a membership");
            }
            return new TaskRequest(data.deepCopy(), usesExternal);
        }

        private ArrayNode projects() {
            return data.has("projects") ? (ArrayNode) data.get("projects") : data.putArray("projects");
        }
    }
}
