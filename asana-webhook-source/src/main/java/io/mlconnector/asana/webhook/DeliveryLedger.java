package io.mlconnector.asana.webhook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Every recent event by identity, with a future that completes when Kafka acknowledged its record.
 * The first claim of an identity produces the record; later claims (a webhook retry, the catch-up
 * meeting it, a concurrent POST) wait on the same future instead. Bounded: the oldest entries go.
 */
final class DeliveryLedger {

    /** A claim: the future to wait on, and whether this caller must produce the record. */
    record Claim(String eventId, CompletableFuture<Void> acknowledged, boolean first) {
    }

    private final Map<String, CompletableFuture<Void>> entries;

    DeliveryLedger(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Void>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Events produced before a restart, read back from the source offset. */
    synchronized void restore(Collection<String> producedIds) {
        producedIds.forEach(id -> entries.put(id, CompletableFuture.completedFuture(null)));
    }

    synchronized Claim claim(String eventId) {
        CompletableFuture<Void> existing = entries.get(eventId);
        if (existing != null) {
            return new Claim(eventId, existing, false);
        }
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        entries.put(eventId, fresh);
        return new Claim(eventId, fresh, true);
    }

    /** Gives up claims whose records could not be made (e.g. the task could not be read): a retry may try again. */
    synchronized void release(List<Claim> claims, Throwable cause) {
        for (Claim claim : claims) {
            entries.remove(claim.eventId(), claim.acknowledged());
            claim.acknowledged().completeExceptionally(cause);
        }
    }

    void acknowledged(String eventId) {
        CompletableFuture<Void> future;
        synchronized (this) {
            future = entries.get(eventId);
        }
        if (future != null) {
            future.complete(null);
        }
    }

    /** Fails every pending claim, e.g. when the task stops, so waiting POSTs answer at once. */
    void failPending(Throwable cause) {
        List<CompletableFuture<Void>> pending;
        synchronized (this) {
            pending = new ArrayList<>(entries.values());
        }
        pending.forEach(f -> f.completeExceptionally(cause));
    }
}
