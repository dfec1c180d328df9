package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Paths over a record as the sinks use them: templates over CloudSuite records ({@code ${supplier.name}},
 * {@code ${key.company}}) and triggers over Asana task events ({@code task.custom_fields.Approval.display_value}).
 */
class RecordViewTest {

    private static final Schema CUSTOM_FIELD = SchemaBuilder.struct().name("CustomField")
            .field("gid", Schema.STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("display_value", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema TASK = SchemaBuilder.struct().name("Task").optional()
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("completed", Schema.BOOLEAN_SCHEMA)
            .field("completed_by_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("custom_fields", SchemaBuilder.array(CUSTOM_FIELD).build())
            .build();
    private static final Schema EVENT = SchemaBuilder.struct().name("TaskEvent")
            .field("action", Schema.STRING_SCHEMA)
            .field("user_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("key", Schema.OPTIONAL_STRING_SCHEMA)
            .field("task", TASK)
            .build();
    private static final Schema KEY = SchemaBuilder.struct().name("Key")
            .field("company", Schema.STRING_SCHEMA)
            .field("number", Schema.STRING_SCHEMA)
            .build();

    private static Struct task(String completedBy) {
        return new Struct(TASK).put("name", "PO 4000000001").put("completed", true).put("completed_by_gid", completedBy)
                .put("custom_fields", List.of(
                        new Struct(CUSTOM_FIELD).put("gid", "501").put("name", "Approval").put("display_value", "Approved"),
                        new Struct(CUSTOM_FIELD).put("gid", "502").put("name", "PO number").put("display_value", null)));
    }

    private static RecordView structEvent() {
        Struct value = new Struct(EVENT).put("action", "changed").put("user_gid", null).put("key", "in-the-value")
                .put("task", task("7001"));
        Struct key = new Struct(KEY).put("company", "100").put("number", "4000000001");
        return new RecordView(new SinkRecord("asana.task-events", 0, KEY, key, EVENT, value, 3));
    }

    private static RecordView mapEvent() {
        Map<String, Object> approval = new HashMap<>();
        approval.put("gid", "501");
        approval.put("name", "Approval");
        approval.put("display_value", "Approved");
        Map<String, Object> task = new HashMap<>();
        task.put("completed", true);
        task.put("completed_by_gid", null);
        task.put("custom_fields", List.of(Map.of("gid", "500", "name", "Amount"), approval));
        Map<String, Object> value = new HashMap<>();
        value.put("action", "changed");
        value.put("task", task);
        return new RecordView(new SinkRecord("asana.task-events", 0, null, Map.of("company", "100"), null, value, 3));
    }

    @Test
    void readsTopLevelAndNestedFieldsOfAStructValue() {
        RecordView event = structEvent();
        assertEquals("changed", event.get("action"));
        assertEquals(true, event.get("task.completed"));
        assertEquals("7001", event.get("task.completed_by_gid"));
    }

    @Test
    void readsTheSamePathsFromASchemalessMapValue() {
        RecordView event = mapEvent();
        assertEquals("changed", event.get("action"));
        assertEquals(true, event.get("task.completed"));
        assertEquals("Approved", event.get("task.custom_fields.Approval.display_value"));
    }

    @Test
    void keyPathsReadTheRecordKeyNotTheValue() {
        assertEquals("100", structEvent().get("key.company"));
        assertEquals("4000000001", structEvent().get("key.number"));
        assertEquals("100", mapEvent().get("key.company"), "a schemaless key too");
        assertEquals("in-the-value", structEvent().get("key"), "without a dot, 'key' is a value field like any other");
    }

    @Test
    void aListOfNamedItemsIsSteppedIntoByItemName() {
        RecordView event = structEvent();
        assertEquals("501", event.get("task.custom_fields.Approval.gid"));
        assertEquals("Approved", event.get("task.custom_fields.Approval.display_value"));
        assertEquals("502", event.get("task.custom_fields.PO number.gid"), "names may hold spaces");
        assertNull(event.get("task.custom_fields.Currency.gid"), "no item of that name");
    }

    @Test
    void missingOrNullStepsGiveNullNotAnException() {
        RecordView struct = structEvent();
        assertNull(struct.get("nope"), "a field the schema does not have");
        assertNull(struct.get("task.nope.deeper"));
        assertNull(struct.get("user_gid"), "a field that is null");
        assertNull(struct.get("user_gid.gid"), "a step past a null");
        assertNull(struct.get("action.length"), "a step into a plain value");
        assertNull(struct.get("task.custom_fields.PO number.display_value"), "an item's null field");
        assertNull(struct.get("key.nope"));

        RecordView map = mapEvent();
        assertNull(map.get("nope"));
        assertNull(map.get("task.completed_by_gid"));
        assertNull(map.get("task.nope.deeper"));

        RecordView tombstone = new RecordView(new SinkRecord("t", 0, null, null, null, null, 0));
        assertNull(tombstone.get("action"), "a record without a value");
        assertNull(tombstone.get("key.company"), "a record without a key");

        Struct withoutTask = new Struct(EVENT).put("action", "added");
        assertNull(new RecordView(new SinkRecord("t", 0, null, null, EVENT, withoutTask, 0)).get("task.completed"),
                "an optional struct that is absent");
    }

    @Test
    void anAddedRootIsReadInsteadOfTheValueAndLeavesTheOriginalViewAlone() {
        RecordView event = structEvent();
        Map<String, Object> cloudSuite = new HashMap<>();
        cloudSuite.put("number", "4000000001");
        cloudSuite.put("status", "20");
        cloudSuite.put("buyer", null);
        RecordView withRecord = event.with("record", cloudSuite);

        assertEquals("20", withRecord.get("record.status"));
        assertNull(withRecord.get("record.buyer"), "null values are dropped, not a failure");
        assertNull(withRecord.get("record.nope"));
        assertEquals("changed", withRecord.get("action"), "other paths still read the value");
        assertEquals("Approved", withRecord.get("task.custom_fields.Approval.display_value"));
        assertNull(event.get("record.status"), "the view it was made from is unchanged");
        assertSame(event.record(), withRecord.record());

        RecordView both = withRecord.with("state", Map.of("status", "30"));
        assertEquals("30", both.get("state.status"));
        assertEquals("20", both.get("record.status"), "roots add up");

        cloudSuite.put("status", "99");
        assertEquals("20", withRecord.get("record.status"), "the root is a copy, taken when added");
    }

    @Test
    void anAddedRootShadowsAValueFieldOfTheSameName() {
        RecordView shadowed = structEvent().with("task", Map.of("completed", false));
        assertEquals(false, shadowed.get("task.completed"));
        assertNull(shadowed.get("task.completed_by_gid"));
    }
}
