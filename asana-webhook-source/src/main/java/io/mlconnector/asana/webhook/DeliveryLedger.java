package io.mlconnector.asana.webhook;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Every recent event by identity, with a future that completes when Kafka acknowledged its record.
 * The first claim of an identity produces the record; later claims (a webhook retry, the catch-up
 * meeting it, a concurrent POST) wait on the same future instead. Bounded: the oldest entries go, and the
 * {@link ReplayHorizon} says up to when events may have gone with them.
 */
final class DeliveryLedger {

    /** A claim: the future to wait on, and whether this caller must produce the record. */
    record Claim(String eventId, CompletableFuture<Void> acknowledged, boolean first) {
    }

    private record Entry(CompletableFuture<Void> acknowledged, Instant createdAt) {
    }

    private final Map<String, Entry> entries;
    private ReplayHorizon horizon = ReplayHorizon.NONE;

    DeliveryLedger(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                horizon = horizon.forgot(eldest.getValue().createdAt());
                return true;
            }
        };
    }

    /** Events produced before a restart, read back from the source offset with the times it knows. */
    synchronized void restore(Collection<String> producedIds, ReplayHorizon stored) {
        horizon = stored;
        producedIds.forEach(id -> entries.put(id, new Entry(CompletableFuture.completedFuture(null), stored.newestSeen())));
    }

    synchronized Claim claim(String eventId, Instant createdAt) {
        Entry existing = entries.get(eventId);
        if (existing != null) {
            return new Claim(eventId, existing.acknowledged(), false);
        }
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        entries.put(eventId, new Entry(fresh, createdAt));
        horizon = horizon.seen(createdAt);
        return new Claim(eventId, fresh, true);
    }

    /** Whether an event is unknown here and so old that it may have been forgotten: a replay, for all we can tell. */
    synchronized boolean mayHaveForgotten(String eventId, Instant createdAt) {
        return !entries.containsKey(eventId) && horizon.covers(createdAt);
    }

    /** Gives up claims whose records could not be made (e.g. the task could not be read): a retry may try again. */
    synchronized void release(List<Claim> claims, Throwable cause) {
        for (Claim claim : claims) {
            Entry entry = entries.get(claim.eventId());
            if (entry != null && entry.acknowledged() == claim.acknowledged()) {
                entries.remove(claim.eventId());
            }
            claim.acknowledged().completeExceptionally(cause);
        }
    }

    void acknowledged(String eventId) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(eventId);
        }
        if (entry != null) {
            entry.acknowledged().complete(null);
        }
    }

    /** Fails every pending claim, e.g. when the task stops, so waiting POSTs answer at once. */
    void failPending(Throwable cause) {
        List<CompletableFuture<Void>> pending;
        synchronized (this) {
            pending = entries.values().stream().map(Entry::acknowledged).toList();
        }
        pending.forEach(f -> f.completeExceptionally(cause));
    }
}
