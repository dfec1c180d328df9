package io.mlconnector.simulators.ion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EXPORTMI: {@code Select}/{@code SelectPad} with {@code QERY = "<columns> from <TABLE> [where <condition>]"}
 * and {@code LstFields}. One table per query; the session company is applied, never a CONO condition;
 * rows come in the table's key order; each row is one {@code REPL} field. At most 10,000 rows a call (the
 * simulator's choice where infor.md is silent).
 */
final class ExportMi {

    private static final int EXPORT_CAP = 10_000;
    private static final Pattern QUERY = Pattern.compile("(?is)\\s*(.+?)\\s+from\\s+(\\w+)(?:\\s+where\\s+(.+))?\\s*");
    private static final Set<String> NUMERIC = Set.of("CONO", "CHNO", "PNLI", "PNLS", "INBN", "TRNO", "ORQA", "RVQA",
            "IVQA", "PUPR", "LNAM", "SAAM", "COAM", "NTAM", "CUAM", "VTAM", "NLAM", "LMTS", "RGTM", "YEA4", "INYR",
            "JRNO", "JSNO", "VONO", "APRV", "PYST", "CFQA", "CPPR", "VTA1", "GRPR");
    private static final Map<String, Integer> LENGTHS = Map.ofEntries(Map.entry("CONO", 3), Map.entry("DIVI", 3),
            Map.entry("PUNO", 10), Map.entry("SUNO", 10), Map.entry("CUCD", 3), Map.entry("SINO", 24),
            Map.entry("SUNM", 36), Map.entry("TX40", 40), Map.entry("LMTS", 18), Map.entry("CHNO", 3),
            Map.entry("PNLI", 3), Map.entry("PNLS", 3), Map.entry("PUSL", 2), Map.entry("PUST", 2),
            Map.entry("ITNO", 15), Map.entry("CHID", 10), Map.entry("INBN", 10), Map.entry("PITD", 30),
            Map.entry("PITT", 60), Map.entry("AITM", 20), Map.entry("BUYE", 10));

    private ExportMi() {
    }

    static Map<String, MiTransaction> transactions(M3Data data) {
        return Map.of(
                "EXPORTMI/Select", c -> select(data, c.cono(), c.req("QERY"), c.in().get("SEPC"),
                        "1".equals(c.opt("HDRS")), false, rows(c)),
                "EXPORTMI/SelectPad", c -> select(data, c.cono(), c.req("QERY"), c.in().get("SEPC"),
                        "1".equals(c.opt("HDRS")), true, rows(c)),
                "EXPORTMI/LstFields", c -> fields(data, c.req("FILE")));
    }

    /** maxrecs, capped at 10,000 rows; 0 asks for the cap. */
    private static int rows(MiCall c) {
        return c.maxrecs() <= 0 ? EXPORT_CAP : Math.min(c.maxrecs(), EXPORT_CAP);
    }

    static List<Map<String, String>> select(M3Data data, String cono, String qery, String sepc, boolean headers,
                                            boolean pad, int max) {
        Matcher m = QUERY.matcher(qery);
        if (!m.matches()) {
            throw MiException.nok("XQU0001", "QERY", "Query must read '<fields> from <table> where <condition>'");
        }
        M3Table table = data.table(m.group(2));
        if (table == null) {
            throw MiException.nok("XQU0002", "QERY", "File " + m.group(2) + " does not exist");
        }
        List<String> columns = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (String col : m.group(1).split(",")) {
            String c = col.trim();
            String field = table.fieldOfColumn(c);
            if (field == null) {
                throw MiException.nok("XQU0003", "QERY", "Field " + c + " does not exist in " + table.name);
            }
            columns.add(c.toUpperCase(Locale.ROOT));
            fields.add(field);
        }
        Predicate<Map<String, String>> where;
        WhereClause.Bounds bounds;
        String condition = sessionDivision(m.group(3), table, data.sessionDivision);
        try {
            where = WhereClause.parse(condition, table::fieldOfColumn);
            bounds = table.keyFields.size() > 1 && table.keyFields.get(0).equals("CONO")
                    ? WhereClause.bounds(condition, table::fieldOfColumn, table.keyFields.get(1)) : WhereClause.Bounds.NONE;
        } catch (IllegalArgumentException e) {
            throw MiException.nok("XQU0004", "QERY", e.getMessage());
        }
        // The separator arrives as given; blank means fixed-width output.
        String sep = sepc == null || sepc.isEmpty() || sepc.isBlank() ? null : sepc;
        List<Map<String, String>> out = new ArrayList<>();
        if (headers) {
            out.add(Map.of("REPL", sep == null ? fixed(columns, fields, pad) : String.join(sep, columns)));
        }
        for (Map<String, String> row : table.scan(cono, bounds, r -> r.get("CONO").equals(cono) && where.test(r), max)) {
            List<String> values = new ArrayList<>(fields.size());
            fields.forEach(f -> values.add(row.getOrDefault(f, "").trim()));
            out.add(Map.of("REPL", sep == null ? fixed(values, fields, pad) : String.join(sep, values)));
        }
        return out;
    }

    /** In a session with a default division, a division filter reads that division (infor.md 3.7, D13). */
    private static String sessionDivision(String condition, M3Table table, String division) {
        if (condition == null || division == null) {
            return condition;
        }
        return Pattern.compile("(?i)\\b(" + table.prefix + "DIVI\\s*=\\s*)'[^']*'").matcher(condition)
                .replaceAll("$1'" + Matcher.quoteReplacement(division) + "'");
    }

    static List<Map<String, String>> fields(M3Data data, String file) {
        M3Table table = data.table(file.trim());
        if (table == null) {
            throw MiException.nok("XQU0002", "FILE", "File " + file + " does not exist");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (String f : table.columns) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("FLDN", table.prefix + f);
            row.put("FLDS", "Field " + f);
            row.put("FLTY", f.endsWith("DT") ? "D" : NUMERIC.contains(f) ? "N" : "A");
            row.put("FLLE", String.valueOf(length(f)));
            row.put("FLDP", Set.of("ORQA", "PUPR", "LNAM", "CUAM", "VTAM", "NLAM", "SAAM", "COAM", "NTAM").contains(f) ? "2" : "0");
            out.add(row);
        }
        return out;
    }

    private static int length(String field) {
        return field.endsWith("DT") ? 8 : LENGTHS.getOrDefault(field, NUMERIC.contains(field) ? 17 : 15);
    }

    private static String fixed(List<String> values, List<String> fields, boolean padFully) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            int len = Math.max(length(fields.get(i)), values.get(i).length());
            sb.append(values.get(i)).append(" ".repeat(len - values.get(i).length()));
        }
        return padFully ? sb.toString() : sb.toString().stripTrailing();
    }
}
