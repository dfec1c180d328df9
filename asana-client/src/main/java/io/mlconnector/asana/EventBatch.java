package io.mlconnector.asana;

import java.util.List;

/** One answer of the events API: up to 100 events, the token for the next call, and whether more wait. */
public record EventBatch(List<Event> events, SyncToken sync, boolean hasMore) {
    public EventBatch {
        events = List.copyOf(events);
    }
}
