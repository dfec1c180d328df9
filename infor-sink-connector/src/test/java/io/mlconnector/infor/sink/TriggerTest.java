package io.mlconnector.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.connect.RecordView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class TriggerTest {

    private static RecordView event(String action, String origin, String changedField, String changeValueGid,
            boolean completed, String approval) {
        Map<String, Object> task = Map.of("completed", completed, "custom_fields", List.of(
                Map.of("gid", "777", "name", "Approval", "display_value", approval)));
        Map<String, Object> value = new HashMap<>();
        value.put("action", action);
        value.put("origin", origin);
        value.put("changed_field", changedField);
        value.put("change_value_gid", changeValueGid);
        value.put("task", task);
        return new RecordView(new SinkRecord("asana.task-events", 0, null, "1", null, value, 0));
    }

    @Test
    void completedMatchesTheCompletionOnly() {
        Trigger completed = Trigger.parse("when", "completed");
        assertTrue(completed.matches(event("changed", "webhook", "completed", null, true, "Pending")));
        assertTrue(completed.matches(event("changed", "reconcile", null, null, true, "Pending")), "missed, then reconciled");
        assertFalse(completed.matches(event("changed", "webhook", "completed", null, false, "Pending")), "un-completed");
        assertFalse(completed.matches(event("added", "webhook", null, null, true, "Pending")), "created complete");
        assertFalse(completed.matches(event("changed", "webhook", "name", null, true, "Pending")), "renamed later");
    }

    @Test
    void changedMatchesTheNamedFieldByItsGid() {
        Trigger changed = Trigger.parse("when", "changed:Approval");
        assertTrue(changed.matches(event("changed", "webhook", "custom_fields", "777", false, "Approved")));
        assertFalse(changed.matches(event("changed", "webhook", "custom_fields", "778", false, "Approved")));
    }

    @Test
    void equalsMatchesTheFieldsValue() {
        Trigger rejected = Trigger.parse("when", "equals:Approval=Rejected");
        assertTrue(rejected.matches(event("changed", "webhook", "custom_fields", "777", false, "Rejected")));
        assertFalse(rejected.matches(event("changed", "webhook", "custom_fields", "777", false, "Approved")));
    }

    @Test
    void aMalformedWhenNamesTheSetting() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Trigger.parse("writeback.rule.x.when", "done"));
        assertTrue(e.getMessage().contains("writeback.rule.x.when"), e.getMessage());
        assertEquals(Trigger.Completed.class, Trigger.parse("w", "completed").getClass());
    }
}
