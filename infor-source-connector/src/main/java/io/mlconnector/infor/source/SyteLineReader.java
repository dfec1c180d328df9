package io.mlconnector.infor.source;

import io.mlconnector.infor.IdoClient;
import io.mlconnector.infor.IdoItem;
import io.mlconnector.infor.IdoLoadRequest;
import io.mlconnector.infor.IdoLoadResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Reads one IDO of one SyteLine site ordered by RecordDate, RowPointer from a {@link SyteLineBookmark}: the
 * first page with a filter from the bookmark, the following ones with loadtype NEXT and the IDO's bookmark.
 * RecordDate moves on every write, so a row changed while the backlog is read moves to its end and is read
 * as its new version.
 */
final class SyteLineReader implements ChangeReader {

    /**
     * Where an entity lives in SyteLine: the IDO, its number property, the properties read and a condition its
     * rows meet (null for every row).
     */
    record Source(String ido, String keyProperty, List<String> properties, String condition) {

        Source(String ido, String keyProperty, List<String> properties) {
            this(ido, keyProperty, properties, null);
        }
    }

    /** Prepares a page (look-ups for the whole page in a few calls), then maps each row. */
    interface PageMapper {
        Function<Row, Struct> prepare(List<Row> rows);
    }

    private final IdoClient ido;
    private final SourcePartition partition;
    private final Source source;
    private final PageMapper mapper;
    private final int pageSize;
    private final ZoneId zone;
    private volatile SyteLineBookmark bookmark;
    /** The NEXT request while a backlog is paged; null between reads. */
    private IdoLoadRequest next;

    SyteLineReader(IdoClient ido, SourcePartition partition, Source source, PageMapper mapper, int pageSize, ZoneId zone,
                   SyteLineBookmark start) {
        this.ido = ido;
        this.partition = partition;
        this.source = source;
        this.mapper = mapper;
        this.pageSize = pageSize;
        this.zone = zone;
        this.bookmark = start;
    }

    @Override
    public SourcePartition partition() {
        return partition;
    }

    @Override
    public Instant position() {
        return bookmark.position(zone);
    }

    SyteLineBookmark bookmark() {
        return bookmark;
    }

    @Override
    public Page read(int limit) {
        int n = Math.min(limit, pageSize);
        IdoLoadRequest request = next != null ? next.newBuilder().recordCap(n).build()
                : IdoLoadRequest.builder(source.ido()).properties(source.properties().toArray(String[]::new))
                .filter(filter()).orderBy("RecordDate,RowPointer").recordCap(n).readOnly(true).build();
        IdoLoadResponse response = ido.load(request);
        List<Row> rows = new ArrayList<>();
        for (IdoItem item : response.items()) {
            rows.add(new Row(item.properties()));
        }
        Function<Row, Struct> map = mapper.prepare(rows);
        List<SyteLineBookmark> offsets = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String recordDate = row.text("RecordDate");
            String rowPointer = row.text("RowPointer");
            if (recordDate == null || rowPointer == null) {
                throw new DataException(describe(row.text(source.keyProperty())) + ": RecordDate or RowPointer is missing; "
                        + "the bookmark cannot move past such a row");
            }
            bookmark = new SyteLineBookmark(recordDate, rowPointer);
            offsets.add(bookmark);
        }
        next = response.items().isEmpty() ? null : response.nextRequest();
        return new Page(rows.size(), next != null, () -> {
            List<Read> reads = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                reads.add(Read.of(row, row.text(source.keyProperty()), map, offsets.get(i).toMap(), this::describe));
            }
            return reads;
        });
    }

    private String filter() {
        String date = KeyOrder.quote(bookmark.recordDate());
        String changed = bookmark.rowPointer() == null ? "RecordDate >= " + date : "RecordDate > " + date
                + " or (RecordDate = " + date + " and RowPointer > " + KeyOrder.quote(bookmark.rowPointer()) + ")";
        return source.condition() == null ? changed : "(" + changed + ") and " + source.condition();
    }

    private String describe(String number) {
        return partition.entity().id() + " " + (number == null ? "(no " + source.keyProperty() + ")" : number)
                + " of SyteLine site " + partition.company() + " (" + source.ido() + ")";
    }
}
