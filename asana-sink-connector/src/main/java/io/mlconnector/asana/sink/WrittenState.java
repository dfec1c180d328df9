package io.mlconnector.asana.sink;

import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.EnumOption;
import io.mlconnector.asana.Membership;
import io.mlconnector.asana.Task;
import io.mlconnector.connect.ledger.Fingerprint;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a task holds, as the fingerprints the task ledger keeps: one per attribute the sink writes
 * (name, notes, due date, assignee, section, completion, each mapped custom field). Comparing a
 * record's fingerprints with the ledger's tells which attributes an update must send.
 */
final class WrittenState {

    static final String NAME = "name";
    static final String NOTES = "notes";
    static final String DUE_ON = "due_on";
    static final String ASSIGNEE = "assignee";
    static final String SECTION = "section";
    static final String COMPLETED = "completed";
    private static final String FIELD = "cf:";

    private final String projectGid;
    private final Set<String> mappedFieldGids;

    WrittenState(String projectGid, Set<String> mappedFieldGids) {
        this.projectGid = projectGid;
        this.mappedFieldGids = Set.copyOf(mappedFieldGids);
    }

    static String field(String customFieldGid) {
        return FIELD + customFieldGid;
    }

    /** What writing this desired task establishes; attributes it leaves alone are absent. */
    Map<String, String> of(DesiredTask desired) {
        Map<String, String> state = new LinkedHashMap<>();
        if (desired.name() != null) {
            state.put(NAME, Fingerprint.of(desired.name()));
        }
        if (desired.notes() != null) {
            state.put(NOTES, Fingerprint.of(desired.notes()));
        }
        if (desired.dueOn() != null) {
            state.put(DUE_ON, Fingerprint.of(desired.dueOn().toString()));
        }
        if (desired.assignee() != null) {
            state.put(ASSIGNEE, Fingerprint.of(desired.assignee()));
        }
        if (desired.sectionGid() != null) {
            state.put(SECTION, Fingerprint.of(desired.sectionGid()));
        }
        if (desired.complete()) {
            state.put(COMPLETED, Fingerprint.of("true"));
        }
        desired.customFields().values().forEach(v -> state.put(field(v.field().gid()), Fingerprint.of(canonical(v.value()))));
        return state;
    }

    /** What a task read from Asana holds, for the attributes the sink writes. */
    Map<String, String> of(Task task) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put(NAME, Fingerprint.of(task.name() == null ? "" : task.name()));
        state.put(NOTES, Fingerprint.of(task.notes() == null ? "" : task.notes()));
        if (task.dueOn() != null) {
            state.put(DUE_ON, Fingerprint.of(task.dueOn().toString()));
        }
        if (task.completed()) {
            state.put(COMPLETED, Fingerprint.of("true"));
        }
        task.memberships().stream().filter(m -> m.project() != null && projectGid.equals(m.project().gid())
                && m.section() != null).map(Membership::section).findFirst()
                .ifPresent(section -> state.put(SECTION, Fingerprint.of(section.gid())));
        for (CustomFieldValue value : task.customFields()) {
            Object held = held(value);
            if (mappedFieldGids.contains(value.gid()) && held != null) {
                state.put(field(value.gid()), Fingerprint.of(canonical(held)));
            }
        }
        return state;
    }

    private static Object held(CustomFieldValue value) {
        if (value.type() == null) {
            return null;
        }
        return switch (value.type()) {
            case TEXT -> value.textValue();
            case NUMBER -> value.numberValue();
            case ENUM -> value.enumValue();
            case DATE -> value.dateValue();
            default -> null;
        };
    }

    /** One text per value whatever its form: numbers compare by value, enum options by gid. */
    static String canonical(Object value) {
        if (value instanceof BigDecimal number) {
            return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
        }
        if (value instanceof EnumOption option) {
            return option.gid();
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        return String.valueOf(value);
    }
}
