package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The workspace's event log, in order: what the events API reads from a sync position, and what is handed to the
 * listener (webhook delivery) after the change that produced it. {@link AsanaState} writes it under its own lock.
 */
final class EventLog {
    /** An event with the resources it is visible from (the object itself and its containers). */
    record Event(long seq, ObjectNode json, Set<String> scope) {
    }

    private final List<Event> events = new ArrayList<>();
    private volatile Consumer<List<Event>> listener = batch -> { };

    void onEvents(Consumer<List<Event>> listener) {
        this.listener = listener;
    }

    /** Appends an event with the next sequence number. */
    synchronized Event append(ObjectNode json, Set<String> scope) {
        Event event = new Event(lastSeq() + 1, json, scope);
        events.add(event);
        return event;
    }

    synchronized long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }

    /** Events after {@code afterSeq} visible from {@code resourceGid}, at most {@code limit} + 1 (to tell "more"). */
    synchronized List<Event> after(String resourceGid, long afterSeq, int limit) {
        List<Event> out = new ArrayList<>();
        for (Event event : events) {
            if (event.seq() > afterSeq && event.scope().contains(resourceGid)) {
                out.add(event);
                if (out.size() == limit + 1) {
                    break;
                }
            }
        }
        return out;
    }

    void publish(List<Event> batch) {
        if (!batch.isEmpty()) {
            listener.accept(batch);
        }
    }
}
