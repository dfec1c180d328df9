package io.mlconnector.simulators.ion;

import java.util.Map;

/**
 * One MI call as a transaction sees it: the session's company and division, the service account's user id, the
 * input fields ({@code in}, four upper-case letters each) and maxrecs.
 */
record MiCall(String cono, String divi, String user, Map<String, String> in, int maxrecs) {

    /** A mandatory input, trimmed; M3's WFL0101 when missing or blank. */
    String req(String field) {
        String v = in.get(field);
        if (v == null || v.isBlank()) {
            throw MiException.nok("WFL0101", field, "Field " + field + " must be entered");
        }
        return v.trim();
    }

    /** An optional input, trimmed; blank when not given. */
    String opt(String field) {
        String v = in.get(field);
        return v == null ? "" : v.trim();
    }

    /** True when the input is not given, or the row's field equals it. */
    boolean matchesIfGiven(Map<String, String> row, String field) {
        String v = opt(field);
        return v.isEmpty() || v.equals(row.get(field));
    }

    /** maxrecs as a table scan's limit: 0 (all rows) for 0 or less. */
    int cap() {
        return Math.max(maxrecs, 0);
    }
}
