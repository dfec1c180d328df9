package io.mlconnector.infor.sink;

import io.mlconnector.connect.KeyValueList;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The states of a CloudSuite record in which a rule may write, as FIELD=value pairs: a value is a list
 * ({@code O|P}) or an inclusive numeric range ({@code 05..80}). Empty allows any state.
 */
final class RecordState {

    private final Map<String, Allowed> allowed;
    private final boolean nextRule;

    private record Allowed(Set<String> values, BigDecimal low, BigDecimal high) {
        boolean admits(String value) {
            if (value == null) {
                return false;
            }
            String v = value.strip();
            if (values != null) {
                return values.contains(v);
            }
            try {
                BigDecimal number = new BigDecimal(v);
                return number.compareTo(low) >= 0 && number.compareTo(high) <= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return values != null ? String.join("|", values) : low.toPlainString() + ".." + high.toPlainString();
        }
    }

    private RecordState(Map<String, Allowed> allowed, boolean nextRule) {
        this.allowed = allowed;
        this.nextRule = nextRule;
    }

    /** A rule's {@code state.allowed}, and what {@code state.otherwise} says of a record in another state. */
    static RecordState of(String rule, RuleConfig config) {
        return parse(WritebackRule.setting(rule, RuleConfig.STATE_ALLOWED), config.getList(RuleConfig.STATE_ALLOWED),
                "next-rule".equals(config.getString(RuleConfig.STATE_OTHERWISE)));
    }

    static RecordState parse(String setting, List<String> pairs) {
        return parse(setting, pairs, false);
    }

    private static RecordState parse(String setting, List<String> pairs, boolean nextRule) {
        Map<String, Allowed> allowed = new LinkedHashMap<>();
        KeyValueList.parse(pairs).forEach((field, spec) -> {
            int range = spec.indexOf("..");
            if (range < 0) {
                allowed.put(field, new Allowed(Set.copyOf(Arrays.stream(spec.split("\\|")).map(String::strip).toList()),
                        null, null));
                return;
            }
            try {
                allowed.put(field, new Allowed(null, new BigDecimal(spec.substring(0, range).strip()),
                        new BigDecimal(spec.substring(range + 2).strip())));
            } catch (NumberFormatException e) {
                throw new ConfigException(setting, String.join(",", pairs), "'" + field + "=" + spec
                        + "': a range is two numbers, e.g. 05..80; a list is values joined by |, e.g. O|P");
            }
        });
        return new RecordState(allowed, nextRule);
    }

    /** The outcome of a record whose state this rule does not write: REJECTED, or left to the next rule. */
    Outcome refused(String reason) {
        return new Outcome(Outcome.Kind.REJECTED, reason, nextRule);
    }

    boolean isEmpty() {
        return allowed.isEmpty();
    }

    java.util.Collection<String> fields() {
        return allowed.keySet();
    }

    /** Why a record holding these values may not be written, or empty when it may. */
    Optional<String> refusal(String record, Map<String, String> values) {
        for (Map.Entry<String, Allowed> rule : allowed.entrySet()) {
            String value = values.get(rule.getKey());
            if (!rule.getValue().admits(value)) {
                return Optional.of(record + " has " + rule.getKey() + "=" + (value == null ? "(none)" : value.strip())
                        + "; the rule writes only where it is " + rule.getValue());
            }
        }
        return Optional.empty();
    }
}
