package io.mlconnector.it.infor.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Task events as the Asana webhook source writes them through the worker's JsonConverter: the
 * io.mlconnector.asana.TaskEvent fields the Infor sink reads, keyed by task GID.
 */
final class TaskEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The approver the examples' approvers.properties names in these tests. */
    static final String APPROVER = "1200000000000042";
    /** The Asana user of the connectors' token, as the task ledger records it. */
    static final String CONNECTOR_USER = "1200000000000001";
    /** A project member who is no approver. */
    static final String MEMBER = "1200000000000099";

    private TaskEvents() {
    }

    /** The reviewer completed the task of this PO. */
    static Map.Entry<String, String> completed(String eventId, String taskGid, String poNumber) {
        return completedBy(APPROVER, eventId, taskGid, poNumber);
    }

    /** This user completed the task; its PO number field shows {@code poNumber} (which anyone may retype). */
    static Map.Entry<String, String> completedBy(String userGid, String eventId, String taskGid, String poNumber) {
        return event(eventId, taskGid, "completed", null, true, poNumber, "Pending", userGid);
    }

    /**
     * The task ledger's entry for a task the Asana sink made for this PO of this company, as it writes it:
     * keyed by project and upsert key, the value naming the record.
     */
    static Map.Entry<String, String> ledgerEntry(String taskGid, String company, String poNumber) {
        return ledgerEntry(taskGid, company, "purchase-orders", poNumber);
    }

    /** The ledger's entry for a task of a record of this entity, e.g. a supplier invoice. */
    static Map.Entry<String, String> ledgerEntry(String taskGid, String company, String entity, String number) {
        String poNumber = number;
        ObjectNode value = JSON.createObjectNode().put("version", 1).put("project_gid", "1200000000000500")
                .put("upsert_key", company + "-" + entity + "-" + poNumber).put("task_gid", taskGid)
                .put("connector_user_gid", CONNECTOR_USER).putNull("assignee_gid")
                .put("written_at", java.time.Instant.now().toString());
        value.putObject("record").put("backend", "m3").put("tenant", "ACME_TST").put("company", company)
                .putNull("division").put("entity", entity).put("number", poNumber);
        value.putObject("written");
        return Map.entry("1200000000000500|" + company + "-" + entity + "-" + poNumber, value.toString());
    }

    /** The reviewer set the Approval field to Rejected. */
    static Map.Entry<String, String> rejected(String eventId, String taskGid, String poNumber) {
        return event(eventId, taskGid, "custom_fields", "1200000000000777", false, poNumber, "Rejected", APPROVER);
    }

    /** Someone renamed the task: no rule acts on it. */
    static Map.Entry<String, String> renamed(String eventId, String taskGid, String poNumber) {
        return event(eventId, taskGid, "name", null, false, poNumber, "Pending", APPROVER);
    }

    private static Map.Entry<String, String> event(String eventId, String taskGid, String changedField,
            String changeValueGid, boolean completed, String poNumber, String approval, String userGid) {
        ObjectNode field = JSON.createObjectNode().put("type", "struct").put("optional", false);
        ArrayNode fieldFields = field.putArray("fields");
        fieldFields.addObject().put("field", "gid").put("type", "string").put("optional", false);
        fieldFields.addObject().put("field", "name").put("type", "string").put("optional", true);
        fieldFields.addObject().put("field", "display_value").put("type", "string").put("optional", true);

        ObjectNode task = JSON.createObjectNode().put("type", "struct").put("optional", true).put("field", "task");
        ArrayNode taskFields = task.putArray("fields");
        taskFields.addObject().put("field", "completed").put("type", "boolean").put("optional", false);
        taskFields.addObject().put("field", "po_number").put("type", "string").put("optional", true);
        ObjectNode customFields = taskFields.addObject().put("field", "custom_fields").put("type", "array")
                .put("optional", false);
        customFields.set("items", field);

        ObjectNode schema = JSON.createObjectNode().put("type", "struct").put("name", "io.mlconnector.asana.TaskEvent")
                .put("optional", false);
        ArrayNode fields = schema.putArray("fields");
        fields.addObject().put("field", "event_id").put("type", "string").put("optional", false);
        fields.addObject().put("field", "origin").put("type", "string").put("optional", false);
        fields.addObject().put("field", "action").put("type", "string").put("optional", false);
        fields.addObject().put("field", "task_gid").put("type", "string").put("optional", false);
        fields.addObject().put("field", "changed_field").put("type", "string").put("optional", true);
        fields.addObject().put("field", "change_value_gid").put("type", "string").put("optional", true);
        fields.addObject().put("field", "user_gid").put("type", "string").put("optional", true);
        fields.addObject().put("field", "created_at").put("type", "int64").put("optional", true)
                .put("name", "org.apache.kafka.connect.data.Timestamp").put("version", 1);
        fields.add(task);

        ObjectNode payload = JSON.createObjectNode().put("event_id", eventId).put("origin", "webhook")
                .put("action", "changed").put("task_gid", taskGid).put("changed_field", changedField)
                .put("change_value_gid", changeValueGid).put("user_gid", userGid)
                .put("created_at", System.currentTimeMillis());
        ObjectNode taskValue = payload.putObject("task").put("completed", completed).put("po_number", poNumber);
        ArrayNode values = taskValue.putArray("custom_fields");
        values.addObject().put("gid", "1200000000000776").put("name", "PO number").put("display_value", poNumber);
        values.addObject().put("gid", "1200000000000777").put("name", "Approval").put("display_value", approval);

        ObjectNode value = JSON.createObjectNode();
        value.set("schema", schema);
        value.set("payload", payload);
        ObjectNode key = JSON.createObjectNode();
        key.putObject("schema").put("type", "string").put("optional", false);
        key.put("payload", taskGid);
        return Map.entry(key.toString(), value.toString());
    }
}
