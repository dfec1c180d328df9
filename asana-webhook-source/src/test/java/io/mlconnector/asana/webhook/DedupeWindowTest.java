package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DedupeWindowTest {

    @Test
    void theTextIsAlwaysTheLatestIdsJoined() {
        Random random = new Random(7);
        List<String> all = new ArrayList<>(List.of("restored-1", "r2"));
        DedupeWindow window = new DedupeWindow(5, all);
        assertEquals("restored-1 r2", window.text());
        for (int i = 0; i < 200; i++) {
            // ids of varying length, read at varying intervals, as polls drain varying batches
            String id = "e" + i + "x".repeat(random.nextInt(4));
            window.add(id);
            all.add(id);
            if (random.nextInt(3) == 0) {
                assertEquals(String.join(" ", all.subList(Math.max(0, all.size() - 5), all.size())), window.text());
            }
        }
        assertEquals(String.join(" ", all.subList(all.size() - 5, all.size())), window.text());
    }

    @Test
    void aRestoredWindowLargerThanTheCapacityKeepsItsNewestIds() {
        DedupeWindow window = new DedupeWindow(2, List.of("a", "b", "c"));
        assertEquals("b c", window.text());
    }
}
