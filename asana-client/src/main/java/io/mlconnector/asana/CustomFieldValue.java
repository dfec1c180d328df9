package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom field's value on a task, as read. Only the member matching {@link #type()} is set;
 * {@link #displayValue()} is Asana's rendering for every type.
 */
public record CustomFieldValue(String gid, String name, CustomFieldType type, boolean enabled, String displayValue,
        String textValue, BigDecimal numberValue, EnumOption enumValue, List<EnumOption> multiEnumValues,
        LocalDate dateValue, OffsetDateTime dateTimeValue, List<String> peopleGids) {

    static final String FIELDS = "name,resource_subtype,type,enabled,display_value,text_value,number_value,"
            + "enum_value.name,enum_value.enabled,multi_enum_values.name,multi_enum_values.enabled,date_value,"
            + "people_value.name";

    static CustomFieldValue from(JsonNode node) {
        String subtype = JsonFields.text(node, "resource_subtype");
        List<EnumOption> multi = new ArrayList<>();
        node.path("multi_enum_values").forEach(o -> multi.add(EnumOption.from(o)));
        List<String> people = new ArrayList<>();
        node.path("people_value").forEach(p -> people.add(p.path("gid").asText()));
        JsonNode date = node.path("date_value");
        String dateTime = date.isObject() ? JsonFields.text(date, "date_time") : null;
        return new CustomFieldValue(node.path("gid").asText(), JsonFields.text(node, "name"),
                CustomFieldType.of(subtype != null ? subtype : JsonFields.text(node, "type")),
                node.path("enabled").asBoolean(true), JsonFields.text(node, "display_value"), JsonFields.text(node, "text_value"),
                node.hasNonNull("number_value") ? node.get("number_value").decimalValue() : null,
                EnumOption.from(node.get("enum_value")), List.copyOf(multi),
                date.isObject() ? JsonFields.date(date, "date") : null,
                dateTime == null ? null : OffsetDateTime.parse(dateTime), List.copyOf(people));
    }
}
