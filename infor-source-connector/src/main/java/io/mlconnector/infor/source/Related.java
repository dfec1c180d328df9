package io.mlconnector.infor.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of other tables that a page's records need, fetched once for the whole page and indexed by the values
 * that link them to the page's rows. The backends fetch them; a {@link RecordMapping} only reads them.
 */
record Related(Map<Lookup, Map<String, Row>> found, Map<Lines, Map<String, List<Row>>> lines) {

    /** Another table (or IDO) a mapping reads from. */
    sealed interface Table permits Lookup, Lines {
        String table();
    }

    /**
     * One row of {@code table} per page row, found by the columns both rows hold ({@code keys}): a supplier's name by
     * its number. Of rows with the same keys, the one with the greatest {@code newest} is kept (the first of equals);
     * without {@code newest}, the last.
     */
    record Lookup(String table, List<String> keys, String newest) implements Table {

        Lookup(String table, String key) {
            this(table, List.of(key), null);
        }

        /** The row's key values as one string; null when one is missing, as nothing can match it. */
        String keyOf(Row row) {
            if (keys.size() == 1) {
                return row.text(keys.get(0));
            }
            List<String> values = new ArrayList<>(keys.size());
            for (String key : keys) {
                String value = row.text(key);
                if (value == null) {
                    return null;
                }
                values.add(value);
            }
            return String.join("\u0000", values);
        }

        Map<String, Row> index(List<Row> rows) {
            Map<String, Row> byKey = new HashMap<>();
            for (Row row : rows) {
                String key = keyOf(row);
                if (key == null) {
                    continue;
                }
                if (newest == null) {
                    byKey.put(key, row);
                } else {
                    byKey.merge(key, row, (a, b) -> KeyOrder.compare(a.text(newest), b.text(newest)) >= 0 ? a : b);
                }
            }
            return byKey;
        }
    }

    /** A purchase order's lines: the rows of {@code table} whose {@code order} column names it, by line and release. */
    record Lines(String table, String order, String line, String release) implements Table {

        /** The lines of the page's orders, by order; others (a key range also holds other divisions') are dropped. */
        Map<String, List<Row>> byOrder(List<Row> rows, List<Row> page) {
            // A hash look-up keeps dropping the others cheap.
            Set<String> wanted = new HashSet<>();
            page.forEach(head -> {
                String order = head.text(this.order);
                if (order != null) {
                    wanted.add(order);
                }
            });
            Map<String, List<Row>> byOrder = new LinkedHashMap<>();
            for (Row r : rows) {
                String order = r.text(this.order);
                if (wanted.contains(order)) {
                    byOrder.computeIfAbsent(order, k -> new ArrayList<>()).add(r);
                }
            }
            Comparator<Row> lineOrder = Comparator.comparing((Row r) -> nonNull(r.text(line)), KeyOrder.KEYS)
                    .thenComparing(r -> nonNull(r.text(release)), KeyOrder.KEYS);
            byOrder.values().forEach(l -> l.sort(lineOrder));
            return byOrder;
        }
    }

    /** Indexes what was fetched for {@code page}, each table by its kind. */
    static Related of(Map<Table, List<Row>> fetched, List<Row> page) {
        Map<Lookup, Map<String, Row>> found = new HashMap<>();
        Map<Lines, Map<String, List<Row>>> lines = new HashMap<>();
        fetched.forEach((table, rows) -> {
            if (table instanceof Lookup lookup) {
                found.put(lookup, lookup.index(rows));
            } else if (table instanceof Lines l) {
                lines.put(l, l.byOrder(rows, page));
            }
        });
        return new Related(found, lines);
    }

    /** The row {@code lookup} found for {@code row}; null when none. */
    Row found(Lookup lookup, Row row) {
        String key = lookup.keyOf(row);
        return key == null ? null : found.getOrDefault(lookup, Map.of()).get(key);
    }

    /** The lines of the order {@code row} is, in line order. */
    List<Row> linesOf(Lines table, Row row) {
        String order = row.text(table.order());
        return order == null ? List.of() : lines.getOrDefault(table, Map.of()).getOrDefault(order, List.of());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
