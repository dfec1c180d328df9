package io.mlconnector.infor.source;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Reads a source offset, stored or user-given. Besides the backend's own bookmark ({@link M3ChangeCursor}, or
 * {@link M3ChangeDays} on an M3 table without LMTS, {@link SyteLineBookmark}) a user may PATCH {@code {"since": "2024-05-01"}} (a date in the tenant zone, or an
 * ISO instant such as {@code 2024-05-01T06:00:00Z}): reading restarts with the rows changed from then on.
 */
final class SourceOffset {

    static final String SINCE = "since";

    private SourceOffset() {
    }

    /** Checks an offset's shape for {@code alterOffsets}; null (a reset) is fine. */
    static void validate(InforBackend backend, Map<String, ?> offset) {
        if (offset == null) {
            return;
        }
        if (offset.containsKey(SINCE)) {
            since(offset, ZoneId.of("UTC"));
        } else if (backend == InforBackend.M3 && offset.containsKey("lmdt")) {
            M3ChangeDays.from(offset, ZoneId.of("UTC"));
        } else if (backend == InforBackend.M3) {
            M3ChangeCursor.fromMap(offset);
        } else {
            SyteLineBookmark.fromMap(offset);
        }
    }

    static boolean isSince(Map<String, ?> offset) {
        return offset != null && offset.containsKey(SINCE);
    }

    static Instant since(Map<String, ?> offset, ZoneId zone) {
        Object v = offset.get(SINCE);
        if (!(v instanceof String s)) {
            throw new ConnectException("offset " + offset + ": \"since\" must be a yyyy-MM-dd date or an ISO instant");
        }
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(zone).toInstant() : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ConnectException("offset " + offset + ": \"since\" must be a yyyy-MM-dd date or an ISO instant such as 2024-05-01T06:00:00Z");
        }
    }
}
