package io.mlconnector.infor.sink;

import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/** Which task events a rule acts on, read from the webhook source's event record. */
abstract sealed class Trigger {

    abstract boolean matches(RecordView event);

    /** Parses 'completed', 'changed:<field>' or 'equals:<field>=<value>'. */
    static Trigger parse(String setting, String text) {
        if (text.equals("completed")) {
            return new Completed();
        }
        if (text.startsWith("changed:") && text.length() > "changed:".length()) {
            return new FieldChanged(text.substring("changed:".length()));
        }
        int eq = text.indexOf('=');
        if (text.startsWith("equals:") && eq > "equals:".length() && eq < text.length() - 1) {
            return new FieldEquals(text.substring("equals:".length(), eq), text.substring(eq + 1));
        }
        throw new ConfigException(setting, text, "expected 'completed', 'changed:<custom field>' or "
                + "'equals:<custom field>=<value>'");
    }

    /**
     * This event completed the task: a change of its completed field, or a reconciliation after missed
     * events that finds it complete. A task created already complete (its CloudSuite record was closed)
     * is not an approval.
     */
    static final class Completed extends Trigger {
        @Override
        boolean matches(RecordView event) {
            Object changed = event.get("changed_field");
            boolean completion = "completed".equals(changed) || changed == null && "reconcile".equals(event.get("origin"));
            return "changed".equals(event.get("action")) && completion
                    && Boolean.TRUE.equals(event.get("task.completed"));
        }
    }

    /** The named custom field is the one this event changed. */
    static final class FieldChanged extends Trigger {
        private final String field;

        FieldChanged(String field) {
            this.field = field;
        }

        @Override
        boolean matches(RecordView event) {
            Object gid = event.get("task.custom_fields." + field + ".gid");
            return gid != null && gid.equals(event.get("change_value_gid"));
        }
    }

    /** The named custom field now shows the value. */
    static final class FieldEquals extends Trigger {
        private final String field;
        private final String value;

        FieldEquals(String field, String value) {
            this.field = field;
            this.value = value;
        }

        @Override
        boolean matches(RecordView event) {
            return Objects.equals(value, Template.format(event.get("task.custom_fields." + field + ".display_value")));
        }
    }
}
