package io.mlconnector.infor.source;

import io.mlconnector.infor.IdoItem;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The SyteLine bookmark, kept as the source offset: the RecordDate (site time, Mongoose's
 * {@code yyyyMMdd HH:mm:ss.SSS}) and RowPointer of the last row emitted. Rows are read ordered by
 * RecordDate, RowPointer, so the next read asks for {@code RecordDate > d or (RecordDate = d and RowPointer > p)}:
 * rows sharing a RecordDate are never skipped and none is emitted twice. A null row pointer means nothing at
 * {@code recordDate} has been emitted yet. Within one read the IDO's own bookmark pages with loadtype NEXT.
 */
public record SyteLineBookmark(String recordDate, String rowPointer) {

    static SyteLineBookmark since(Instant instant, ZoneId zone) {
        return new SyteLineBookmark(IdoItem.DATE_TIME.format(LocalDateTime.ofInstant(instant, zone)), null);
    }

    Instant position(ZoneId zone) {
        return LocalDateTime.parse(recordDate, IdoItem.DATE_TIME).atZone(zone).toInstant();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("record_date", recordDate);
        map.put("row_pointer", rowPointer);
        return map;
    }

    static SyteLineBookmark fromMap(Map<String, ?> map) {
        Object date = map.get("record_date");
        Object pointer = map.get("row_pointer");
        if (!(date instanceof String d)) {
            throw new ConnectException("SyteLine offset " + map + ": \"record_date\" must be a string like 20240503 10:11:12.345");
        }
        try {
            LocalDateTime.parse(d, IdoItem.DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new ConnectException("SyteLine offset " + map + ": \"record_date\" must look like 20240503 10:11:12.345");
        }
        if (pointer != null && !(pointer instanceof String)) {
            throw new ConnectException("SyteLine offset " + map + ": \"row_pointer\" must be a string or null");
        }
        return new SyteLineBookmark(d, (String) pointer);
    }
}
