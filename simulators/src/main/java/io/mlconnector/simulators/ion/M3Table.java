package io.mlconnector.simulators.ion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One M3 table (e.g. MPHEAD) held in key order. Rows are maps from the 4-letter field name (no table prefix)
 * to its value; the table prefix ({@code IA} for MPHEAD) is only used by EXPORTMI.
 * Callers synchronise on the owning {@link M3Data}.
 */
final class M3Table {

    final String name;
    final String prefix;
    final List<String> keyFields;
    volatile List<String> columns;
    private final TreeMap<String, Map<String, String>> rows = new TreeMap<>();

    M3Table(String name, String prefix, List<String> keyFields, List<String> columns) {
        this.name = name;
        this.prefix = prefix;
        this.keyFields = keyFields;
        this.columns = columns;
    }

    /** Sort key: numeric key parts zero-padded so 10 sorts before 100. */
    String keyOf(Map<String, String> row) {
        StringBuilder key = new StringBuilder();
        for (String f : keyFields) {
            appendKeyPart(key, row.getOrDefault(f, ""));
        }
        return key.toString();
    }

    private static StringBuilder appendKeyPart(StringBuilder key, String value) {
        String v = value.trim();
        return key.append(v.matches("\\d{1,12}") ? "0".repeat(12 - v.length()) + v : v).append('\u0001');
    }

    Map<String, String> get(Map<String, String> key) {
        return rows.get(keyOf(key));
    }

    boolean contains(Map<String, String> key) {
        return rows.containsKey(keyOf(key));
    }

    /** Stores a copy of {@code row} with every column present and returns the stored map. */
    Map<String, String> put(Map<String, String> row) {
        Map<String, String> full = new LinkedHashMap<>();
        for (String c : columns) {
            full.put(c, row.getOrDefault(c, ""));
        }
        row.forEach(full::putIfAbsent);
        rows.put(keyOf(full), full);
        return full;
    }

    Map<String, String> remove(Map<String, String> key) {
        return rows.remove(keyOf(key));
    }

    /** Rows from {@code fromKey} (inclusive, null = start) in key order that pass {@code filter}, at most {@code max} (0 = all). */
    List<Map<String, String>> scan(Map<String, String> fromKey, Predicate<Map<String, String>> filter, int max) {
        NavigableMap<String, Map<String, String>> view = fromKey == null ? rows : rows.tailMap(keyOf(fromKey), true);
        return matching(view, filter, max);
    }

    /**
     * Like {@link #scan}, but only the rows of one value of the first key field (e.g. CONO) whose second key field
     * lies within {@code bounds} (inclusive, null ends open): an index range read, as M3's database does.
     */
    List<Map<String, String>> scan(String first, WhereClause.Bounds bounds, Predicate<Map<String, String>> filter, int max) {
        String leading = appendKeyPart(new StringBuilder(), first).toString();
        String from = bounds.lower() == null ? leading : appendKeyPart(new StringBuilder(leading), bounds.lower()).toString();
        String to = (bounds.upper() == null ? leading : appendKeyPart(new StringBuilder(leading), bounds.upper())) + "\uffff";
        return from.compareTo(to) > 0 ? new ArrayList<>() : matching(rows.subMap(from, true, to, true), filter, max);
    }

    private static List<Map<String, String>> matching(NavigableMap<String, Map<String, String>> view,
                                                      Predicate<Map<String, String>> filter, int max) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> row : view.values()) {
            if (filter.test(row)) {
                out.add(row);
                if (max > 0 && out.size() >= max) {
                    break;
                }
            }
        }
        return out;
    }

    /** Rows whose leading key fields equal those given (e.g. CONO and PUNO of MPLINE), in key order. */
    List<Map<String, String>> withKeyPrefix(Map<String, String> leadingKey) {
        StringBuilder prefix = new StringBuilder();
        for (String f : keyFields) {
            String v = leadingKey.get(f);
            if (v == null) {
                break;
            }
            appendKeyPart(prefix, v);
        }
        return new ArrayList<>(rows.subMap(prefix.toString(), true, prefix + "\uffff", false).values());
    }

    void dropColumn(String field) {
        columns = columns.stream().filter(c -> !c.equals(field)).toList();
    }

    int size() {
        return rows.size();
    }

    /** EXPORTMI column name ({@code IAPUNO}) to field name ({@code PUNO}); null when not a column of this table. */
    String fieldOfColumn(String column) {
        String upper = column.toUpperCase(java.util.Locale.ROOT);
        if (!upper.startsWith(prefix) || upper.length() != prefix.length() + 4) {
            return null;
        }
        String field = upper.substring(prefix.length());
        return columns.contains(field) ? field : null;
    }
}
