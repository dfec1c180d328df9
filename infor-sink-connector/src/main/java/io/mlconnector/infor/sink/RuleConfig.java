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
 * ${field} templates over the event record, e.g. ${user_gid} or
 * ${task.custom_fields.Approval.display_value}, and over the CloudSuite record the task ledger ties the task
 * to: ${record.number}, ${record.company}, ${record.division}.
 */
public final class RuleConfig extends AbstractConfig {

    public static final String WHEN = "when";
    public static final String REFERENCE = "reference";
    public static final String ENTITY = "entity";
    public static final String ACTION = "action";
    public static final String M3_TRANSACTION = "m3.transaction";
    public static final String M3_FIELDS = "m3.fields";
    public static final String CHECK_TRANSACTION = "check.transaction";
    public static final String CHECK_FIELDS = "check.fields";
    public static final String CHECK_APPLIED = "check.applied";
    public static final String STATE_TRANSACTION = "state.transaction";
    public static final String STATE_FIELDS = "state.fields";
    public static final String STATE_ALLOWED = "state.allowed";
    public static final String STATE_OTHERWISE = "state.otherwise";
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
                .define(REFERENCE, Type.STRING, "${record.number}", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "The CloudSuite record the event is about, for the audit record. ${record.*} (backend, "
                                + "tenant, company, division, entity, number) is the record the task ledger ties the "
                                + "task to; templates that name a record may not read ${task.*}, which any project "
                                + "member can edit.",
                        GROUP_TRIGGER, 2, Width.MEDIUM, "Reference")
                .define(ENTITY, Type.STRING, "", Importance.MEDIUM,
                        "The CloudSuite entity whose tasks the rule acts on, e.g. 'purchase-orders' or "
                                + "'supplier-invoices', as the task ledger records the task's record; empty acts on any.",
                        GROUP_TRIGGER, 4, Width.SHORT, "Entity")
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
                .define(STATE_TRANSACTION, Type.STRING, "", Importance.HIGH,
                        "M3: the read that shows the record's current state before anything is written, e.g. "
                                + "PPS001MI/GetHeadBasic for a PO (its PUSL/PUST statuses). A record it does not find "
                                + "is REJECTED with M3's message. Empty skips the state check.",
                        GROUP_M3, 6, Width.MEDIUM, "State transaction")
                .define(STATE_FIELDS, Type.LIST, "", KeyValueList.VALIDATOR, Importance.MEDIUM,
                        "The state read's inputs as FIELD=template, e.g. 'PUNO=${record.number}'. The record it "
                                + "answers is ${state.FIELD} in the check and the transaction, e.g. "
                                + "'SUNO=${state.SUNO},INYR=${state.IVDT|year}'.",
                        GROUP_M3, 7, Width.LONG, "State inputs")
                .define(STATE_ALLOWED, Type.LIST, "", KeyValueList.VALIDATOR, Importance.HIGH,
                        "The states in which the rule may write, as FIELD=values pairs over the state read's "
                                + "record (M3) or the IDO row (SyteLine): a list 'Stat=O|P' or an inclusive range "
                                + "'PUST=05..80'. A record in another state is REJECTED with the reason. Empty "
                                + "allows any state.",
                        GROUP_M3, 8, Width.LONG, "Allowed states")
                .define(STATE_OTHERWISE, Type.STRING, "reject", ConfigDef.ValidString.in("reject", "next-rule"),
                        Importance.MEDIUM, "A record in another state than state.allowed: 'reject' audits the event "
                                + "REJECTED with the reason; 'next-rule' leaves it to the next rule that matches the "
                                + "event (e.g. a second rule for invoices already in the AP ledger), and audits it "
                                + "REJECTED only when no rule is left.",
                        GROUP_M3, 9, Width.SHORT, "Otherwise")
                .define(IDO_NAME, Type.STRING, "", Importance.HIGH, "The IDO to update, e.g. SLPos.",
                        GROUP_IDO, 1, Width.SHORT, "IDO")
                .define(IDO_KEY, Type.LIST, "", KeyValueList.VALIDATOR, Importance.HIGH,
                        "Property=template pairs that find the one row, e.g. 'PoNum=${record.number}'. The row is "
                                + "read in the record's own site (${record.company}).",
                        GROUP_IDO, 2, Width.LONG, "Row key")
                .define(IDO_PROPERTIES, Type.LIST, "", KeyValueList.VALIDATOR, Importance.HIGH,
                        "Property=template pairs to set, e.g. 'Uf_ExtStatus=APPROVED'. A row that already "
                                + "holds them is left alone.",
                        GROUP_IDO, 3, Width.LONG, "Properties");
    }
}
