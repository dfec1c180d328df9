package io.mlconnector.asana.webhook;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The identities of the latest events produced, oldest first, stored in segments so that an offset commit writes
 * little: the newest ids (the head, up to a {@link #SEGMENTS}th of the window) travel in the resource's offset, and
 * each full segment is sealed and stored once, under a source partition of its own, in one of {@link #SEGMENTS}
 * slots it takes in turn. The head's text follows the ids as they come, instead of being joined again on every poll.
 *
 * <p>It also knows, as {@link ReplayHorizon}, up to when events were forgotten: a delivery of an event that old and
 * unknown cannot be told from a replay.
 */
final class DedupeWindow {

    /** Slots for sealed segments: together with the head they hold at least the window. */
    static final int SEGMENTS = 20;

    private static final Instant UNKNOWN = Instant.MIN;

    private final int capacity;
    private final int segmentSize;
    private final Deque<String> ids;
    /** When each id's event was created, as far as known (see {@link ReplayHorizon#newestSeen()}). */
    private final Deque<Instant> createdAt;
    private ReplayHorizon horizon;
    private final StringBuilder head = new StringBuilder();
    private int headCount;
    private Instant headNewest;
    private long generation;
    /** The newest creation time in each slot's segment, as far as known: what is forgotten if the slot is lost. */
    private final Instant[] slotNewest = new Instant[SEGMENTS];
    private final List<Segment> sealed = new ArrayList<>();

    /** A full segment: the ids of one generation, to be stored in slot {@code generation % SEGMENTS}. */
    record Segment(long generation, String ids) {
        int slot() {
            return slotOf(generation);
        }
    }

    /**
     * @param start the restored ids, oldest first: the sealed segments' and then the head's, which are the last
     *              {@code headCount} of them
     */
    DedupeWindow(int capacity, List<String> start, ReplayHorizon startHorizon, long generation, int headCount,
            List<Instant> slotNewest) {
        this.capacity = capacity;
        this.segmentSize = Math.max(1, (capacity + SEGMENTS - 1) / SEGMENTS);
        this.ids = new ArrayDeque<>(capacity + 1);
        this.createdAt = new ArrayDeque<>(capacity + 1);
        this.horizon = startHorizon;
        this.generation = generation;
        for (int i = 0; i < SEGMENTS && i < slotNewest.size(); i++) {
            this.slotNewest[i] = slotNewest.get(i);
        }
        for (int i = 0; i < start.size(); i++) {
            remember(start.get(i), startHorizon.newestSeen());
            if (i >= start.size() - headCount) {
                appendToHead(start.get(i), startHorizon.newestSeen());
            }
        }
    }

    /** A window with nothing stored yet, or restored from ids alone (all in the head). */
    DedupeWindow(int capacity, List<String> start, ReplayHorizon startHorizon) {
        this(capacity, start, startHorizon, 0, start.size(), List.of());
    }

    static int slotOf(long generation) {
        return (int) Math.floorMod(generation, (long) SEGMENTS);
    }

    void add(String id, Instant created) {
        horizon = horizon.seen(created);
        remember(id, created);
        appendToHead(id, created);
        if (headCount >= segmentSize) {
            sealed.add(new Segment(generation, head.toString()));
            slotNewest[slotOf(generation)] = headNewest;
            generation++;
            head.setLength(0);
            headCount = 0;
            headNewest = null;
        }
    }

    private void remember(String id, Instant created) {
        ids.addLast(id);
        createdAt.addLast(created == null ? UNKNOWN : created);
        if (ids.size() > capacity) {
            ids.removeFirst();
            Instant gone = createdAt.removeFirst();
            horizon = horizon.forgot(gone == UNKNOWN ? null : gone);
        }
    }

    private void appendToHead(String id, Instant created) {
        if (headCount > 0) {
            head.append(' ');
        }
        head.append(id);
        headCount++;
        if (created != null && (headNewest == null || created.isAfter(headNewest))) {
            headNewest = created;
        }
    }

    ReplayHorizon horizon() {
        return horizon;
    }

    /** The head's ids, joined by spaces: what the resource's offset carries. */
    String text() {
        return head.toString();
    }

    /** The generation the head will be sealed as. */
    long generation() {
        return generation;
    }

    List<Instant> slotNewest() {
        return Arrays.asList(slotNewest.clone());
    }

    /** The segments sealed since the last call, oldest first. */
    List<Segment> takeSealed() {
        List<Segment> taken = List.copyOf(sealed);
        sealed.clear();
        return taken;
    }
}
