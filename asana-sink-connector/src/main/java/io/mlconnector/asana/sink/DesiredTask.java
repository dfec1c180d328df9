package io.mlconnector.asana.sink;

import io.mlconnector.asana.CustomField;
import java.time.LocalDate;
import java.util.Map;

/**
 * What a record says its task should look like. Null members are left as they are in Asana.
 *
 * @param key          the upsert key (the external id for OAuth tokens)
 * @param name         the task's name; null only in update mode, which never names a task
 * @param customFields values by field gid: String (text), BigDecimal (number), EnumOption (enum), LocalDate (date)
 */
record DesiredTask(String key, String name, String notes, LocalDate dueOn, String assignee, boolean complete,
        String sectionGid, Map<String, FieldValue> customFields) {

    /** One custom field's value as it is written and as it compares with what Asana holds. */
    record FieldValue(CustomField field, Object value) {
    }
}
