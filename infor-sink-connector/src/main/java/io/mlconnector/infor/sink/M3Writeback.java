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
 * replay, or a retry after a crash, apply nothing twice.
 */
final class M3Writeback implements WritebackAction {

    private final M3Client m3;
    private final Transaction apply;
    private final Transaction check;
    private final Map<String, Template> appliedWhen;
    private final String company;
    private final String division;

    private record Transaction(String program, String transaction, Map<String, Template> fields) {
        String name() {
            return program + "/" + transaction;
        }
    }

    M3Writeback(String rule, RuleConfig config, M3Client m3, String company, String division) {
        this.m3 = m3;
        this.apply = transaction(rule, config, RuleConfig.M3_TRANSACTION, RuleConfig.M3_FIELDS);
        this.check = config.getString(RuleConfig.CHECK_TRANSACTION).isBlank() ? null
                : transaction(rule, config, RuleConfig.CHECK_TRANSACTION, RuleConfig.CHECK_FIELDS);
        this.appliedWhen = templates(config.getList(RuleConfig.CHECK_APPLIED));
        this.company = company;
        this.division = division;
    }

    /** Static checks of a rule's M3 settings, failing on the setting at fault. */
    static void check(String rule, RuleConfig config) {
        Transaction apply = transaction(rule, config, RuleConfig.M3_TRANSACTION, RuleConfig.M3_FIELDS);
        boolean hasCheck = !config.getString(RuleConfig.CHECK_TRANSACTION).isBlank();
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
        if (check != null && alreadyApplied(event)) {
            return Outcome.alreadyApplied(check.name() + " shows the change in place");
        }
        try {
            m3.execute(request(apply, event));
            return Outcome.applied("M3 accepted " + apply.name());
        } catch (M3TransactionException rejected) {
            return Outcome.rejected(rejected.getMessage());
        }
    }

    @Override
    public String describe() {
        return "M3 " + apply.name();
    }

    private boolean alreadyApplied(RecordView event) {
        List<MiRecord> records;
        try {
            records = m3.execute(request(check, event)).records();
        } catch (M3TransactionException notFound) {
            return false;
        }
        if (records.isEmpty()) {
            return false;
        }
        return records.stream().anyMatch(record -> appliedWhen.entrySet().stream().allMatch(expected ->
                expected.getValue().render(event).equals(record.get(expected.getKey()))));
    }

    private MiRequest request(Transaction transaction, RecordView event) {
        MiRequest.Builder request = MiRequest.builder(transaction.program(), transaction.transaction());
        transaction.fields().forEach((field, template) -> request.set(field, template.render(event)));
        if (!company.isBlank()) {
            request.company(company);
        }
        if (!division.isBlank()) {
            request.division(division);
        }
        return request.build();
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
