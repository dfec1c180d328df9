package io.mlconnector.connect.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's entries: their JSON, and how an entry with no record follows one that knew it. */
class LedgerEntryTest {

    private static final RecordIdentity PO = new RecordIdentity("m3", "ACME_TST", "100", "AAA", "purchase-orders",
            "4000000018");

    @Test
    void anEntrySurvivesItsJson() {
        LedgerEntry entry = new LedgerEntry("500", "100-4000000018", "123", PO, "1", "42", Map.of("name", "ab12"),
                Instant.parse("2026-12-04T10:00:00Z"));
        assertEquals(entry, LedgerEntry.fromJson(entry.toJson()));
        LedgerEntry pending = LedgerEntry.pending("500", "100-4000000019", PO, "1", Instant.parse("2026-12-04T10:00:00Z"));
        assertEquals(pending, LedgerEntry.fromJson(pending.toJson()));
    }

    @Test
    void somethingElseIsNotAnEntry() {
        assertThrows(IllegalArgumentException.class, () -> LedgerEntry.fromJson("{\"version\":2}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> LedgerEntry.fromJson("not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAdoptionAfterTheWriterKeepsTheRecordOfTheSameTask() {
        LedgerEntry written = new LedgerEntry("500", "k", "123", PO, "1", null, Map.of(), Instant.now());
        LedgerEntry adopted = new LedgerEntry("500", "k", "123", null, "1", null, Map.of(), Instant.now());
        assertEquals(PO, adopted.after(written).record());
        LedgerEntry otherTask = new LedgerEntry("500", "k", "999", null, "1", null, Map.of(), Instant.now());
        assertNull(otherTask.after(written).record(), "a different task does not inherit the record");
    }
}
