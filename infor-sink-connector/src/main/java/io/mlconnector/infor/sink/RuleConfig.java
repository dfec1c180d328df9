package io.mlconnector.infor.sink;

import io.mlconnector.connect.KeyValueList;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The settings of one writeback rule, given as {@code writeback.rule.<name>.<setting>}. Values may use
 * ${field} templates over the event record, e.g. ${task.po_number} or
 * ${task.custom_fields.Approval.display_value}.
 */
public final class RuleConfig extends AbstractConfig {

    public static final String WHEN = "when";
    public static final String REFERENCE = "reference";
    public static final String ACTION = "action";
    public static final String M3_TRANSACTION = "m3.transaction";
    public static final String M3_FIELDS = "m3.fields";
    public static final String CHECK_TRANSACTION = "check.transaction";
    public static final String CHECK_FIELDS = "check.fields";
    public static final String CHECK_APPLIED = "check.applied";
    public static final String IDO_NAME = "ido.name";
    public static final String IDO_KEY = "ido.key";
    public static final String IDO_PROPERTIES = "ido.properties";

    private static final String GROUP_TRIGGER = "Rule: when";
    private static final String GROUP_M3 = "Rule: M3 transaction";
    private static final String GROUP_IDO = "Rule: SyteLine IDO update";

    public RuleConfig(Map<String, ?> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(WHEN, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Which events the rule acts on: 'completed' (the task was completed), 'changed:<custom "
                                + "field name>' (that field changed), or 'equals:<custom field name>=<value>' (the "
                                + "field now shows that value).",
                        GROUP_TRIGGER, 1, Width.MEDIUM, "When")
                .define(REFERENCE, Type.STRING, "${task.po_number}", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "The CloudSuite record the event is about (the PO or invoice number), for the audit "
                                + "record; an event without it is rejected.",
                        GROUP_TRIGGER, 2, Width.MEDIUM, "Reference")
                .define(ACTION, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.CaseInsensitiveValidString.in("m3", "ido", "audit"), Importance.HIGH,
                        "What the rule does: 'm3' runs an MI transaction, 'ido' updates a SyteLine IDO row, "
                                + "'audit' only records the outcome (no write path).",
                        GROUP_TRIGGER, 3, Width.SHORT, "Action")
                .define(M3_TRANSACTION, Type.STRING, "", Importance.HIGH,
                        "The MI transaction to run, as PROGRAM/Transaction, e.g. CUSEXTMI/AddFieldValue.",
                        GROUP_M3, 1, Width.MEDIUM, "Transaction")
                .define(M3_FIELDS, Type.LIST, "", KeyValueList.VALIDATOR, Importance.HIGH,
                        "Its inputs as FIELD=template, e.g. 'FILE=MPHEAD,PK01=${task.po_number},A030=APPROVED'.",
                        GROUP_M3, 2, Width.LONG, "Inputs")
                .define(CHECK_TRANSACTION, Type.STRING, "", Importance.HIGH,
                        "The read that tells whether the writeback is already applied, e.g. "
                                + "CUSEXTMI/GetFieldValue. Required for Add transactions, which M3 does not make "
                                + "idempotent; an answer that M3 rejects counts as 'not applied'.",
                        GROUP_M3, 3, Width.MEDIUM, "Check transaction")
                .define(CHECK_FIELDS, Type.LIST, "", KeyValueList.VALIDATOR, Importance.MEDIUM,
                        "The check's inputs as FIELD=template.", GROUP_M3, 4, Width.LONG, "Check inputs")
                .define(CHECK_APPLIED, Type.LIST, "", KeyValueList.VALIDATOR, Importance.MEDIUM,
                        "FIELD=template pairs that the check's record shows once the writeback is applied; "
                                + "empty means 'the check found a record'.",
                        GROUP_M3, 5, Width.LONG, "Applied when")
                .define(IDO_NAME, Type.STRING, "", Importance.HIGH, "The IDO to update, e.g. SLPos.",
                        GROUP_IDO, 1, Width.SHORT, "IDO")
                .define(IDO_KEY, Type.LIST, "", KeyValueList.VALIDATOR, Importance.HIGH,
                        "Property=template pairs that find the one row, e.g. 'PoNum=${task.po_number}'.",
                        GROUP_IDO, 2, Width.LONG, "Row key")
                .define(IDO_PROPERTIES, Type.LIST, "", KeyValueList.VALIDATOR, Importance.HIGH,
                        "Property=template pairs to set, e.g. 'Uf_ExtStatus=APPROVED'. A row that already "
                                + "holds them is left alone.",
                        GROUP_IDO, 3, Width.LONG, "Properties");
    }
}
