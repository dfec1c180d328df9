package io.mlconnector.asana.webhook;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The identities of the latest events produced, oldest first, kept joined by spaces as the source offset stores
 * them. The joined text follows the ids as they come and go, instead of being joined again from thousands of ids
 * on every poll, which cost the task more CPU than producing the records did.
 */
final class DedupeWindow {

    private final int capacity;
    private final Deque<String> ids;
    private final StringBuilder joined = new StringBuilder();
    /** Characters at the start of {@link #joined} that belong to ids already dropped; cut once per {@link #text()}. */
    private int dropped;

    DedupeWindow(int capacity, List<String> start) {
        this.capacity = capacity;
        this.ids = new ArrayDeque<>(capacity + 1);
        start.forEach(this::add);
    }

    void add(String id) {
        if (!ids.isEmpty()) {
            joined.append(' ');
        }
        joined.append(id);
        ids.addLast(id);
        if (ids.size() > capacity) {
            // Never the last id (capacity ≥ 1), so a separator follows it.
            dropped += ids.removeFirst().length() + 1;
        }
    }

    String text() {
        joined.delete(0, dropped);
        dropped = 0;
        return joined.toString();
    }
}
