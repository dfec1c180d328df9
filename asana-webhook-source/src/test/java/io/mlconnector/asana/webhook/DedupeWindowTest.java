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
    void theTextIsTheHeadAndEachFullSegmentIsSealedOnceInTurn() {
        Random random = new Random(7);
        // a window of 100: segments of 5 ids
        DedupeWindow window = new DedupeWindow(100, List.of(), ReplayHorizon.NONE);
        List<String> all = new ArrayList<>();
        List<DedupeWindow.Segment> sealed = new ArrayList<>();
        for (int i = 0; i < 203; i++) {
            // ids of varying length, read at varying intervals, as polls drain varying batches
            String id = "e" + i + "x".repeat(random.nextInt(4));
            window.add(id, null);
            all.add(id);
            if (random.nextInt(3) == 0) {
                sealed.addAll(window.takeSealed());
                assertEquals(String.join(" ", all.subList(all.size() - all.size() % 5, all.size())), window.text());
            }
        }
        sealed.addAll(window.takeSealed());
        assertEquals(40, sealed.size());
        for (int g = 0; g < 40; g++) {
            assertEquals(g, sealed.get(g).generation());
            assertEquals(g % DedupeWindow.SEGMENTS, sealed.get(g).slot());
            assertEquals(String.join(" ", all.subList(g * 5, g * 5 + 5)), sealed.get(g).ids());
        }
        assertEquals(String.join(" ", all.subList(200, 203)), window.text());
        assertEquals(40, window.generation());
        assertTrue(window.takeSealed().isEmpty(), "each segment once");
    }

    @Test
    void aRestoredHeadContinuesAndIsSealedWithItsRestoredIds() {
        // a window of 40: segments of 2; s1 s2 were sealed before, h1 was the head of generation 7
        DedupeWindow window = new DedupeWindow(40, List.of("s1", "s2", "h1"), ReplayHorizon.NONE, 7, 1, List.of());
        assertEquals("h1", window.text());
        window.add("h2", null);
        assertEquals(List.of(new DedupeWindow.Segment(7, "h1 h2")), window.takeSealed());
        assertEquals("", window.text());
        assertEquals(8, window.generation());
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
