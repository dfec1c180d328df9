package io.mlconnector.asana.sink;

import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.KeyValueList;
import io.mlconnector.connect.ledger.TaskLedger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the Asana sink connector. */
public final class AsanaSinkConfig extends AbstractConfig {

    public static final String TOKEN_TYPE = ConnectionSettings.ASANA_TOKEN_TYPE;
    public static final String BASE_URL = ConnectionSettings.ASANA_BASE_URL;
    public static final String WORKSPACE = "asana.workspace.gid";
    public static final String PROJECT = "asana.project.gid";
    public static final String RATE_LIMIT = ConnectionSettings.ASANA_RATE_LIMIT;
    public static final String CONCURRENCY = "asana.request.concurrency";

    public static final String NAME_TEMPLATE = "task.name.template";
    public static final String NOTES_TEMPLATE = "task.notes.template";
    public static final String DUE_DATE_FIELD = "task.due.date.field";
    public static final String ASSIGNEE = "task.assignee";
    public static final String SECTION = "task.section";
    public static final String CUSTOM_FIELDS = "custom.fields";

    public static final String WRITE_MODE = "write.mode";
    public static final String KEY_FIELD = "upsert.key.custom.field";
    public static final String KEY_TEMPLATE = "upsert.key.template";
    public static final String EXTERNAL_ID_TEMPLATE = "upsert.external.id.template";

    public static final String STATUS_FIELD = "status.field";
    public static final String STATUS_COMPLETE = "status.complete.values";
    public static final String STATUS_SECTIONS = "status.sections";

    public static final String ENUM_AUTO_CREATE = "enum.auto.create";
    public static final String ENUM_SEED_TOPICS = "enum.seed.topics";
    public static final String ENUM_SEED_TEMPLATE = "enum.seed.option.template";

    public static final String RETRY_BACKOFF = "retry.backoff.ms";

    private static final String GROUP_MAPPING = "Task mapping";
    private static final String GROUP_UPSERT = "Upsert";
    private static final String GROUP_STATUS = "Status";
    private static final String GROUP_ENUMS = "Enum options";
    private static final String GROUP_DELIVERY = "Delivery";

    public AsanaSinkConfig(Map<String, String> props) {
        super(configDef(), props);
        ConnectionSettings.asanaGrant(this);
        if (tokenType() == AsanaTokenType.PAT && getString(KEY_FIELD).isBlank()) {
            throw new ConfigException(KEY_FIELD, "", "a PAT cannot set Asana's external id, so name the text "
                    + "custom field that holds each task's upsert key");
        }
    }

    public static ConfigDef configDef() {
        int asana = 2;
        int mapping = 0;
        int upsert = 0;
        int status = 0;
        int enums = 0;
        int delivery = 0;
        return TaskLedger.define(ConnectionSettings.defineAsana(new ConfigDef()))
                .define(WORKSPACE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "GID of the workspace whose custom fields the tasks carry.",
                        ConnectionSettings.GROUP_ASANA, ++asana, Width.MEDIUM, "Workspace GID")
                .define(PROJECT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "GID of the project the tasks belong to; one project per connector.",
                        ConnectionSettings.GROUP_ASANA, ++asana, Width.MEDIUM, "Project GID")
                .define(CONCURRENCY, Type.INT, 15, ConfigDef.Range.between(1, 50), Importance.LOW,
                        "Tasks written at the same time, each for a different record key. Asana allows 15 "
                                + "concurrent writes per token.",
                        ConnectionSettings.GROUP_ASANA, ++asana, Width.SHORT, "Concurrent requests")

                .define(NAME_TEMPLATE, Type.STRING, "${number} · ${supplier_name} · ${amount} ${currency}",
                        new ConfigDef.NonEmptyString(), Importance.HIGH, "Task name. ${field} is replaced by the "
                                + "record value's field (dots reach into nested structs); ${key.field} by the key's.",
                        GROUP_MAPPING, ++mapping, Width.LONG, "Name template")
                .define(NOTES_TEMPLATE, Type.STRING, "", Importance.MEDIUM,
                        "Task description, templated like the name; empty leaves notes alone.",
                        GROUP_MAPPING, ++mapping, Width.LONG, "Notes template")
                .define(DUE_DATE_FIELD, Type.STRING, "", Importance.MEDIUM,
                        "Record field with the task's due date (a Connect Date or Timestamp, or yyyy-MM-dd text); "
                                + "empty sets no due date.",
                        GROUP_MAPPING, ++mapping, Width.MEDIUM, "Due date field")
                .define(ASSIGNEE, Type.STRING, "", Importance.MEDIUM,
                        "Assignee: a user GID or email, or ${field} for a record field holding the user's email. "
                                + "Empty leaves tasks unassigned.",
                        GROUP_MAPPING, ++mapping, Width.MEDIUM, "Assignee")
                .define(SECTION, Type.STRING, "", Importance.LOW,
                        "GID of the project section new tasks go into; empty uses the project's first section.",
                        GROUP_MAPPING, ++mapping, Width.MEDIUM, "Section")
                .define(CUSTOM_FIELDS, Type.LIST, "", KeyValueList.VALIDATOR, Importance.HIGH,
                        "Custom fields to write, as 'field=template' pairs, the field given by name or GID, "
                                + "e.g. 'PO number=${number},Amount=${amount},Supplier=${supplier_name}'. A template "
                                + "that is a single ${field} keeps the value's type (exact decimals for numbers).",
                        GROUP_MAPPING, ++mapping, Width.LONG, "Custom fields")

                .define(WRITE_MODE, Type.STRING, WriteMode.UPSERT.id, ConfigDef.ValidString.in(WriteMode.UPSERT.id,
                        WriteMode.UPDATE.id), Importance.MEDIUM,
                        "'upsert' makes one task per upsert key and keeps it in line with its record. 'update' only "
                                + "changes tasks the task ledger already holds, e.g. a payment's status on the task "
                                + "another sink made for its invoice: it writes the custom fields, section and "
                                + "completion, never a task's name, notes, due date or assignee, and skips (and "
                                + "counts) a record whose task does not exist.",
                        GROUP_UPSERT, ++upsert, Width.SHORT, "Write mode")
                .define(KEY_FIELD, Type.STRING, "", Importance.HIGH,
                        "Text custom field (name or GID) holding each task's upsert key; required with a PAT. "
                                + "The project's tasks are indexed by it at start.",
                        GROUP_UPSERT, ++upsert, Width.MEDIUM, "Upsert key field")
                .define(KEY_TEMPLATE, Type.STRING, "${key.company}-${key.number}", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "The upsert key written to the upsert key field; unique per project.",
                        GROUP_UPSERT, ++upsert, Width.MEDIUM, "Upsert key template")
                .define(EXTERNAL_ID_TEMPLATE, Type.STRING, "infor:${key.tenant}:${key.company}:${key.entity}:${key.number}",
                        new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Asana external id of each task when the token is OAuth.",
                        GROUP_UPSERT, ++upsert, Width.LONG, "External id template")

                .define(STATUS_FIELD, Type.STRING, "status", Importance.LOW,
                        "Record field with the CloudSuite status.", GROUP_STATUS, ++status, Width.SHORT, "Status field")
                .define(STATUS_COMPLETE, Type.LIST, "", Importance.MEDIUM,
                        "Statuses that complete the task, e.g. '85,99'. Tasks are never un-completed.",
                        GROUP_STATUS, ++status, Width.MEDIUM, "Completing statuses")
                .define(STATUS_SECTIONS, Type.LIST, "", KeyValueList.VALIDATOR, Importance.LOW,
                        "'status=section GID' pairs moving a task into a section, e.g. '99=1207000000000012'.",
                        GROUP_STATUS, ++status, Width.LONG, "Sections by status")

                .define(ENUM_AUTO_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Create a missing enum option when a record needs it; when false such a record goes to "
                                + "the dead letter queue.",
                        GROUP_ENUMS, ++enums, Width.SHORT, "Create enum options")
                .define(ENUM_SEED_TOPICS, Type.LIST, "", KeyValueList.VALIDATOR, Importance.MEDIUM,
                        "'topic=custom field' pairs: each record of the topic (suppliers, GL accounts) adds its "
                                + "option to the enum field. List these topics in 'topics' too.",
                        GROUP_ENUMS, ++enums, Width.LONG, "Seeding topics")
                .define(ENUM_SEED_TEMPLATE, Type.STRING, "${name}", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Option name made from a reference record; must match what the task mapping writes.",
                        GROUP_ENUMS, ++enums, Width.MEDIUM, "Seeded option template")

                .define(RETRY_BACKOFF, Type.LONG, 1000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Wait before Connect redelivers a batch that met a transient Asana failure (5xx, timeout).",
                        GROUP_DELIVERY, ++delivery, Width.SHORT, "Retry backoff");
    }

    /** How records reach tasks: see {@value #WRITE_MODE}. */
    public enum WriteMode {
        UPSERT("upsert"), UPDATE("update");

        final String id;

        WriteMode(String id) {
            this.id = id;
        }
    }

    public WriteMode writeMode() {
        return WriteMode.UPDATE.id.equals(getString(WRITE_MODE)) ? WriteMode.UPDATE : WriteMode.UPSERT;
    }

    public AsanaTokenType tokenType() {
        return AsanaTokenType.parse(getString(TOKEN_TYPE));
    }

    /** {@value #CUSTOM_FIELDS} as field → template, in the order given. */
    public Map<String, String> customFieldTemplates() {
        return pairs(CUSTOM_FIELDS);
    }

    /** {@value #ENUM_SEED_TOPICS} as topic → custom field. */
    public Map<String, String> seedTopics() {
        return pairs(ENUM_SEED_TOPICS);
    }

    /** {@value #STATUS_SECTIONS} as status → section gid. */
    public Map<String, String> statusSections() {
        return pairs(STATUS_SECTIONS);
    }

    public Set<String> completingStatuses() {
        return Set.copyOf(getList(STATUS_COMPLETE));
    }

    private Map<String, String> pairs(String name) {
        return KeyValueList.parse(getList(name));
    }
}
