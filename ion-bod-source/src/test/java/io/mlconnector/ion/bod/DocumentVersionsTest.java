package io.mlconnector.ion.bod;

import static io.mlconnector.ion.bod.DocumentVersions.Verdict.DUPLICATE;
import static io.mlconnector.ion.bod.DocumentVersions.Verdict.NEW;
import static io.mlconnector.ion.bod.DocumentVersions.Verdict.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentVersionsTest {

    private final Map<Map<String, Object>, Map<String, Object>> stored = new HashMap<>();
    private final List<Map<String, Object>> reads = new ArrayList<>();
    private final DocumentVersions versions = new DocumentVersions(partition -> {
        reads.add(partition);
        return stored.get(partition);
    }, 2);

    private static Map<String, Object> document(String number) {
        return Map.of("protocol", "1", "tenant", "T", "entity", "purchase-orders", "company", "100", "number", number);
    }

    private DocumentVersions.Verdict decide(String number, Long variation, String messageId) {
        return versions.decide(document(number), variation, messageId).verdict();
    }

    @Test
    void higherVariationsAreNewEqualOnesDuplicatesLowerOnesStale() {
        assertEquals(NEW, decide("1", 3L, "m3"));
        assertEquals(DUPLICATE, decide("1", 3L, "m3"), "ION's redelivery of the same message");
        assertEquals(DUPLICATE, decide("1", 3L, "other"), "the same version under a new message id (a flow step)");
        assertEquals(STALE, decide("1", 2L, "m2"));
        assertEquals(NEW, decide("1", 5L, "m5"));
        assertEquals(STALE, decide("1", 4L, "m4"), "arrived after a newer one");
        assertEquals(NEW, decide("2", 1L, "n1"), "each document has its own versions");
    }

    @Test
    void withoutVariationsOnlyTheSameMessageIsADuplicate() {
        assertEquals(NEW, decide("1", null, "a"));
        assertEquals(DUPLICATE, decide("1", null, "a"));
        assertEquals(NEW, decide("1", null, "b"));
        assertEquals(NEW, decide("1", 4L, "c"));
        assertEquals(NEW, decide("1", null, "d"), "no variation: cannot be told stale");
        assertEquals(STALE, decide("1", 3L, "e"), "variation 4 stays the bar after a message without one");
    }

    @Test
    void theStoredOffsetIsReadOnceAndDecidesAfterARestart() {
        stored.put(document("1"), new DocumentVersions.Version(8L, "m8").toOffset());

        assertEquals(STALE, decide("1", 7L, "m7"));
        assertEquals(DUPLICATE, decide("1", 8L, "m8"));
        assertEquals(NEW, decide("1", 9L, "m9"));
        assertEquals(1, reads.size(), "read through once, then known");
        assertEquals(new DocumentVersions.Version(9L, "m9"),
                DocumentVersions.Version.fromOffset(new DocumentVersions.Version(9L, "m9").toOffset()));
    }

    @Test
    void forgottenDocumentsAreReadBackFromTheStore() {
        decide("1", 1L, "a");
        decide("2", 1L, "b");
        decide("3", 1L, "c");
        stored.put(document("1"), new DocumentVersions.Version(1L, "a").toOffset());
        reads.clear();

        assertEquals(DUPLICATE, decide("1", 1L, "a"), "capacity 2: document 1 was forgotten and is read back");
        assertEquals(List.of(document("1")), reads);
    }

    @Test
    void anUndoneVersionIsNewAgainUnlessANewerOneCameSince() {
        DocumentVersions.Decision first = versions.decide(document("1"), 1L, "a");
        versions.undo(document("1"), first, "a");
        assertEquals(NEW, decide("1", 1L, "a"), "its record never reached Kafka: ION's retry must write it");

        DocumentVersions.Decision second = versions.decide(document("1"), 2L, "b");
        decide("1", 3L, "c");
        versions.undo(document("1"), second, "b");
        assertEquals(STALE, decide("1", 2L, "b"), "version 3 was written since");
    }

    @Test
    void aStoredOffsetOfTheWrongShapeOrdersNothing() {
        Map<String, Object> odd = new HashMap<>();
        odd.put("variation", "seven");
        assertNull(DocumentVersions.Version.fromOffset(odd).variation());
        assertNull(DocumentVersions.Version.fromOffset(null));
    }
}
