package io.mlconnector.infor.source;

import io.mlconnector.infor.M3Client;
import io.mlconnector.infor.MiRecord;
import io.mlconnector.infor.MiRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * An M3 table's fields and their lengths on this tenant, as {@code EXPORTMI/LstFields} lists them (FLDN, FLLE). The
 * lengths are the widths of the fixed-width rows {@code EXPORTMI/SelectPad} answers with a blank separator.
 */
record TableLayout(String table, Map<String, Integer> widths) {

    /** Asks the tenant; field names are kept without the table prefix ({@code IAPUNO} becomes {@code PUNO}). */
    static TableLayout read(M3Client m3, String company, String table, String prefix) {
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (MiRecord field : m3.execute(MiRequest.builder("EXPORTMI", "LstFields").set("FILE", table)
                .company(company).maxRecords(0).build()).records()) {
            String name = field.get("FLDN").trim().toUpperCase(Locale.ROOT);
            if (name.length() == prefix.length() + 4 && name.startsWith(prefix)) {
                name = name.substring(prefix.length());
            }
            String length = field.get("FLLE").trim();
            try {
                widths.put(name, Integer.parseInt(length));
            } catch (NumberFormatException e) {
                throw new ConnectException("EXPORTMI/LstFields gave field " + name + " of " + table
                        + " the length '" + length + "', not a whole number");
            }
        }
        if (widths.isEmpty()) {
            throw new ConnectException("EXPORTMI/LstFields lists no fields for table " + table);
        }
        return new TableLayout(table, Map.copyOf(widths));
    }

    boolean has(String field) {
        return widths.containsKey(field);
    }

    int width(String field) {
        return widths.get(field);
    }
}
