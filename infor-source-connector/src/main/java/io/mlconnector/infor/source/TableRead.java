package io.mlconnector.infor.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one EXPORTMI read asks of one M3 table: the key columns that order and name its rows, and the columns read,
 * each required or optional. Resolved against the table's {@link TableLayout} on the tenant, it becomes the
 * {@link ExportColumns} actually asked for, keys and change stamp first.
 */
record TableRead(String table, String prefix, List<String> keyFields, List<Column> columns) {

    /** The change timestamp; a read that asks for it takes LMDT and CHNO instead on a tenant without it. */
    static final String STAMP = "LMTS";
    private static final List<String> CHANGE_COLUMNS = List.of(STAMP, "LMDT", "CHNO");

    /**
     * A column the read wants, by the name the mapping reads it under; {@code candidates} are the tenant's fields
     * that may hold it, in order of preference (e.g. the PO amount is COAM, else NTAM).
     */
    record Column(String name, List<String> candidates, boolean required) {

        static Column required(String name) {
            return new Column(name, List.of(name), true);
        }

        static Column optional(String name) {
            return new Column(name, List.of(name), false);
        }

        /** Required, read from the first of {@code candidates} the table has. */
        static Column firstOf(String name, String... others) {
            List<String> candidates = new ArrayList<>(List.of(name));
            candidates.addAll(List.of(others));
            return new Column(name, List.copyOf(candidates), true);
        }
    }

    /** What the tenant's layout makes of this read: the columns to ask for, and what is missing or replaced. */
    record Resolution(ExportColumns columns, List<String> missingRequired, List<String> notes) {
    }

    /**
     * Columns by the name the mapping reads; keys first, then the change stamp when read, then the rest as listed,
     * and last the check column.
     */
    Resolution resolve(TableLayout layout) {
        return resolve(layout, false);
    }

    /** @param byChangeDate read LMDT and CHNO in place of LMTS even when the table has it (it is not epoch ms) */
    Resolution resolve(TableLayout layout, boolean byChangeDate) {
        Map<String, String> chosen = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Column c : ordered()) {
            if (c.name().equals(STAMP) && (byChangeDate || !layout.has(STAMP))) {
                // No change timestamp: changes are found by change date and change number (M3ChangeDays).
                if (layout.has("LMDT") && layout.has("CHNO")) {
                    chosen.put("LMDT", "LMDT");
                    chosen.put("CHNO", "CHNO");
                    notes.add(table + (byChangeDate ? "'s " + prefix + STAMP + " is not in epoch milliseconds"
                            : " has no " + prefix + STAMP) + "; changes are found by " + prefix + "LMDT (change date) "
                            + "and " + prefix + "CHNO (change number)");
                } else {
                    missing.add(table + "." + prefix + STAMP + " (or " + prefix + "LMDT and " + prefix + "CHNO)");
                }
                continue;
            }
            String field = c.candidates().stream().filter(layout::has).findFirst().orElse(null);
            if (field == null) {
                if (c.required()) {
                    missing.add(table + "." + prefix + c.name());
                } else {
                    notes.add("optional column " + prefix + c.name() + " is not in " + table + " on this tenant; "
                            + "records carry no value for it");
                }
            } else {
                chosen.put(c.name(), field);
                if (!field.equals(c.name())) {
                    notes.add(table + " has no " + prefix + c.name() + "; " + prefix + field + " is read in its place");
                }
            }
        }
        List<ExportColumns.Slot> slots = new ArrayList<>();
        chosen.forEach((name, field) -> slots.add(new ExportColumns.Slot(name, prefix + field, layout.width(field))));
        // The change stamp (else the first key) is asked for again last: a row whose values shifted shows it there,
        // even when its blank tail was trimmed on the way.
        String check = chosen.containsKey(STAMP) ? STAMP : keyFields.get(0);
        if (chosen.containsKey(check)) {
            slots.add(new ExportColumns.Slot(ExportColumns.CHECK, prefix + chosen.get(check), layout.width(chosen.get(check))));
        }
        int anchors = 0;
        while (anchors < slots.size() && (keyFields.contains(slots.get(anchors).name())
                || CHANGE_COLUMNS.contains(slots.get(anchors).name()))) {
            anchors++;
        }
        return new Resolution(new ExportColumns(table, slots, anchors, check), List.copyOf(missing), List.copyOf(notes));
    }

    private List<Column> ordered() {
        List<Column> out = new ArrayList<>();
        for (String key : keyFields) {
            columns.stream().filter(c -> c.name().equals(key)).findFirst().ifPresent(out::add);
        }
        columns.stream().filter(c -> c.name().equals(STAMP) && !out.contains(c)).forEach(out::add);
        columns.stream().filter(c -> !out.contains(c)).forEach(out::add);
        return out;
    }
}
