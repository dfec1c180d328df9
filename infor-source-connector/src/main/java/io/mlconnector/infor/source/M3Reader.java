package io.mlconnector.infor.source;

import io.mlconnector.infor.M3Client;
import io.mlconnector.infor.MiRecord;
import io.mlconnector.infor.MiRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Reads one M3 table of one company (and division) with EXPORTMI, following an {@link M3ChangeCursor}: a page
 * of rows changed after the bookmark, or, when more are waiting than a page holds, a closed LMTS window read in
 * key order with maxrecs and a restart after the last key. Rows of one page become records in one go.
 */
final class M3Reader implements ChangeReader {

    /**
     * Where an entity lives in M3: table, column prefix, the key columns that order rows within the partition,
     * the columns read.
     */
    record Source(String table, String prefix, List<String> keyFields, List<String> fields, boolean perDivision,
                  String condition) {

        RowKey key() {
            return new RowKey(prefix, keyFields);
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

    /** An EXPORTMI answer: a header row of column names, then the rows, each {@code |}-separated; parsed when asked. */
    record Export(List<MiRecord> records, String prefix, String table) {

        int size() {
            return records.isEmpty() ? 0 : records.size() - 1;
        }

        /** The rows keyed by field name without the table prefix. */
        List<Row> rows() {
            List<Row> rows = new ArrayList<>(size());
            if (records.isEmpty()) {
                return rows;
            }
            String[] names = columns();
            for (MiRecord record : records.subList(1, records.size())) {
                rows.add(row(names, record));
            }
            return rows;
        }

        /** The last row alone, e.g. for the key to read on from; the others stay unparsed. */
        Row lastRow() {
            return row(columns(), records.get(records.size() - 1));
        }

        private String[] columns() {
            String[] names = records.get(0).get("REPL").split("\\|", -1);
            for (int i = 0; i < names.length; i++) {
                names[i] = names[i].trim().substring(prefix.length());
            }
            return names;
        }

        private Row row(String[] names, MiRecord record) {
            String[] values = record.get("REPL").split("\\|", -1);
            if (values.length != names.length) {
                throw new DataException("EXPORTMI on " + table + " sent a row with " + values.length + " values for "
                        + names.length + " columns (a value contains the separator '|')");
            }
            Map<String, String> row = new LinkedHashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                row.put(names[i], values[i].trim());
            }
            return new Row(row);
        }
    }

    private final M3Client m3;
    private final SourcePartition partition;
    private final Source source;
    private final PageMapper mapper;
    private final int pageSize;
    private final RowKey rowKey;
    private volatile M3ChangeCursor cursor;

    M3Reader(M3Client m3, SourcePartition partition, Source source, PageMapper mapper, int pageSize, M3ChangeCursor start) {
        this.m3 = m3;
        this.partition = partition;
        this.source = source;
        this.mapper = mapper;
        this.pageSize = pageSize;
        this.rowKey = source.key();
        this.cursor = start;
    }

    @Override
    public SourcePartition partition() {
        return partition;
    }

    @Override
    public Instant position() {
        return cursor.position();
    }

    M3ChangeCursor cursor() {
        return cursor;
    }

    @Override
    public Page read(int limit) {
        int n = Math.min(limit, pageSize);
        if (cursor.windowEnd() == null) {
            List<Row> rows = select(lowerBound(), n);
            if (rows.size() < n) {
                // Every row changed after the bookmark is here: emit in change order, each row its own bookmark.
                rows.sort(Comparator.comparingLong((Row r) -> stamp(r)).thenComparing(rowKey::of, rowKey.order()));
                Supplier<Function<Row, Struct>> mapping = mapper.prepare(rows);
                List<M3ChangeCursor> offsets = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    cursor = cursor.after(stamp(row), rowKey.of(row));
                    offsets.add(cursor);
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

    private Page windowPage(List<Row> rows, int n) {
        Supplier<Function<Row, Struct>> mapping = mapper.prepare(rows);
        List<M3ChangeCursor> offsets = new ArrayList<>(rows.size());
        for (Row row : rows) {
            cursor = cursor.inWindow(cursor.windowEnd(), rowKey.of(row));
            offsets.add(cursor);
        }
        if (rows.size() < n) {
            cursor = cursor.windowDone();
        }
        return page(rows, mapping, offsets, true);
    }

    /** The cursor has moved past the page; each row's record carries the position right after that row. */
    private Page page(List<Row> rows, Supplier<Function<Row, Struct>> mapping, List<M3ChangeCursor> offsets, boolean more) {
        return new Page(rows.size(), more, () -> {
            Function<Row, Struct> map = mapping.get();
            List<Read> reads = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                reads.add(Read.of(row, rowKey.describe(row), map, offsets.get(i).toMap(), this::describe));
            }
            return reads;
        });
    }

    private String describe(String number) {
        return partition.entity().id() + " " + (number == null ? "(no " + String.join("/", source.keyFields()) + ")" : number) + " of M3 "
                + partition.company() + (partition.division().isEmpty() ? "" : "/" + partition.division())
                + " (" + source.table() + ")";
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
        return source.prefix() + field;
    }

    /** The change stamp orders everything: a row without one cannot be placed, so it fails the task whatever the error setting. */
    private long stamp(Row row) {
        try {
            return row.wholeNumber("LMTS");
        } catch (BadRowException e) {
            throw new DataException(describe(rowKey.describe(row)) + ": " + e.getMessage()
                    + "; the bookmark cannot move past a row without a change stamp");
        }
    }

    private List<Row> select(String condition, int max) {
        StringBuilder where = new StringBuilder(condition);
        if (source.perDivision()) {
            where.append(" and ").append(column("DIVI")).append(" = ").append(KeyOrder.quote(partition.division()));
        }
        if (source.condition() != null) {
            where.append(" and ").append(source.condition());
        }
        return exportSelect(m3, partition.company(), source.prefix(), source.fields(), source.table(), where.toString(), max);
    }

    /** EXPORTMI Select in the company's session, {@code |}-separated with a header row, parsed. */
    static List<Row> exportSelect(M3Client m3, String company, String prefix, List<String> fields, String table,
                                  String where, int max) {
        return export(m3, company, prefix, fields, table, where, max).rows();
    }

    /** EXPORTMI Select in the company's session, {@code |}-separated with a header row, as answered. */
    static Export export(M3Client m3, String company, String prefix, List<String> fields, String table, String where,
                         int max) {
        String columns = String.join(",", fields.stream().map(f -> prefix + f).toList());
        return new Export(m3.execute(MiRequest.builder("EXPORTMI", "Select")
                .set("QERY", columns + " from " + table + " where " + where).set("SEPC", "|").set("HDRS", "1")
                .company(company).maxRecords(max).build()).records(), prefix, table);
    }
}
