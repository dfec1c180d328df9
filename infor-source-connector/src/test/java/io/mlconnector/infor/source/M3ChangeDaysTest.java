package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** The day bookmark of M3 tables without LMTS: its offset form, and the move to the newest day after a pass. */
class M3ChangeDaysTest {

    private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

    @Test
    void aPassEndsAtTheNewestDayItSaw() {
        M3ChangeDays days = M3ChangeDays.since(Instant.parse("2026-01-01T00:00:00Z"), STOCKHOLM)
                .after("A", 20260301).after("B", 20260105);
        assertEquals(new M3ChangeDays(20260101, "B", 20260301), days);
        assertEquals(new M3ChangeDays(20260301, null, 20260301), days.passDone());
        assertEquals(days, M3ChangeDays.from(days.toMap(), STOCKHOLM), "the offset reads back");
        assertEquals(Instant.parse("2025-12-31T23:00:00Z"), days.position(STOCKHOLM), "the day starts in the tenant zone");
    }

    @Test
    void anLmtsBookmarkGoesOnFromItsDay() {
        Map<String, Object> lmts = new M3ChangeCursor(Instant.parse("2026-03-04T12:00:00Z").toEpochMilli(), "K", null, null).toMap();
        assertEquals(new M3ChangeDays(20260304, null, 20260304), M3ChangeDays.from(lmts, STOCKHOLM));
    }

    @Test
    void aBadOffsetNamesItsField() {
        Map<String, Object> offset = new HashMap<>(Map.of("lmdt", 20261399));
        ConnectException e = assertThrows(ConnectException.class, () -> M3ChangeDays.from(offset, STOCKHOLM));
        assertTrue(e.getMessage().contains("\"lmdt\" must be a yyyyMMdd date"), e.getMessage());
        offset.put("lmdt", 20260101);
        offset.put("max_day", 20251231);
        assertThrows(ConnectException.class, () -> M3ChangeDays.from(offset, STOCKHOLM));
    }
}
