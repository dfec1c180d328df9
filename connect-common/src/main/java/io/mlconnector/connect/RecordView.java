package io.mlconnector.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads fields of a record by dotted path, from a Struct with schema or a schemaless map alike.
 * {@code key.x} reads the key; any other path reads the value. In a list of items that have a
 * {@code name}, a step picks the item of that name: {@code task.custom_fields.Approval.display_value}.
 */
public final class RecordView {

    private final SinkRecord record;
    private final Map<String, Object> roots;

    public RecordView(SinkRecord record) {
        this(record, Map.of());
    }

    private RecordView(SinkRecord record, Map<String, Object> roots) {
        this.record = record;
        this.roots = roots;
    }

    /**
     * This view with one more top-level name, e.g. {@code record} for the CloudSuite record a task
     * stands for: {@code record.number} then reads {@code values}, whatever the record's value holds there.
     */
    public RecordView with(String root, Map<String, ?> values) {
        Map<String, Object> more = new java.util.HashMap<>(roots);
        more.put(root, Map.copyOf(values.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        return new RecordView(record, more);
    }

    public SinkRecord record() {
        return record;
    }

    /** The value at the path, or null when any step is missing or null. */
    public Object get(String path) {
        Object current = record.value();
        String rest = path;
        int dot = path.indexOf('.');
        if (dot > 0 && roots.containsKey(path.substring(0, dot))) {
            current = roots.get(path.substring(0, dot));
            rest = path.substring(dot + 1);
        } else if (path.startsWith("key.")) {
            current = record.key();
            rest = path.substring(4);
        }
        for (String step : rest.split("\\.")) {
            current = child(current, step);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static Object child(Object parent, String name) {
        if (parent instanceof Struct struct) {
            Field field = struct.schema().field(name);
            return field == null ? null : struct.get(field);
        }
        if (parent instanceof Map<?, ?> map) {
            return map.get(name);
        }
        if (parent instanceof List<?> list) {
            // a list of named items (e.g. a task's custom fields) is reached by item name
            return list.stream().filter(item -> name.equals(child(item, "name"))).findFirst().orElse(null);
        }
        return null;
    }
}
