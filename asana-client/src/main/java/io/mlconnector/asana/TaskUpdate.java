package io.mlconnector.asana;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;

/** A partial update: only the fields set here are sent, so concurrent edits to others survive. */
public final class TaskUpdate {
    private final ObjectNode data;
    private final boolean usesExternal;

    private TaskUpdate(ObjectNode data, boolean usesExternal) {
        this.data = data;
        this.usesExternal = usesExternal;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when nothing changed; callers skip the API call. */
    public boolean isEmpty() {
        return data.isEmpty();
    }

    boolean usesExternal() {
        return usesExternal;
    }

    ObjectNode json() {
        return data.deepCopy();
    }

    @Override
    public String toString() {
        return "TaskUpdate" + data;
    }

    public static final class Builder {
        private final ObjectNode data = Json.MAPPER.createObjectNode();
        private boolean usesExternal;

        public Builder name(String name) {
            data.put("name", name);
            return this;
        }

        public Builder notes(String notes) {
            data.put("notes", notes);
            return this;
        }

        public Builder completed(boolean completed) {
            data.put("completed", completed);
            return this;
        }

        public Builder assignee(String user) {
            data.put("assignee", user);
            return this;
        }

        public Builder dueOn(LocalDate dueOn) {
            if (dueOn == null) {
                data.putNull("due_on");
            } else {
                data.put("due_on", dueOn.toString());
            }
            return this;
        }

        public Builder customFields(CustomFieldValues values) {
            if (!values.isEmpty()) {
                data.set("custom_fields", values.json());
            }
            return this;
        }

        public Builder external(External external) {
            ObjectNode node = data.putObject("external").put("gid", external.gid());
            if (external.data() != null) {
                node.put("data", external.data());
            }
            usesExternal = true;
            return this;
        }

        public TaskUpdate build() {
            return new TaskUpdate(data.deepCopy(), usesExternal);
        }
    }
}
