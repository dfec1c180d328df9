package io.mlconnector.infor.source;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The M3 bookmark, kept as the source offset. M3 stamps every change with LMTS (change timestamp, here epoch
 * milliseconds) besides LMDT (change date) and CHNO (change number), and EXPORTMI answers in key order, so:
 *
 * <ul>
 *   <li>{@code lmts}/{@code key}: everything ordered up to (LMTS, key) has been emitted; the next read asks for
 *       {@code LMTS > lmts or (LMTS = lmts and key > key)}. Rows sharing a stamp are never skipped, and none is
 *       emitted twice. A null key means nothing at {@code lmts} has been emitted yet.</li>
 *   <li>{@code windowEnd}/{@code windowKey}: a backlog larger than a page is read as the closed window
 *       (lower bound, windowEnd] in key order, restarting after {@code windowKey}. windowEnd is a stamp M3 already
 *       handed out, so a row changed while the window is read gets a later stamp and leaves the window: it is
 *       read later as its new version, never lost.</li>
 * </ul>
 */
public record M3ChangeCursor(long lmts, String key, Long windowEnd, String windowKey) {

    static M3ChangeCursor since(Instant instant) {
        return new M3ChangeCursor(instant.toEpochMilli(), null, null, null);
    }

    M3ChangeCursor after(long stamp, String rowKey) {
        return new M3ChangeCursor(stamp, rowKey, null, null);
    }

    M3ChangeCursor inWindow(long end, String lastKey) {
        return new M3ChangeCursor(lmts, key, end, lastKey);
    }

    /** The window has been read to its end: continue after every stamp up to windowEnd. */
    M3ChangeCursor windowDone() {
        return new M3ChangeCursor(windowEnd + 1, null, null, null);
    }

    Instant position() {
        return Instant.ofEpochMilli(windowEnd == null ? lmts : Math.min(lmts, windowEnd));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("lmts", lmts);
        map.put("key", key);
        map.put("window_end", windowEnd);
        map.put("window_key", windowKey);
        return map;
    }

    /** Reads a stored offset; the message says which field is wrong. */
    static M3ChangeCursor fromMap(Map<String, ?> map) {
        long lmts = number(map, "lmts");
        Object end = map.get("window_end");
        Long windowEnd = end == null ? null : number(map, "window_end");
        if (windowEnd != null && windowEnd < lmts) {
            throw new ConnectException("M3 offset " + map + ": window_end must not be before lmts");
        }
        return new M3ChangeCursor(lmts, text(map, "key"), windowEnd, windowEnd == null ? null : text(map, "window_key"));
    }

    private static long number(Map<String, ?> map, String field) {
        Object v = map.get(field);
        if (!(v instanceof Number n) || n.longValue() < 0 || (n instanceof Double || n instanceof Float)) {
            throw new ConnectException("M3 offset " + map + ": \"" + field + "\" must be a non-negative whole number (epoch milliseconds)");
        }
        return n.longValue();
    }

    private static String text(Map<String, ?> map, String field) {
        Object v = map.get(field);
        if (v != null && !(v instanceof String)) {
            throw new ConnectException("M3 offset " + map + ": \"" + field + "\" must be a string or null");
        }
        return (String) v;
    }
}
