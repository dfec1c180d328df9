package io.mlconnector.asana;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

/**
 * A task to create, sent in one POST with everything it needs: name, notes, where it lives
 * (workspace, projects, or memberships with a section) and all its custom field values.
 */
public final class TaskRequest extends TaskBody {

    private TaskRequest(Builder builder) {
        super(builder);
    }

    public static Builder builder(String name) {
        return new Builder().name(Objects.requireNonNull(name, "name"));
    }

    public static final class Builder extends TaskBody.Fields<Builder> {
        private boolean placed;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder workspace(String workspaceGid) {
            data.put("workspace", workspaceGid);
            placed = true;
            return this;
        }

        public Builder project(String projectGid) {
            data.withArray("projects").add(projectGid);
            placed = true;
            return this;
        }

        /** Places the task in a section of a project at creation. */
        public Builder membership(String projectGid, String sectionGid) {
            ArrayNode memberships = data.withArray("memberships");
            memberships.addObject().put("project", projectGid).put("section", sectionGid);
            placed = true;
            return this;
        }

        public TaskRequest build() {
            if (!placed) {
                throw new IllegalStateException("a task needs a workspace, a project or a membership");
            }
            return new TaskRequest(this);
        }
    }
}
