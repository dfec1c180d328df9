package io.mlconnector.asana;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Polls {@code GET /events} for one resource, carrying the sync token from call to call. Without a
 * token the first poll only obtains one (Asana's 412 is the normal start). A 412 later means
 * events were lost: {@link #poll()} adopts the fresh token and throws {@link SyncTokenExpiredException}
 * so the caller re-crawls the resource.
 */
public final class EventStream {
    private final AsanaClient client;
    private final String resourceGid;
    private SyncToken token;

    EventStream(AsanaClient client, String resourceGid, SyncToken token) {
        this.client = client;
        this.resourceGid = Objects.requireNonNull(resourceGid, "resourceGid");
        this.token = token;
    }

    /** The token to persist; null until the first poll. */
    public synchronized SyncToken token() {
        return token;
    }

    /** Every event since the last poll, following {@code has_more} until Asana has no more. */
    public synchronized List<Event> poll() {
        if (token == null) {
            token = client.startEvents(resourceGid);
            return List.of();
        }
        List<Event> events = new ArrayList<>();
        EventBatch batch;
        do {
            try {
                batch = client.getEvents(resourceGid, token);
            } catch (SyncTokenExpiredException e) {
                token = e.freshToken();
                throw e;
            }
            token = batch.sync();
            events.addAll(batch.events());
        } while (batch.hasMore());
        return events;
    }
}
