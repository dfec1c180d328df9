package io.mlconnector.infor.sink;

import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import io.mlconnector.infor.IonClient;
import java.util.Locale;

/** One named rule: when it applies, which CloudSuite record it concerns, and what it writes. */
final class WritebackRule {

    private final String name;
    private final RuleConfig config;
    private final Trigger trigger;
    private final Template reference;
    private final String entity;

    private WritebackRule(String name, RuleConfig config) {
        this.name = name;
        this.config = config;
        this.trigger = Trigger.parse(setting(name, RuleConfig.WHEN), config.getString(RuleConfig.WHEN));
        this.reference = new Template(config.getString(RuleConfig.REFERENCE));
        this.entity = config.getString(RuleConfig.ENTITY).strip();
    }

    static WritebackRule parse(String name, RuleConfig config) {
        WritebackRule rule = new WritebackRule(name, config);
        refuseTaskFieldsAsIdentity(name, config);
        switch (rule.actionType()) {
            case "m3" -> M3Writeback.check(name, config);
            case "ido" -> IdoWriteback.check(name, config);
            default -> { }
        }
        return rule;
    }

    /**
     * A setting that names the CloudSuite record may not read the task's own fields: any project member
     * can type into them. The record comes from the task ledger, as ${record.*}.
     */
    private static void refuseTaskFieldsAsIdentity(String rule, RuleConfig config) {
        java.util.Map<String, String> identity = new java.util.LinkedHashMap<>();
        identity.put(RuleConfig.REFERENCE, config.getString(RuleConfig.REFERENCE));
        java.util.Set<String> keyFields = new java.util.HashSet<>();
        for (String setting : java.util.List.of(RuleConfig.CHECK_FIELDS, RuleConfig.STATE_FIELDS, RuleConfig.IDO_KEY)) {
            io.mlconnector.connect.KeyValueList.parse(config.getList(setting)).forEach((field, template) -> {
                identity.merge(setting, template, (a, b) -> a + " " + b);
                keyFields.add(field);
            });
        }
        io.mlconnector.connect.KeyValueList.parse(config.getList(RuleConfig.M3_FIELDS)).forEach((field, template) -> {
            if (keyFields.contains(field)) {
                identity.merge(RuleConfig.M3_FIELDS, template, (a, b) -> a + " " + b);
            }
        });
        identity.forEach((setting, templates) -> {
            if (new Template(templates).paths().stream().anyMatch(p -> p.startsWith("task."))) {
                throw new org.apache.kafka.common.config.ConfigException(setting(rule, setting), templates,
                        "names the CloudSuite record through ${task.*}, which any Asana project member can edit; "
                                + "use ${record.number} (and ${record.company}) from the task ledger");
            }
        });
    }

    /** The full setting name, for messages: {@code writeback.rule.<rule>.<setting>}. */
    static String setting(String rule, String setting) {
        return InforSinkConfig.RULE_PREFIX + rule + "." + setting;
    }

    String name() {
        return name;
    }

    /**
     * The event is of the rule's kind and, where the task ledger names its record, about the rule's entity.
     * An event with no ledger record is matched by its trigger alone, so the first rule that would act audits it.
     */
    boolean matches(RecordView event) {
        Object recordEntity = event.get("record.entity");
        return trigger.matches(event) && (entity.isEmpty() || recordEntity == null || entity.equals(recordEntity));
    }

    /** The PO or invoice number the event concerns, or an empty string. */
    String reference(RecordView event) {
        return reference.render(event).strip();
    }

    String actionType() {
        return config.getString(RuleConfig.ACTION).toLowerCase(Locale.ROOT);
    }

    /** The action against this tenant; the company and division apply to M3 transactions. */
    WritebackAction action(IonClient ion, InforSinkConfig sink) {
        return switch (actionType()) {
            case "m3" -> new M3Writeback(name, config, ion.m3(), sink.getString(InforSinkConfig.COMPANY),
                    sink.getString(InforSinkConfig.DIVISION));
            case "ido" -> new IdoWriteback(name, config, ion, sink.getString(InforSinkConfig.MONGOOSE_CONFIG));
            default -> new AuditOnly();
        };
    }

    /** Records the event with no CloudSuite call. */
    static final class AuditOnly implements WritebackAction {
        @Override
        public Outcome apply(RecordView event) {
            return new Outcome(Outcome.Kind.NO_WRITE_PATH, "recorded only; this rule has no CloudSuite write path");
        }

        @Override
        public String describe() {
            return "audit";
        }
    }
}
