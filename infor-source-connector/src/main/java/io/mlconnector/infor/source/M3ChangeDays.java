package io.mlconnector.infor.source;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The M3 bookmark on a table without LMTS: changes found by LMDT (change date, a day) and CHNO (change number).
 * A day cannot order the changes within it, so every pass reads all rows changed on or after {@code day}, in key
 * order, a page at a time ({@code passKey} is the last key read), and a row is emitted when its (LMDT, CHNO) differs
 * from what this reader last emitted for it. When a pass ends, {@code day} moves to the newest change date the
 * pass saw ({@code maxDay}): a row changed after that gets today's date, never an older one, so nothing is lost.
 * What was emitted is kept in memory only: after a restart the rows changed on the bookmark's day come again once.
 */
record M3ChangeDays(long day, String passKey, long maxDay) {

    static final DateTimeFormatter YMD = DateTimeFormatter.BASIC_ISO_DATE;

    static M3ChangeDays since(Instant instant, ZoneId zone) {
        long day = Long.parseLong(YMD.format(instant.atZone(zone).toLocalDate()));
        return new M3ChangeDays(day, null, day);
    }

    /** The bookmark is an LMTS one (the tenant had LMTS before): go on from that instant's day. */
    static M3ChangeDays from(Map<String, ?> offset, ZoneId zone) {
        if (offset.containsKey("lmts")) {
            return since(M3ChangeCursor.fromMap(offset).position(), zone);
        }
        long day = number(offset, "lmdt");
        Object key = offset.get("pass_key");
        if (key != null && !(key instanceof String)) {
            throw new ConnectException("M3 offset " + offset + ": \"pass_key\" must be a string or null");
        }
        long maxDay = offset.get("max_day") == null ? day : number(offset, "max_day");
        if (maxDay < day) {
            throw new ConnectException("M3 offset " + offset + ": max_day must not be before lmdt");
        }
        return new M3ChangeDays(day, (String) key, maxDay);
    }

    M3ChangeDays after(String key, long rowDay) {
        return new M3ChangeDays(day, key, Math.max(maxDay, rowDay));
    }

    /** The pass read every row changed on or after {@code day}: the next one starts at the newest day it saw. */
    M3ChangeDays passDone() {
        return new M3ChangeDays(maxDay, null, maxDay);
    }

    Instant position(ZoneId zone) {
        return LocalDate.parse(String.valueOf(day), YMD).atStartOfDay(zone).toInstant();
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("lmdt", day);
        map.put("pass_key", passKey);
        map.put("max_day", maxDay);
        return map;
    }

    private static long number(Map<String, ?> map, String field) {
        Object v = map.get(field);
        String message = "M3 offset " + map + ": \"" + field + "\" must be a yyyyMMdd date as a whole number";
        if (!(v instanceof Number n) || n instanceof Double || n instanceof Float) {
            throw new ConnectException(message);
        }
        try {
            LocalDate.parse(String.valueOf(n.longValue()), YMD);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConnectException(message);
        }
        return n.longValue();
    }
}
