package io.mlconnector.infor.source;

import io.mlconnector.infor.M3Client;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant's layout of each M3 table a task reads, asked once with {@code EXPORTMI/LstFields} when the table is
 * first read (not at start, so an outage then is retried like any read), and what each {@link TableRead} becomes
 * on it. A missing required column stops the task with the table and column named; a missing optional one is
 * dropped with a WARN.
 */
final class M3Layouts {

    private static final Logger log = LoggerFactory.getLogger(M3Layouts.class);

    private final M3Client m3;
    private final String company;
    private final Map<String, TableLayout> layouts = new HashMap<>();
    private final Map<List<Object>, ExportColumns> columns = new HashMap<>();

    /** @param company the company whose session lists the fields; the layout is the same in every company */
    M3Layouts(M3Client m3, String company) {
        this.m3 = m3;
        this.company = company;
    }

    synchronized ExportColumns columns(TableRead read) {
        return columns(read, false);
    }

    /** @param byChangeDate LMDT and CHNO in place of LMTS, which this tenant does not write in epoch milliseconds */
    synchronized ExportColumns columns(TableRead read, boolean byChangeDate) {
        List<Object> key = List.of(read, byChangeDate);
        ExportColumns known = columns.get(key);
        if (known != null) {
            return known;
        }
        TableRead.Resolution resolution = resolve(read, byChangeDate);
        if (!resolution.missingRequired().isEmpty()) {
            throw new ConnectException(missingMessage(resolution.missingRequired()));
        }
        resolution.notes().forEach(note -> log.warn("M3 {}: {}", company, note));
        columns.put(key, resolution.columns());
        return resolution.columns();
    }

    synchronized TableRead.Resolution resolve(TableRead read) {
        return resolve(read, false);
    }

    private TableRead.Resolution resolve(TableRead read, boolean byChangeDate) {
        TableLayout layout = layouts.computeIfAbsent(read.table(), t -> TableLayout.read(m3, company, t, read.prefix()));
        return read.resolve(layout, byChangeDate);
    }

    static String missingMessage(List<String> missing) {
        return "this M3 tenant lacks the column(s) " + String.join(", ", missing)
                + " (EXPORTMI/LstFields), which the connector cannot do without; see docs/m3-columns.md";
    }
}
