package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;

/** A custom field attached to a project; only attached fields can hold values on the project's tasks. */
public record CustomFieldSetting(String gid, boolean important, CustomField customField) {
    static final String FIELDS = "is_important," + prefixed("custom_field.", CustomField.FIELDS);

    static CustomFieldSetting from(JsonNode node) {
        return new CustomFieldSetting(node.path("gid").asText(), node.path("is_important").asBoolean(false),
                CustomField.from(node.path("custom_field")));
    }

    static String prefixed(String prefix, String fields) {
        return prefix + String.join("," + prefix, fields.split(","));
    }
}
