package io.mlconnector.asana.sink;

import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads fields of a record by dotted path, from a Struct with schema or a schemaless map alike.
 * {@code key.x} reads the key; any other path reads the value.
 */
final class RecordView {

    private final SinkRecord record;

    RecordView(SinkRecord record) {
        this.record = record;
    }

    SinkRecord record() {
        return record;
    }

    /** The value at the path, or null when any step is missing or null. */
    Object get(String path) {
        Object current = record.value();
        String rest = path;
        if (path.startsWith("key.")) {
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
        return null;
    }
}
