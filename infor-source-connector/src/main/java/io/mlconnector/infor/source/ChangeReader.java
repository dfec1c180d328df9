package io.mlconnector.infor.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads one {@link SourcePartition}: owns its bookmark and paging state, hands out a page per call. The
 * in-memory bookmark moves as soon as a page is handed out, so the next call never asks for the same rows;
 * after a restart Connect's committed offset is where reading resumes.
 */
interface ChangeReader {

    SourcePartition partition();

    /** At most {@code limit} rows from the API; {@link Page#more()} when more are waiting now (a backlog). */
    Page read(int limit);

    /** Changes up to about this instant have been read: the bookmark's age is the lag. */
    Instant position();

    /** A row of a page, mapped or not, and the offset that is committed once it is written. */
    record Read(Row row, String number, Struct value, String error, Map<String, ?> offset) {

        /**
         * The row made a record or, when malformed, described with {@code describe} of its key; either way with
         * the offset right after it. A record's number is the one its value carries, which may name more than the
         * key (a GL account's division).
         */
        static Read of(Row row, String key, Function<Row, Struct> map, Map<String, ?> offset,
                       Function<String, String> describe) {
            if (row.fault() != null) {
                return new Read(row, key, null, describe.apply(key) + ": " + row.fault(), offset);
            }
            try {
                Struct value = map.apply(row);
                return new Read(row, value.getString("number"), value, null, offset);
            } catch (BadRowException e) {
                return new Read(row, key, null, describe.apply(key) + ": " + e.getMessage(), offset);
            }
        }
    }

    /**
     * A page read: its number of rows, whether more are waiting, and the work that turns the rows into records.
     * That work makes no API call, so it may run on another thread while the next page is read.
     */
    record Page(int size, boolean more, Supplier<List<Read>> records) {
    }
}
