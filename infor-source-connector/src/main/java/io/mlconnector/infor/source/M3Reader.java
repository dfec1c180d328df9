package io.mlconnector.infor.source;

import io.mlconnector.infor.M3Client;
import io.mlconnector.infor.MiRecord;
import io.mlconnector.infor.MiRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one M3 table of one company (and division) with EXPORTMI, in one of two modes chosen at the first read
 * (a querier per mode, as in kafka-connect-jdbc). By LMTS, following an {@link M3ChangeCursor}: a page of rows
 * changed after the bookmark, or, when more are waiting than a page holds, a closed LMTS window read in key order
 * with maxrecs and a restart after the last key. On a table without an epoch-millisecond LMTS, by change date and
 * number, following {@link M3ChangeDays}. Rows of one page become records in one go.
 */
final class M3Reader implements ChangeReader {

    private static final Logger log = LoggerFactory.getLogger(M3Reader.class);

    /**
     * Where an entity lives in M3: the table read and its columns, whether its rows are read per division, a fixed
     * condition, and which rows become records (all, unless said otherwise).
     */
    record Source(TableRead read, boolean perDivision, String condition, Predicate<Row> wanted) {

        Source(TableRead read, boolean perDivision, String condition) {
            this(read, perDivision, condition, row -> true);
        }

        RowKey key() {
            return new RowKey(read.prefix(), read.keyFields());
        }
    }

    /**
     * Makes the calls a page's records need besides its rows (look-ups for the whole page in a few calls) and
     * returns the page's row mapping. Getting the mapping parses those answers: it runs on the thread that makes
     * the records, while the next page is read.
     */
    interface PageMapper {
        Supplier<Function<Row, Struct>> prepare(List<Row> rows);
    }

    /** An EXPORTMI answer: one fixed-width row per record; parsed when asked. */
    record Export(List<MiRecord> records, ExportColumns columns) {

        int size() {
            return records.size();
        }

        /** The rows keyed by the names the mapping reads. */
        List<Row> rows() {
            List<Row> rows = new ArrayList<>(size());
            for (MiRecord record : records) {
                rows.add(columns.parse(record.get("REPL")));
            }
            return rows;
        }

        /** The last row alone, e.g. for the key to read on from; the others stay unparsed. */
        Row lastRow() {
            return columns.parse(records.get(records.size() - 1).get("REPL"));
        }
    }

    private final M3Client m3;
    private final M3Layouts layouts;
    private final SourcePartition partition;
    private final Source source;
    private final PageMapper mapper;
    private final int pageSize;
    private final RowKey rowKey;
    private final ZoneId zone;
    /** Where reading starts: the stored bookmark, else {@code since}; which kind is known at the first read. */
    private final Map<String, ?> stored;
    private final Instant since;
    /** The bookmark: by LMTS, or by LMDT and CHNO on a table without LMTS (the other stays null). */
    private volatile M3ChangeCursor cursor;
    private volatile M3ChangeDays days;
    /** The columns read, chosen at the first read: with LMTS, or with LMDT and CHNO. */
    private ExportColumns columns;
    /** Day mode: the (LMDT/CHNO) each key was last emitted with, for the rows changed on or after the bookmark's day. */
    private final Map<String, String> emitted = new HashMap<>();

    /**
     * @param stored the stored bookmark (an {@link M3ChangeCursor} or {@link M3ChangeDays} map), or null to start
     *               with the rows changed from {@code since}
     */
    M3Reader(M3Client m3, M3Layouts layouts, SourcePartition partition, Source source, PageMapper mapper, int pageSize,
             ZoneId zone, Map<String, ?> stored, Instant since) {
        this.m3 = m3;
        this.layouts = layouts;
        this.partition = partition;
        this.source = source;
        this.mapper = mapper;
        this.pageSize = pageSize;
        this.rowKey = source.key();
        this.zone = zone;
        this.stored = stored;
        this.since = since;
    }

    @Override
    public SourcePartition partition() {
        return partition;
    }

    @Override
    public Instant position() {
        M3ChangeCursor c = cursor;
        M3ChangeDays d = days;
        return c != null ? c.position() : d != null ? d.position(zone) : since;
    }

    @Override
    public Page read(int limit) {
        int n = Math.min(limit, pageSize);
        if (columns == null) {
            columns = chooseColumns();
        }
        if (columns.has(TableRead.STAMP)) {
            if (cursor == null) {
                cursor = stored == null ? M3ChangeCursor.since(since)
                        : stored.containsKey("lmdt") ? M3ChangeCursor.since(M3ChangeDays.from(stored, zone).position(zone))
                        : M3ChangeCursor.fromMap(stored);
            }
            return readByStamp(n);
        }
        if (days == null) {
            days = stored == null ? M3ChangeDays.since(since, zone) : M3ChangeDays.from(stored, zone);
        }
        return readByDay(n);
    }

    /**
     * LMTS is read as epoch milliseconds (infor.md leaves its format open): one row shows whether this tenant writes
     * it so. When it does not, the table is read by change date and number, as on a table without LMTS.
     */
    private ExportColumns chooseColumns() {
        ExportColumns byStamp = layouts.columns(source.read());
        if (!byStamp.has(TableRead.STAMP)) {
            return byStamp;
        }
        List<Row> sample = select(byStamp, column("LMTS") + " > 0", 1);
        String value = sample.isEmpty() ? null : sample.get(0).text("LMTS");
        if (value == null || isEpochMillis(value)) {
            return byStamp;
        }
        log.warn("{}: LMTS {} is not in epoch milliseconds; reading {} by change date and change number", partition, value,
                source.read().table());
        return layouts.columns(source.read(), true);
    }

    /** Epoch milliseconds of this century: 13 digits. A yyyyMMddHHmmss... stamp has 17 or more. */
    static boolean isEpochMillis(String value) {
        try {
            long v = Long.parseLong(value);
            return v >= 946_684_800_000L && v < 4_102_444_800_000L;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Page readByStamp(int n) {
        if (cursor.windowEnd() == null) {
            List<Row> rows = select(lowerBound(), n);
            if (rows.size() < n) {
                // Every row changed after the bookmark is here: emit in change order, each row its own bookmark.
                rows.sort(Comparator.comparingLong((Row r) -> stamp(r)).thenComparing(rowKey::of, rowKey.order()));
                Supplier<Function<Row, Struct>> mapping = mapper.prepare(rows);
                List<Map<String, Object>> offsets = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    cursor = cursor.after(stamp(row), rowKey.of(row));
                    offsets.add(cursor.toMap());
                }
                return page(rows, mapping, offsets, false);
            }
            // A backlog: the window ends at the newest stamp seen, which M3 has already handed out. The probe is
            // exactly the window's first page in key order.
            long end = rows.stream().mapToLong(this::stamp).max().orElseThrow();
            cursor = cursor.inWindow(end, null);
            return windowPage(rows, n);
        }
        String inWindow = lowerBound() + " and " + column("LMTS") + " <= " + cursor.windowEnd()
                + (cursor.windowKey() == null ? "" : " and " + rowKey.after(cursor.windowKey()));
        return windowPage(select(inWindow, n), n);
    }

    /** One page of the current pass over the rows changed on or after the bookmark's day, in key order. */
    private Page readByDay(int n) {
        String condition = column("LMDT") + " >= " + days.day()
                + (days.passKey() == null ? "" : " and " + rowKey.after(days.passKey()));
        List<Row> rows = select(condition, n);
        List<Row> changed = new ArrayList<>(rows.size());
        List<Map<String, Object>> offsets = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String key = rowKey.of(row);
            long day = changeDay(row);
            days = days.after(key, day);
            String version = day + "/" + row.text("CHNO");
            if (!version.equals(emitted.put(key, version))) {
                changed.add(row);
                offsets.add(days.toMap());
            }
        }
        boolean more = rows.size() >= n;
        if (!more) {
            long next = days.maxDay();
            emitted.values().removeIf(v -> Long.parseLong(v.substring(0, v.indexOf('/'))) < next);
            days = days.passDone();
        }
        return page(changed, mapper.prepare(changed), offsets, more);
    }

    private Page windowPage(List<Row> rows, int n) {
        Supplier<Function<Row, Struct>> mapping = mapper.prepare(rows);
        List<Map<String, Object>> offsets = new ArrayList<>(rows.size());
        for (Row row : rows) {
            cursor = cursor.inWindow(cursor.windowEnd(), rowKey.of(row));
            offsets.add(cursor.toMap());
        }
        if (rows.size() < n) {
            cursor = cursor.windowDone();
        }
        return page(rows, mapping, offsets, true);
    }

    /** The cursor has moved past the page; each row's record carries the position right after that row. */
    private Page page(List<Row> rows, Supplier<Function<Row, Struct>> mapping, List<Map<String, Object>> offsets,
                      boolean more) {
        return new Page(rows.size(), more, () -> {
            Function<Row, Struct> map = mapping.get();
            List<Read> reads = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                if (row.fault() == null && !source.wanted().test(row)) {
                    continue;
                }
                reads.add(Read.of(row, rowKey.describe(row), map, offsets.get(i), this::describe));
            }
            return reads;
        });
    }

    private String describe(String number) {
        return partition.entity().id() + " " + (number == null ? "(no " + String.join("/", source.read().keyFields()) + ")" : number) + " of M3 "
                + partition.company() + (partition.division().isEmpty() ? "" : "/" + partition.division())
                + " (" + source.read().table() + ")";
    }

    private String lowerBound() {
        String lmts = column("LMTS");
        if (cursor.key() == null) {
            return lmts + " >= " + cursor.lmts();
        }
        return "(" + lmts + " > " + cursor.lmts() + " or (" + lmts + " = " + cursor.lmts() + " and "
                + rowKey.after(cursor.key()) + "))";
    }

    private String column(String field) {
        return source.read().prefix() + field;
    }

    /** The change stamp orders everything: a row without one cannot be placed, so it fails the task whatever the error setting. */
    private long stamp(Row row) {
        if (row.text("LMTS") != null && !isEpochMillis(row.text("LMTS"))) {
            throw new ConnectException(describe(rowKey.describe(row)) + ": LMTS " + row.text("LMTS") + " is not in epoch "
                    + "milliseconds, which the rows read so far were; restart the task to read " + source.read().table()
                    + " by change date and change number");
        }
        try {
            return row.wholeNumber("LMTS");
        } catch (BadRowException e) {
            throw new DataException(describe(rowKey.describe(row)) + ": " + e.getMessage()
                    + "; the bookmark cannot move past a row without a change stamp");
        }
    }

    /** The change date orders the passes: a row without one cannot be placed, so it fails the task. */
    private long changeDay(Row row) {
        try {
            LocalDate day = row.m3Date("LMDT");
            if (day == null) {
                throw new BadRowException("field LMDT is missing");
            }
            return Long.parseLong(M3ChangeDays.YMD.format(day));
        } catch (BadRowException e) {
            throw new DataException(describe(rowKey.describe(row)) + ": " + e.getMessage()
                    + "; the bookmark cannot move past a row without a change date");
        }
    }

    private List<Row> select(String condition, int max) {
        return select(columns, condition, max);
    }

    private List<Row> select(ExportColumns cols, String condition, int max) {
        StringBuilder where = new StringBuilder(condition);
        if (source.perDivision()) {
            where.append(" and ").append(column("DIVI")).append(" = ").append(KeyOrder.quote(partition.division()));
        }
        if (source.condition() != null) {
            where.append(" and ").append(source.condition());
        }
        return export(m3, partition.company(), cols, where.toString(), max).rows();
    }

    /**
     * EXPORTMI SelectPad in the company's session with a blank separator: fixed-width rows, no header. The columns
     * come from the tenant's layout, so their widths are the ones M3 pads to.
     */
    static Export export(M3Client m3, String company, ExportColumns columns, String where, int max) {
        return new Export(m3.execute(MiRequest.builder("EXPORTMI", "SelectPad")
                .set("QERY", columns.query() + " from " + columns.table() + " where " + where).set("HDRS", "0")
                .company(company).maxRecords(max).build()).records(), columns);
    }
}
