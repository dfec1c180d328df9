package io.mlconnector.simulators.ion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class WhereClauseTest {

    private static final Set<String> COLUMNS = Set.of("PoNum", "RecordDate", "Amt", "Note");

    private static Predicate<Map<String, String>> parse(String text) {
        return WhereClause.parse(text, c -> COLUMNS.stream().filter(k -> k.equalsIgnoreCase(c)).findFirst().orElse(null));
    }

    private static Map<String, String> row(String po, String date, String amt, String note) {
        Map<String, String> r = new HashMap<>();
        r.put("PoNum", po);
        r.put("RecordDate", date);
        r.put("Amt", amt);
        r.put("Note", note);
        return r;
    }

    private static WhereClause.Bounds bounds(String text) {
        return WhereClause.bounds(text, c -> COLUMNS.stream().filter(k -> k.equalsIgnoreCase(c)).findFirst().orElse(null), "PoNum");
    }

    @Test
    void boundsComeOnlyFromTopLevelAndTermsWithALiteral() {
        assertEquals(new WhereClause.Bounds("PO1", "PO9"), bounds("PoNum >= 'PO1' and PoNum <= 'PO9'"));
        assertEquals(new WhereClause.Bounds("PO5", null), bounds("(Amt > 1 or (Amt = 1 and PoNum > 'PO3')) and PoNum > 'PO5' and Amt <= 9"));
        assertEquals(new WhereClause.Bounds("PO2", "PO2"), bounds("PoNum = N'PO2'"));
        assertEquals(WhereClause.Bounds.NONE, bounds("PoNum > 'PO1' or Amt = 2"));
        assertEquals(WhereClause.Bounds.NONE, bounds("not PoNum > 'PO1'"));
        assertEquals(WhereClause.Bounds.NONE, bounds("(PoNum = 'PO1' or PoNum = 'PO2')"));
        assertEquals(WhereClause.Bounds.NONE, bounds("PoNum > Note"));
    }

    @Test
    void inListsMatchAnyOfTheirLiterals() {
        Map<String, String> r = row("PO10", "20240503 10:11:12.345", "9", null);
        assertTrue(parse("PoNum in (N'PO9', N'PO10')").test(r));
        assertTrue(parse("PoNum in ('PO10')").test(r));
        assertFalse(parse("PoNum in (N'PO1',N'PO100')").test(r));
        assertTrue(parse("Amt in (8, 9) and PoNum in ('PO10')").test(r));
        assertFalse(parse("Note in ('x')").test(r), "NULL is in no list");
        assertThrows(IllegalArgumentException.class, () -> parse("PoNum in (Amt)"));
        assertThrows(IllegalArgumentException.class, () -> parse("PoNum in ('PO1'"));
    }

    @Test
    void comparesNumbersAsNumbersAndTextAsText() {
        Map<String, String> r = row("PO10", "20240503 10:11:12.345", "9.5", null);
        assertTrue(parse("Amt < 10").test(r), "9.5 < 10 numerically, though not as text");
        assertTrue(parse("Amt = 9.50").test(r));
        assertTrue(parse("RecordDate > '20240503 10:11:12.344'").test(r));
        assertFalse(parse("RecordDate >= N'20240503 10:11:12.346'").test(r));
        assertTrue(parse("PoNum <> 'PO9'").test(r));
        assertTrue(parse("PoNum like 'PO1%'").test(r));
        assertTrue(parse("Note is null and PoNum is not null").test(r));
    }

    @Test
    void andBindsTighterThanOrAndParenthesesAndNotWork() {
        Map<String, String> r = row("A", "1", "1", "x");
        assertTrue(parse("PoNum = 'B' and Amt = 2 or Note = 'x'").test(r));
        assertFalse(parse("PoNum = 'B' and (Amt = 2 or Note = 'x')").test(r));
        assertTrue(parse("not (PoNum = 'B')").test(r));
        assertTrue(parse("Note = 'it''s'").test(row("A", "1", "1", "it's")));
        assertTrue(parse("").test(r));
    }

    @Test
    void rejectsFunctionsUnknownColumnsAndBrokenText() {
        IllegalArgumentException fn = assertThrows(IllegalArgumentException.class, () -> parse("GETDATE() > RecordDate"));
        assertTrue(fn.getMessage().contains("IllegalFilterException"));
        assertThrows(IllegalArgumentException.class, () -> parse("Nope = 1"));
        assertThrows(IllegalArgumentException.class, () -> parse("PoNum = 'open"));
        assertThrows(IllegalArgumentException.class, () -> parse("PoNum = 'a' extra"));
        assertThrows(IllegalArgumentException.class, () -> parse("PoNum ="));
    }
}
