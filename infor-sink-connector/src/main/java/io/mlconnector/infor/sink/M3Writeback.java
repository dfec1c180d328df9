package io.mlconnector.infor.sink;

import io.mlconnector.connect.KeyValueList;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import io.mlconnector.infor.M3Client;
import io.mlconnector.infor.M3TransactionException;
import io.mlconnector.infor.MiRecord;
import io.mlconnector.infor.MiRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Runs an M3 MI transaction, after a check transaction shows the change is not there yet. M3's Add
 * transactions are not idempotent, so a rule with one must have a check; that check is what makes a
 * replay, or a retry after a crash, apply nothing twice. A state read, when the rule has one, comes first:
 * its record is {@code ${state.*}} in the check and the transaction.
 */
final class M3Writeback implements WritebackAction {

    private final M3Client m3;
    private final Transaction apply;
    private final Transaction check;
    private final Map<String, Template> appliedWhen;
    private final Transaction state;
    private final RecordState allowed;
    private final String company;
    private final String division;

    private record Transaction(String program, String transaction, Map<String, Template> fields) {
        String name() {
            return program + "/" + transaction;
        }

        /** The same read with the same inputs, e.g. APS450MI/GetHead both as the state read and as the check. */
        boolean sameRead(Transaction other) {
            return other != null && name().equals(other.name()) && fields.keySet().equals(other.fields.keySet())
                    && fields.entrySet().stream().allMatch(f -> f.getValue().toString()
                    .equals(other.fields.get(f.getKey()).toString()));
        }
    }

    M3Writeback(String rule, RuleConfig config, M3Client m3, String company, String division) {
        this.m3 = m3;
        this.apply = transaction(rule, config, RuleConfig.M3_TRANSACTION, RuleConfig.M3_FIELDS);
        this.check = config.getString(RuleConfig.CHECK_TRANSACTION).isBlank() ? null
                : transaction(rule, config, RuleConfig.CHECK_TRANSACTION, RuleConfig.CHECK_FIELDS);
        this.appliedWhen = templates(config.getList(RuleConfig.CHECK_APPLIED));
        this.state = config.getString(RuleConfig.STATE_TRANSACTION).isBlank() ? null
                : transaction(rule, config, RuleConfig.STATE_TRANSACTION, RuleConfig.STATE_FIELDS);
        this.allowed = RecordState.of(rule, config);
        this.company = company;
        this.division = division;
    }

    /** Static checks of a rule's M3 settings, failing on the setting at fault. */
    static void check(String rule, RuleConfig config) {
        Transaction apply = transaction(rule, config, RuleConfig.M3_TRANSACTION, RuleConfig.M3_FIELDS);
        boolean hasCheck = !config.getString(RuleConfig.CHECK_TRANSACTION).isBlank();
        if (!config.getString(RuleConfig.STATE_TRANSACTION).isBlank()) {
            transaction(rule, config, RuleConfig.STATE_TRANSACTION, RuleConfig.STATE_FIELDS);
        } else if (!config.getList(RuleConfig.STATE_ALLOWED).isEmpty()) {
            throw new ConfigException(WritebackRule.setting(rule, RuleConfig.STATE_TRANSACTION), "",
                    "state.allowed needs the read that shows the state, e.g. PPS001MI/GetHeadBasic");
        }
        RecordState.parse(WritebackRule.setting(rule, RuleConfig.STATE_ALLOWED), config.getList(RuleConfig.STATE_ALLOWED));
        if (config.getString(RuleConfig.STATE_TRANSACTION).isBlank()) {
            for (String setting : List.of(RuleConfig.M3_FIELDS, RuleConfig.CHECK_FIELDS, RuleConfig.CHECK_APPLIED)) {
                if (Template.of(KeyValueList.parse(config.getList(setting))).values().stream()
                        .anyMatch(t -> t.paths().stream().anyMatch(p -> p.startsWith("state.")))) {
                    throw new ConfigException(WritebackRule.setting(rule, setting), config.getList(setting),
                            "${state.*} is the record the state read answers: name it in state.transaction");
                }
            }
        }
        if (hasCheck) {
            transaction(rule, config, RuleConfig.CHECK_TRANSACTION, RuleConfig.CHECK_FIELDS);
        } else if (apply.transaction().startsWith("Add")) {
            throw new ConfigException(WritebackRule.setting(rule, RuleConfig.CHECK_TRANSACTION), "",
                    apply.name() + " is an Add transaction, which M3 does not make idempotent: name the read that "
                            + "shows whether it is already applied, e.g. a Get or Lst transaction");
        }
    }

    @Override
    public Outcome apply(RecordView event) {
        MiRecord current = null;
        String missing = null;
        if (state != null) {
            try {
                List<MiRecord> found = m3.execute(request(state, event)).records();
                if (found.isEmpty()) {
                    missing = state.name() + " found no record for " + describeRecord(event);
                } else {
                    current = found.get(0);
                }
            } catch (M3TransactionException notFound) {
                missing = state.name() + ": " + notFound.getMessage();
            }
        }
        RecordView withState = current == null ? event : event.with("state", current.fields());
        // a check that is the state read again is answered by the record already read
        List<MiRecord> checked = check == null ? null
                : check.sameRead(state) && current != null ? List.of(current) : checkRead(withState);
        if (check != null && alreadyApplied(checked, withState)) {
            return Outcome.alreadyApplied(check.name() + " shows the change in place");
        }
        if (missing != null) {
            return Outcome.rejected(missing);
        }
        if (current != null) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String field : allowed.fields()) {
                values.put(field, current.get(field));
            }
            java.util.Optional<String> refusal = allowed.refusal(describeRecord(event), values);
            if (refusal.isPresent()) {
                return allowed.refused(refusal.get());
            }
        }
        try {
            m3.execute(request(apply, withState));
            return Outcome.applied("M3 accepted " + apply.name());
        } catch (M3TransactionException rejected) {
            return Outcome.rejected(rejected.getMessage());
        }
    }

    @Override
    public String describe() {
        return "M3 " + apply.name();
    }

    /** The check's answer; none when M3 refuses the read (the record is not there). */
    private List<MiRecord> checkRead(RecordView event) {
        try {
            return m3.execute(request(check, event)).records();
        } catch (M3TransactionException notFound) {
            return List.of();
        }
    }

    private boolean alreadyApplied(List<MiRecord> records, RecordView event) {
        return records.stream().anyMatch(record -> appliedWhen.entrySet().stream().allMatch(expected ->
                expected.getValue().render(event).equals(record.get(expected.getKey()))));
    }

    private MiRequest request(Transaction transaction, RecordView event) {
        MiRequest.Builder request = MiRequest.builder(transaction.program(), transaction.transaction());
        transaction.fields().forEach((field, template) -> request.set(field, template.render(event)));
        // the record's own company and division, from the task ledger; the configured ones otherwise
        String recordCompany = text(event.get("record.company"));
        String recordDivision = text(event.get("record.division"));
        String cono = recordCompany != null ? recordCompany : company;
        String divi = recordDivision != null ? recordDivision : division;
        if (!cono.isBlank()) {
            request.company(cono);
        }
        if (!divi.isBlank()) {
            request.division(divi);
        }
        return request.build();
    }

    private static String describeRecord(RecordView event) {
        return "M3 " + text(event.get("record.entity")) + " " + text(event.get("record.number")) + " in company "
                + text(event.get("record.company"));
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : Template.format(value);
    }

    private static Transaction transaction(String rule, RuleConfig config, String nameSetting, String fieldsSetting) {
        String name = config.getString(nameSetting);
        int slash = name.indexOf('/');
        if (!name.matches("[A-Z0-9]+/[A-Za-z0-9]+") || slash < 0) {
            throw new ConfigException(WritebackRule.setting(rule, nameSetting), name,
                    "expected PROGRAM/Transaction, e.g. PPS200MI/UpdHead");
        }
        return new Transaction(name.substring(0, slash), name.substring(slash + 1),
                templates(config.getList(fieldsSetting)));
    }

    private static Map<String, Template> templates(List<String> pairs) {
        return Template.of(KeyValueList.parse(pairs));
    }
}
