package io.mlconnector.ion.bod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Hands records from the endpoint's threads to {@code poll()}, and Kafka's acknowledgement back: each record
 * carries a delivery id header, and the future {@link #add} returned completes when {@code commitRecord} reports
 * it written (under exactly-once, when its transaction committed). The endpoint answers ION only then.
 * Bounded by the endpoint: each delivery waits for its record, and only so many run at once.
 */
final class RecordHandoff {

    static final String DELIVERY_HEADER = "ion.delivery.id";

    private final LinkedBlockingQueue<SourceRecord> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private volatile RuntimeException stopped;

    /** Queues a record; the future completes when Kafka has it, or fails when it could not be written. */
    CompletableFuture<Void> add(SourceRecord record) {
        String id = UUID.randomUUID().toString();
        record.headers().addString(DELIVERY_HEADER, id);
        CompletableFuture<Void> written = new CompletableFuture<>();
        pending.put(id, written);
        if (stopped != null) {
            pending.remove(id);
            written.completeExceptionally(stopped);
            return written;
        }
        queue.add(record);
        return written;
    }

    /** Waits up to {@code waitMs} for a record, then takes up to {@code max}; null when none came. Poll thread. */
    List<SourceRecord> drain(long waitMs, int max) throws InterruptedException {
        SourceRecord first = queue.poll(waitMs, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<SourceRecord> records = new ArrayList<>();
        records.add(first);
        queue.drainTo(records, max - 1);
        return records;
    }

    /**
     * From {@code commitRecord}: Kafka has the record, or the worker dropped it on purpose (an SMT filtered it, or
     * errors.tolerance=all let a failed write go); either way it is done, and ION may be answered.
     */
    void acknowledged(SourceRecord record) {
        Header header = record.headers().lastWithName(DELIVERY_HEADER);
        CompletableFuture<Void> future = header == null ? null : pending.remove(String.valueOf(header.value()));
        if (future != null) {
            future.complete(null);
        }
    }

    /** Fails every waiting delivery and any later one, so that ION is answered 503 and delivers again. */
    void stop(RuntimeException cause) {
        stopped = cause;
        queue.clear();
        List.copyOf(pending.keySet()).forEach(id -> {
            CompletableFuture<Void> future = pending.remove(id);
            if (future != null) {
                future.completeExceptionally(cause);
            }
        });
    }

    /** Records queued and not yet polled, for tests. */
    int queued() {
        return queue.size();
    }
}
