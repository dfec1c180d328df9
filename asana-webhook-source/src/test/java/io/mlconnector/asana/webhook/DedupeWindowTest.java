package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DedupeWindowTest {

    @Test
    void theTextIsAlwaysTheLatestIdsJoined() {
        Random random = new Random(7);
        List<String> all = new ArrayList<>(List.of("restored-1", "r2"));
        DedupeWindow window = new DedupeWindow(5, all, ReplayHorizon.NONE);
        assertEquals("restored-1 r2", window.text());
        for (int i = 0; i < 200; i++) {
            // ids of varying length, read at varying intervals, as polls drain varying batches
            String id = "e" + i + "x".repeat(random.nextInt(4));
            window.add(id, null);
            all.add(id);
            if (random.nextInt(3) == 0) {
                assertEquals(String.join(" ", all.subList(Math.max(0, all.size() - 5), all.size())), window.text());
            }
        }
        assertEquals(String.join(" ", all.subList(all.size() - 5, all.size())), window.text());
    }

    @Test
    void aRestoredWindowLargerThanTheCapacityKeepsItsNewestIds() {
        DedupeWindow window = new DedupeWindow(2, List.of("a", "b", "c"), ReplayHorizon.NONE);
        assertEquals("b c", window.text());
    }

    @Test
    void theHorizonIsTheNewestForgottenEventAndSurvivesARestoreConservatively() {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        DedupeWindow window = new DedupeWindow(2, List.of(), ReplayHorizon.NONE);
        window.add("a", t0.plusSeconds(5));
        window.add("b", t0);
        assertEquals(null, window.horizon().forgottenUpTo());
        window.add("c", t0.plusSeconds(1));
        assertEquals(t0.plusSeconds(5), window.horizon().forgottenUpTo(), "a is forgotten");
        window.add("d", t0.plusSeconds(2));
        assertEquals(t0.plusSeconds(5), window.horizon().forgottenUpTo(), "b was older than a");
        assertEquals(t0.plusSeconds(5), window.horizon().newestSeen());

        // After a restart the ids come back without their times: each counts as the newest seen before it.
        DedupeWindow restored = new DedupeWindow(2, List.of("c", "d"), window.horizon());
        restored.add("e", t0.plusSeconds(9));
        assertEquals(t0.plusSeconds(5), restored.horizon().forgottenUpTo());
        restored.add("f", t0.plusSeconds(10));
        assertEquals(t0.plusSeconds(5), restored.horizon().forgottenUpTo(), "d, restored, counts as t0+5");
        restored.add("g", t0.plusSeconds(11));
        assertEquals(t0.plusSeconds(9), restored.horizon().forgottenUpTo());
        assertTrue(restored.horizon().covers(t0.plusSeconds(9)));
        assertFalse(restored.horizon().covers(t0.plusSeconds(10)));
    }
}
