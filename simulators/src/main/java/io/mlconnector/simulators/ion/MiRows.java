package io.mlconnector.simulators.ion;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What transactions share: picking a transaction's output fields, checking inputs, applying an update. */
final class MiRows {
    private static final Set<String> DECIMALS = Set.of("PUPR", "ORQA", "CUAM", "VTAM");

    private MiRows() {
    }

    /** The row's {@code fields} (space-separated) in that order, blank where the row has none. */
    static Map<String, String> pick(Map<String, String> row, String fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : fields.split(" ")) {
            out.put(f, row.getOrDefault(f, ""));
        }
        return out;
    }

    static List<Map<String, String>> pickAll(List<Map<String, String>> rows, String fields) {
        List<Map<String, String>> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(pick(r, fields)));
        return out;
    }

    /** Applies the non-blank inputs among {@code fields}, then stamps the change. Dates are checked. */
    static void update(M3Data data, Map<String, String> row, MiCall c, String fields) {
        for (String f : fields.split(" ")) {
            String v = c.opt(f);
            if (!v.isEmpty()) {
                if (f.endsWith("DT")) {
                    date(f, v);
                }
                if (DECIMALS.contains(f)) {
                    decimal(f, v);
                }
                row.put(f, v);
            }
        }
        data.changed(row, c.user());
    }

    static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value, M3Data.YMD);
        } catch (DateTimeParseException e) {
            throw MiException.nok("WDT0101", field, "Date " + value + " is invalid");
        }
    }

    static BigDecimal decimal(String field, String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw MiException.nok("WNU0101", field, "Value " + value + " is not numeric");
        }
    }
}
