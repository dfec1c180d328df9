package io.mlconnector.asana.webhook;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.Event;
import io.mlconnector.asana.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where events from both paths (webhook POSTs and the events-API catch-up) become records: filtered
 * like the webhook, deduplicated by identity, enriched with the task as read now (one read per task
 * per batch, ten reads to a call of Asana's batch API, the calls in parallel), and queued for
 * {@code poll()}. Returns the futures the caller waits on before answering.
 */
final class EventIntake {

    private final AsanaClient client;
    private final Executor readers;
    private final DeliveryLedger ledger;
    private final RecordOutbox outbox;
    private final WebhookFilters filters;
    private final TaskEventRecord.FieldNames fieldNames;
    final AtomicLong produced = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();

    /** @param readers runs the task reads of a batch */
    EventIntake(AsanaClient client, Executor readers, DeliveryLedger ledger, RecordOutbox outbox, WebhookFilters filters,
            TaskEventRecord.FieldNames fieldNames) {
        this.client = client;
        this.readers = readers;
        this.ledger = ledger;
        this.outbox = outbox;
        this.filters = filters;
        this.fieldNames = fieldNames;
    }

    /** An event with its identity; reconciled task states carry the task already read. */
    record Incoming(String eventId, Event event, Task knownTask) {
        static Incoming of(Event event) {
            return new Incoming(EventIdentity.of(event), event, null);
        }
    }

    /** What one batch led to: a future per event kept, and how many records it newly queued. */
    record Outcome(List<CompletableFuture<Void>> acknowledgements, int newRecords) {
        CompletableFuture<Void> all() {
            return CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new));
        }
    }

    /** Filters, claims, enriches and queues; the reads of Asana happen on the caller's thread. */
    Outcome accept(List<Incoming> batch, TaskEventRecord.Origin origin) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        List<DeliveryLedger.Claim> mine = new ArrayList<>();
        List<Incoming> toProduce = new ArrayList<>();
        for (Incoming incoming : batch) {
            if (!filters.pass(incoming.event()) || TaskEventRecord.taskGid(incoming.event()).isEmpty()) {
                continue;
            }
            DeliveryLedger.Claim claim = ledger.claim(incoming.eventId(), incoming.event().createdAt());
            acks.add(claim.acknowledged());
            if (claim.first()) {
                mine.add(claim);
                toProduce.add(incoming);
            } else {
                duplicates.incrementAndGet();
            }
        }
        List<Runnable> queued = new ArrayList<>();
        try {
            Map<String, Optional<Task>> tasks = readAll(toProduce);
            for (Incoming incoming : toProduce) {
                String taskGid = TaskEventRecord.taskGid(incoming.event()).orElseThrow();
                Task task = incoming.knownTask() != null ? incoming.knownTask() : tasks.get(taskGid).orElse(null);
                var value = TaskEventRecord.value(incoming.eventId(), origin, incoming.event(), taskGid, task, fieldNames);
                queued.add(() -> outbox.add(incoming.eventId(), taskGid, value, incoming.event().createdAt()));
            }
        } catch (RuntimeException e) {
            ledger.release(mine, e);
            throw e;
        }
        // Queued only once every read succeeded, so a failed batch leaves nothing half-produced.
        queued.forEach(Runnable::run);
        produced.addAndGet(queued.size());
        return new Outcome(acks, queued.size());
    }

    /** The tasks the batch needs read, each once; the client's batch calls run side by side on the readers. */
    private Map<String, Optional<Task>> readAll(List<Incoming> batch) {
        return client.getTasks(batch.stream().filter(incoming -> incoming.knownTask() == null)
                .map(incoming -> TaskEventRecord.taskGid(incoming.event()).orElseThrow()).toList(), readers);
    }
}
