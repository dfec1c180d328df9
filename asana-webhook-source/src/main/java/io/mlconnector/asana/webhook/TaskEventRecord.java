package io.mlconnector.asana.webhook;

import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.EnumOption;
import io.mlconnector.asana.Event;
import io.mlconnector.asana.Resource;
import io.mlconnector.asana.Task;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The value written for one event: what happened (action, resource, parent, change, user, time) and
 * the task as read right after, with its custom fields, so a consumer acts without another lookup.
 * Money stays exact (number values as decimal strings); times are UTC timestamps.
 */
final class TaskEventRecord {

    /** How the event reached the connector. */
    enum Origin { WEBHOOK, EVENTS_API, RECONCILE }

    static final Schema CUSTOM_FIELD_SCHEMA = SchemaBuilder.struct().name("io.mlconnector.asana.TaskCustomField").version(1)
            .field("gid", Schema.STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("type", Schema.OPTIONAL_STRING_SCHEMA)
            .field("enabled", Schema.BOOLEAN_SCHEMA)
            .field("display_value", Schema.OPTIONAL_STRING_SCHEMA)
            .field("text_value", Schema.OPTIONAL_STRING_SCHEMA)
            .field("number_value", SchemaBuilder.string().optional().doc("exact decimal, as Asana stores it").build())
            .field("enum_value_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("enum_value_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("multi_enum_value_names", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field("date_value", org.apache.kafka.connect.data.Date.builder().optional().build())
            .field("people_gids", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .build();

    static final Schema TASK_SCHEMA = SchemaBuilder.struct().name("io.mlconnector.asana.TaskState").version(1).optional()
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("completed", Schema.BOOLEAN_SCHEMA)
            .field("completed_at", Timestamp.builder().optional().build())
            .field("assignee_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("due_on", org.apache.kafka.connect.data.Date.builder().optional().build())
            .field("modified_at", Timestamp.builder().optional().build())
            .field("permalink_url", Schema.OPTIONAL_STRING_SCHEMA)
            .field("external_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("po_number", Schema.OPTIONAL_STRING_SCHEMA)
            .field("invoice_number", Schema.OPTIONAL_STRING_SCHEMA)
            .field("custom_fields", SchemaBuilder.array(CUSTOM_FIELD_SCHEMA).build())
            .field("created_by_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("completed_by_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final Schema SCHEMA = SchemaBuilder.struct().name("io.mlconnector.asana.TaskEvent").version(1)
            .field("event_id", Schema.STRING_SCHEMA)
            .field("origin", Schema.STRING_SCHEMA)
            .field("action", Schema.STRING_SCHEMA)
            .field("task_gid", Schema.STRING_SCHEMA)
            .field("resource_gid", Schema.STRING_SCHEMA)
            .field("resource_type", Schema.OPTIONAL_STRING_SCHEMA)
            .field("resource_subtype", Schema.OPTIONAL_STRING_SCHEMA)
            .field("parent_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("parent_type", Schema.OPTIONAL_STRING_SCHEMA)
            .field("changed_field", Schema.OPTIONAL_STRING_SCHEMA)
            .field("change_action", Schema.OPTIONAL_STRING_SCHEMA)
            .field("change_value_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("user_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("created_at", Timestamp.builder().optional().build())
            .field("task", TASK_SCHEMA)
            .build();

    private TaskEventRecord() {
    }

    /** The task an event is about: the resource itself, or the parent task of a story. */
    static Optional<String> taskGid(Event event) {
        Resource resource = event.resource();
        if (resource != null && "task".equals(resource.resourceType())) {
            return Optional.of(resource.gid());
        }
        Resource parent = event.parent();
        if (parent != null && "task".equals(parent.resourceType())) {
            return Optional.of(parent.gid());
        }
        return Optional.empty();
    }

    /** @param task the task as read now, or null when it is gone (deleted) */
    static Struct value(String eventId, Origin origin, Event event, String taskGid, Task task, FieldNames fields) {
        Struct value = new Struct(SCHEMA)
                .put("event_id", eventId)
                .put("origin", origin.name().toLowerCase(java.util.Locale.ROOT))
                .put("action", event.action())
                .put("task_gid", taskGid)
                .put("resource_gid", event.resource().gid())
                .put("resource_type", event.resource().resourceType())
                .put("resource_subtype", event.resourceSubtype())
                .put("user_gid", event.user() == null ? null : event.user().gid())
                .put("created_at", date(event.createdAt()));
        if (event.parent() != null) {
            value.put("parent_gid", event.parent().gid()).put("parent_type", event.parent().resourceType());
        }
        if (event.change() != null) {
            Resource changed = firstNonNull(event.change().newValue(), event.change().addedValue(),
                    event.change().removedValue());
            value.put("changed_field", event.change().field()).put("change_action", event.change().action())
                    .put("change_value_gid", changed == null ? null : changed.gid());
        }
        if (task != null) {
            value.put("task", task(task, fields));
        }
        return value;
    }

    /** Which custom fields fill po_number and invoice_number, by name or gid. */
    record FieldNames(String poNumber, String invoiceNumber) {
    }

    private static Struct task(Task task, FieldNames names) {
        List<Struct> customFields = task.customFields().stream().map(TaskEventRecord::customField).toList();
        return new Struct(TASK_SCHEMA)
                .put("name", task.name())
                .put("completed", task.completed())
                .put("completed_at", date(task.completedAt()))
                .put("assignee_gid", task.assigneeGid())
                .put("due_on", date(task.dueOn()))
                .put("modified_at", date(task.modifiedAt()))
                .put("permalink_url", task.permalinkUrl())
                .put("external_id", task.external() == null ? null : task.external().gid())
                .put("po_number", text(task, names.poNumber()))
                .put("invoice_number", text(task, names.invoiceNumber()))
                .put("custom_fields", customFields)
                .put("created_by_gid", task.createdByGid())
                .put("completed_by_gid", task.completedByGid());
    }

    private static String text(Task task, String nameOrGid) {
        if (nameOrGid == null || nameOrGid.isBlank()) {
            return null;
        }
        return task.customFields().stream().filter(f -> nameOrGid.equals(f.gid()) || nameOrGid.equals(f.name()))
                .findFirst().map(f -> f.textValue() != null ? f.textValue() : f.displayValue()).orElse(null);
    }

    private static Struct customField(CustomFieldValue field) {
        EnumOption option = field.enumValue();
        return new Struct(CUSTOM_FIELD_SCHEMA)
                .put("gid", field.gid())
                .put("name", field.name())
                .put("type", field.type() == null ? null : field.type().wireName())
                .put("enabled", field.enabled())
                .put("display_value", field.displayValue())
                .put("text_value", field.textValue())
                .put("number_value", field.numberValue() == null ? null : field.numberValue().toPlainString())
                .put("enum_value_gid", option == null ? null : option.gid())
                .put("enum_value_name", option == null ? null : option.name())
                .put("multi_enum_value_names", field.multiEnumValues().isEmpty() ? null
                        : field.multiEnumValues().stream().map(EnumOption::name).toList())
                .put("date_value", date(field.dateValue()))
                .put("people_gids", field.peopleGids().isEmpty() ? null : field.peopleGids());
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Date date(LocalDate day) {
        return day == null ? null : Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
