package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A custom field definition. {@code precision} matters for numbers (0-6 decimals); enum options
 * include disabled ones, which still count against the cap of {@value #MAX_ENUM_OPTIONS}.
 */
public record CustomField(String gid, String name, CustomFieldType type, Integer precision, String format,
        String currencyCode, List<EnumOption> enumOptions) {

    public static final int MAX_ENUM_OPTIONS = 500;
    static final String FIELDS = "name,resource_subtype,type,precision,format,currency_code,"
            + "enum_options.name,enum_options.enabled,enum_options.color";

    public CustomField {
        enumOptions = List.copyOf(enumOptions);
    }

    /** The enabled option with this exact name. */
    public Optional<EnumOption> option(String optionName) {
        return enumOptions.stream().filter(o -> o.enabled() && o.name().equals(optionName)).findFirst();
    }

    static CustomField from(JsonNode node) {
        String subtype = JsonFields.text(node, "resource_subtype");
        List<EnumOption> options = new ArrayList<>();
        node.path("enum_options").forEach(o -> options.add(EnumOption.from(o)));
        return new CustomField(node.path("gid").asText(), JsonFields.text(node, "name"),
                CustomFieldType.of(subtype != null ? subtype : JsonFields.text(node, "type")),
                node.hasNonNull("precision") ? node.get("precision").asInt() : null, JsonFields.text(node, "format"),
                JsonFields.text(node, "currency_code"), options);
    }
}
