package io.mlconnector.asana.sink;

import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.CustomFieldCatalog;
import io.mlconnector.asana.CustomFieldType;
import io.mlconnector.asana.CustomFieldValues;
import io.mlconnector.asana.EnumOption;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a record into the task it should become, with every custom field resolved to its GID and type. */
final class TaskMapper {

    private final AsanaSinkConfig config;
    private final EnumOptions enumOptions;
    private final Template name;
    private final Template notes;
    private final Template assignee;
    private final Template key;
    private final String dueDateField;
    private final String statusField;
    private final Set<String> completingStatuses;
    private final Map<String, String> statusSections;
    private final boolean createOptions;
    private final List<Mapping> mappings;
    private final CustomField keyField;
    /** Update mode writes only custom fields, section and completion: the task's other attributes are another sink's. */
    private final boolean fieldsOnly;

    private record Mapping(CustomField field, Template template) {
    }

    TaskMapper(AsanaSinkConfig config, CustomFieldCatalog catalog, EnumOptions enumOptions) {
        this.config = config;
        this.enumOptions = enumOptions;
        this.name = new Template(config.getString(AsanaSinkConfig.NAME_TEMPLATE));
        this.notes = new Template(config.getString(AsanaSinkConfig.NOTES_TEMPLATE));
        this.assignee = new Template(config.getString(AsanaSinkConfig.ASSIGNEE));
        this.dueDateField = config.getString(AsanaSinkConfig.DUE_DATE_FIELD);
        this.statusField = config.getString(AsanaSinkConfig.STATUS_FIELD);
        this.completingStatuses = config.completingStatuses();
        this.statusSections = config.statusSections();
        this.createOptions = config.getBoolean(AsanaSinkConfig.ENUM_AUTO_CREATE);
        this.fieldsOnly = config.writeMode() == AsanaSinkConfig.WriteMode.UPDATE;
        this.mappings = new ArrayList<>();
        for (Map.Entry<String, String> pair : config.customFieldTemplates().entrySet()) {
            mappings.add(new Mapping(resolve(catalog, pair.getKey(), AsanaSinkConfig.CUSTOM_FIELDS),
                    new Template(pair.getValue())));
        }
        if (config.tokenType() == AsanaTokenType.OAUTH) {
            this.key = new Template(config.getString(AsanaSinkConfig.EXTERNAL_ID_TEMPLATE));
            this.keyField = null;
        } else {
            this.key = new Template(config.getString(AsanaSinkConfig.KEY_TEMPLATE));
            this.keyField = resolve(catalog, config.getString(AsanaSinkConfig.KEY_FIELD), AsanaSinkConfig.KEY_FIELD);
            if (keyField.type() != CustomFieldType.TEXT) {
                throw new IllegalArgumentException(AsanaSinkConfig.KEY_FIELD + ": '" + keyField.name()
                        + "' is a " + keyField.type().wireName() + " field; the upsert key needs a text field");
            }
        }
    }

    /** The gids of every custom field the mapping writes, the upsert key field included. */
    java.util.Set<String> fieldGids() {
        java.util.Set<String> gids = new java.util.LinkedHashSet<>();
        if (keyField != null) {
            gids.add(keyField.gid());
        }
        mappings.forEach(m -> gids.add(m.field().gid()));
        return gids;
    }

    /** The custom field holding the upsert key (PAT tokens), or null for OAuth tokens. */
    CustomField keyField() {
        return keyField;
    }

    /** Finds a field by GID or name, failing with a message naming the setting. */
    static CustomField resolve(CustomFieldCatalog catalog, String nameOrGid, String setting) {
        return catalog.byGid(nameOrGid).or(() -> catalog.byName(nameOrGid)).orElseThrow(() ->
                new IllegalArgumentException(setting + ": workspace " + catalog.workspaceGid()
                        + " has no custom field named or numbered '" + nameOrGid + "'"));
    }

    /** Checks that each template can produce its field's type, before any record arrives. */
    static List<String> typeProblems(CustomField field, String template) {
        Template t = new Template(template);
        return switch (field.type()) {
            case TEXT, ENUM -> List.of();
            case NUMBER, DATE -> t.isSingleValue() ? List.of() : List.of("'" + field.name() + "' is a "
                    + field.type().wireName() + " field, so its template must be a single ${field}, not '"
                    + template + "'");
            default -> List.of("'" + field.name() + "' is a " + field.type().wireName()
                    + " field; only text, number, enum and date fields can be mapped");
        };
    }

    /** The record holds every field of the upsert key. */
    boolean hasKey(RecordView record) {
        return !key.render(record).isBlank() && key.paths().stream().noneMatch(p -> isBlank(record.get(p)));
    }

    DesiredTask map(RecordView record) {
        if (!hasKey(record)) {
            throw new MappingException("the record lacks a field of the upsert key '" + key + "'");
        }
        String upsertKey = key.render(record);
        Map<String, DesiredTask.FieldValue> fields = new LinkedHashMap<>();
        if (keyField != null) {
            fields.put(keyField.gid(), new DesiredTask.FieldValue(keyField, upsertKey));
        }
        for (Mapping mapping : mappings) {
            Object value = mapping.template().value(record);
            if (!isBlank(value)) {
                fields.put(mapping.field().gid(), new DesiredTask.FieldValue(mapping.field(),
                        comparable(mapping.field(), value)));
            }
        }
        String taskName = fieldsOnly ? null : name.render(record).strip();
        if (taskName != null && taskName.isEmpty()) {
            throw new MappingException("the task name template '" + name + "' renders empty for this record");
        }
        Object status = statusField.isEmpty() ? null : record.get(statusField);
        String statusText = status == null ? null : Template.format(status);
        String section = statusText == null ? null : statusSections.get(statusText);
        if (section == null) {
            section = config.getString(AsanaSinkConfig.SECTION);
        }
        return new DesiredTask(upsertKey, taskName, fieldsOnly || notes.isEmpty() ? null : notes.render(record),
                fieldsOnly || dueDateField.isEmpty() ? null : date(record.get(dueDateField), dueDateField),
                fieldsOnly || assignee.isEmpty() ? null : blankToNull(assignee.render(record)),
                statusText != null && completingStatuses.contains(statusText),
                blankToNull(section), fields);
    }

    /** The values in the JSON form Asana takes them. */
    static CustomFieldValues toWrite(Iterable<DesiredTask.FieldValue> values) {
        CustomFieldValues.Builder builder = CustomFieldValues.builder();
        for (DesiredTask.FieldValue v : values) {
            switch (v.field().type()) {
                case TEXT -> builder.text(v.field(), (String) v.value());
                case NUMBER -> builder.number(v.field(), (BigDecimal) v.value());
                case ENUM -> builder.enumOption(v.field(), (EnumOption) v.value());
                case DATE -> builder.date(v.field(), (LocalDate) v.value());
                default -> throw new IllegalStateException("unmapped type " + v.field().type());
            }
        }
        return builder.build();
    }

    private Object comparable(CustomField field, Object value) {
        return switch (field.type()) {
            case TEXT -> {
                String text = Template.format(value);
                if (text.length() > CustomFieldValues.MAX_TEXT_LENGTH) {
                    throw new MappingException("value for '" + field.name() + "' is " + text.length()
                            + " characters; Asana's text fields hold " + CustomFieldValues.MAX_TEXT_LENGTH);
                }
                yield text;
            }
            case NUMBER -> number(field, value);
            case ENUM -> enumOptions.option(field, Template.format(value), createOptions);
            case DATE -> date(value, field.name());
            default -> throw new MappingException("'" + field.name() + "' has unsupported type " + field.type());
        };
    }

    private static BigDecimal number(CustomField field, Object value) {
        BigDecimal number;
        if (value instanceof BigDecimal decimal) {
            number = decimal;
        } else if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            number = new BigDecimal(n.toString());
        } else if (value instanceof String text) {
            try {
                number = new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                throw new MappingException("'" + field.name() + "' is a number field but the record holds '"
                        + text + "'");
            }
        } else {
            // binary floating point cannot carry money exactly; the source must send a Decimal or text
            throw new MappingException("'" + field.name() + "' needs an exact number (Decimal, integer or text), "
                    + "not " + value.getClass().getSimpleName());
        }
        int precision = field.precision() == null ? number.scale() : field.precision();
        return number.setScale(Math.max(precision, 0), RoundingMode.HALF_UP);
    }

    private static LocalDate date(Object value, String what) {
        try {
            return Template.date(value);
        } catch (RuntimeException e) {
            throw new MappingException("'" + what + "' holds '" + value + "', which is not a date");
        }
    }

    private static boolean isBlank(Object value) {
        return value == null || value.toString().isBlank();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
