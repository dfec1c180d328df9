package io.mlconnector.asana;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.http.Json;
import java.time.LocalDate;

/**
 * The {@code data} of a task create or update, and the builder of the fields both send. Values come from records and
 * from Asana users, so they are set as JSON values, never spliced into text.
 */
abstract sealed class TaskBody permits TaskRequest, TaskUpdate {
    private final ObjectNode data;
    private final boolean usesExternal;

    TaskBody(Fields<?> fields) {
        this.data = fields.data.deepCopy();
        this.usesExternal = fields.usesExternal;
    }

    /** True when it sets the app's {@code external} id, which needs an OAuth token. */
    boolean usesExternal() {
        return usesExternal;
    }

    ObjectNode json() {
        return data.deepCopy();
    }

    /** True when it sets nothing. */
    boolean hasNoFields() {
        return data.isEmpty();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + data;
    }

    /** The fields a create and an update set alike; {@code B} is the concrete builder, for chaining. */
    abstract static class Fields<B extends Fields<B>> {
        final ObjectNode data = Json.MAPPER.createObjectNode();
        private boolean usesExternal;

        abstract B self();

        public B name(String name) {
            data.put("name", name);
            return self();
        }

        public B notes(String notes) {
            data.put("notes", notes);
            return self();
        }

        public B assignee(String user) {
            data.put("assignee", user);
            return self();
        }

        public B completed(boolean completed) {
            data.put("completed", completed);
            return self();
        }

        /** A null date clears the task's due date. */
        public B dueOn(LocalDate dueOn) {
            if (dueOn == null) {
                data.putNull("due_on");
            } else {
                data.put("due_on", dueOn.toString());
            }
            return self();
        }

        /** The values given, by field GID; none sends nothing. */
        public B customFields(CustomFieldValues values) {
            if (!values.isEmpty()) {
                data.set("custom_fields", values.json());
            }
            return self();
        }

        /** The app's id for the task; needs an OAuth token (the client refuses it for a PAT). */
        public B external(External external) {
            ObjectNode node = data.putObject("external").put("gid", external.gid());
            if (external.data() != null) {
                node.put("data", external.data());
            }
            usesExternal = true;
            return self();
        }
    }
}
