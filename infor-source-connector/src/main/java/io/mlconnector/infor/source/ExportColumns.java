package io.mlconnector.infor.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns one EXPORTMI read asks for, in order, with their widths, and the parse of the fixed-width rows
 * {@code SelectPad} answers with a blank separator. Every value has its own place, so no text in it (a separator,
 * quote, line break or any script) can move another value. A row that does not fit is not guessed at: longer than
 * the widths add up to, or with the last column (a copy of the column {@code check} names) not matching, only its
 * leading anchors (key and change stamp) are read, and the row is marked as faulty.
 *
 * @param anchors how many leading slots are key or change-stamp columns
 * @param check   the column whose copy is the last slot, {@link #CHECK}
 */
record ExportColumns(String table, List<Slot> slots, int anchors, String check) {

    /** The name of the last slot, which repeats the {@code check} column. */
    static final String CHECK = "#CHECK";

    /** A value's place: the name the mapping reads it under, the column asked for, and its width. */
    record Slot(String name, String column, int width) {
    }

    /** {@code IAPUNO,IALMTS,...} for the QERY. */
    String query() {
        return String.join(",", slots.stream().map(Slot::column).toList());
    }

    boolean has(String name) {
        return slots.stream().anyMatch(s -> s.name().equals(name));
    }

    int rowWidth() {
        return slots.stream().mapToInt(Slot::width).sum();
    }

    /**
     * One row. Widths count characters as M3 (Java) does; a row whose UTF-16 length does not fit but whose code
     * points do is read by code points. A shorter row is one whose trailing blanks were trimmed on the way.
     */
    Row parse(String repl) {
        int width = rowWidth();
        Map<String, String> values = null;
        if (repl.length() <= width) {
            values = values(repl, slots.size(), false);
        } else if (repl.codePointCount(0, repl.length()) <= width) {
            values = values(repl, slots.size(), true);
        }
        if (values != null && values.get(CHECK).equals(values.get(check))) {
            values.remove(CHECK);
            return new Row(values);
        }
        Map<String, String> leading = values(repl, anchors, false);
        leading.put("REPL", repl);
        return new Row(leading, "EXPORTMI sent a row that does not fit the columns of " + table + " (" + query()
                + ", " + width + " characters): a value is longer than EXPORTMI/LstFields says");
    }

    private Map<String, String> values(String row, int count, boolean byCodePoints) {
        Map<String, String> values = new HashMap<>(count * 2);
        int at = 0;
        for (int i = 0; i < count; i++) {
            Slot slot = slots.get(i);
            int end = byCodePoints ? advance(row, at, slot.width()) : Math.min(row.length(), at + slot.width());
            values.put(slot.name(), row.substring(at, end).trim());
            at = end;
        }
        return values;
    }

    private static int advance(String s, int from, int codePoints) {
        int end = from;
        for (int i = 0; i < codePoints && end < s.length(); i++) {
            end += Character.charCount(s.codePointAt(end));
        }
        return end;
    }
}
