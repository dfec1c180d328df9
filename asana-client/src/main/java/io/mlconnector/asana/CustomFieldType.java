package io.mlconnector.asana;

/** A custom field's {@code resource_subtype}; decides the JSON a value is written as. */
public enum CustomFieldType {
    TEXT("text"), NUMBER("number"), ENUM("enum"), MULTI_ENUM("multi_enum"), DATE("date"), PEOPLE("people"),
    REFERENCE("reference"), UNKNOWN("");

    private final String wireName;

    CustomFieldType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static CustomFieldType of(String wireName) {
        for (CustomFieldType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
