package io.mlconnector.infor.source;

import static io.mlconnector.infor.source.TableRead.Column.firstOf;
import static io.mlconnector.infor.source.TableRead.Column.optional;
import static io.mlconnector.infor.source.TableRead.Column.required;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fixed-width EXPORTMI rows: no text can move another value; what does not fit is marked, with its key. */
class ExportColumnsTest {

    private static final TableLayout CIDMAS = new TableLayout("CIDMAS",
            Map.of("SUNO", 10, "SUNM", 36, "STAT", 2, "LMTS", 18, "CONO", 3));
    private static final TableRead SUPPLIERS = new TableRead("CIDMAS", "ID", List.of("SUNO"),
            List.of(required("SUNM"), optional("CUCD"), required("SUNO"), optional("STAT"), required("LMTS")));

    private static final String STAMP = pad("1700000000000", 18);

    private static String pad(String value, int width) {
        return value + " ".repeat(width - value.length());
    }

    @Test
    void keysAndStampComeFirstAndMissingOptionalColumnsAreDropped() {
        TableRead.Resolution r = SUPPLIERS.resolve(CIDMAS);
        assertEquals("IDSUNO,IDLMTS,IDSUNM,IDSTAT,IDLMTS", r.columns().query(), "the stamp again last, as the check");
        assertEquals(2, r.columns().anchors());
        assertEquals(List.of(), r.missingRequired());
        assertEquals(1, r.notes().size());
        assertTrue(r.notes().get(0).contains("IDCUCD"), r.notes().toString());
    }

    @Test
    void withoutLmtsChangesAreReadByChangeDateAndNumberAndWithoutEitherTheStampIsMissing() {
        TableLayout noStamp = new TableLayout("CIDMAS", Map.of("SUNO", 10, "SUNM", 36, "LMDT", 8, "CHNO", 3));
        TableRead.Resolution r = SUPPLIERS.resolve(noStamp);
        assertEquals("IDSUNO,IDLMDT,IDCHNO,IDSUNM,IDSUNO", r.columns().query(), "key, change date and number, key check");
        assertEquals(3, r.columns().anchors());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("changes are found by IDLMDT (change date) and IDCHNO")));
        TableLayout neither = new TableLayout("CIDMAS", Map.of("SUNO", 10, "SUNM", 36, "LMDT", 8));
        assertEquals(List.of("CIDMAS.IDLMTS (or IDLMDT and IDCHNO)"), SUPPLIERS.resolve(neither).missingRequired());
    }

    @Test
    void missingRequiredColumnsAreNamedWithTheirTable() {
        TableRead read = new TableRead("CIDMAS", "ID", List.of("SUNO"), List.of(required("SUNO"), required("TEPY")));
        assertEquals(List.of("CIDMAS.IDTEPY"), read.resolve(CIDMAS).missingRequired());
    }

    @Test
    void anAlternativeColumnIsReadUnderTheWantedName() {
        TableLayout mphead = new TableLayout("MPHEAD", Map.of("PUNO", 10, "NTAM", 17));
        TableRead read = new TableRead("MPHEAD", "IA", List.of("PUNO"), List.of(required("PUNO"), firstOf("COAM", "NTAM")));
        TableRead.Resolution r = read.resolve(mphead);
        assertEquals("IAPUNO,IANTAM,IAPUNO", r.columns().query(), "without a stamp the key is the check");
        Row row = r.columns().parse(pad("4000000001", 10) + pad("1250.50", 17) + "4000000001");
        assertEquals("1250.50", row.text("COAM"));
    }

    @Test
    void freeTextOfAnyKindStaysInItsColumn() {
        ExportColumns columns = SUPPLIERS.resolve(CIDMAS).columns();
        for (String name : List.of("Müller | Söhne; \"Nord\"", "a|b|c|d|e|f", "line one\nline two", "北京 ; Москва 'x'",
                "*SUNM#STAT*", "trailing blanks   ")) {
            Row row = columns.parse(pad("S00001", 10) + pad("1700000000000", 18) + pad(name, 36) + "20" + STAMP);
            assertEquals(name.trim(), row.text("SUNM"));
            assertEquals("S00001", row.text("SUNO"));
            assertEquals("20", row.text("STAT"));
            assertNull(row.fault());
        }
    }

    @Test
    void rowsTrimmedOnTheWayReadTheirBlankTailAsBlank() {
        Row row = SUPPLIERS.resolve(CIDMAS).columns().parse(pad("S00001", 10) + pad("1700000000000", 18) + pad("Acme", 36)
                + "  " + "1700000000000");
        assertEquals("Acme", row.text("SUNM"));
        assertNull(row.text("STAT"));
        assertNull(row.fault());
    }

    @Test
    void aValueThatPushedTheOthersAlongIsCaughtByTheCheckEvenWhenTheTailWasTrimmed() {
        // 40 characters in a 36-wide column, STAT blank: trimmed, the row is no longer than the widths add up to.
        String repl = pad("S00001", 10) + pad("1700000000000", 18) + "Forty characters of a name, too long.!!!" + "  "
                + STAMP.trim();
        assertTrue(repl.length() <= 10 + 18 + 36 + 2 + 18);
        Row row = SUPPLIERS.resolve(CIDMAS).columns().parse(repl);
        assertTrue(row.fault().contains("does not fit"), String.valueOf(row.fault()));
        assertEquals("S00001", row.text("SUNO"));
    }

    @Test
    void charactersOutsideTheBasicPlaneCountOnceWhenTheRowSaysSo() {
        String name = "Bolt \uD83D\uDD29 | M8";
        // Padded by code points: one character fewer of padding than the UTF-16 length would leave room for.
        String repl = pad("S00001", 10) + pad("1700000000000", 18) + name + " ".repeat(36 - name.codePointCount(0, name.length()))
                + "20" + STAMP;
        Row row = SUPPLIERS.resolve(CIDMAS).columns().parse(repl);
        assertEquals(name, row.text("SUNM"));
        assertEquals("20", row.text("STAT"));
    }

    @Test
    void aRowLongerThanItsColumnsIsMarkedWithItsKeyAndStampAndKeptWhole() {
        String repl = pad("S00001", 10) + pad("1700000000000", 18) + "a name longer than the thirty-six characters LstFields gives"
                + "20" + STAMP;
        Row row = SUPPLIERS.resolve(CIDMAS).columns().parse(repl);
        assertTrue(row.fault().contains("(IDSUNO,IDLMTS,IDSUNM,IDSTAT,IDLMTS, 84 characters)"), row.fault());
        assertEquals("S00001", row.text("SUNO"));
        assertEquals(1700000000000L, row.wholeNumber("LMTS"));
        assertNull(row.text("SUNM"));
        assertEquals(repl, row.fields().get("REPL"));
    }
}
