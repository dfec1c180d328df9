package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.TaskLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This project's tasks by upsert key, as the task ledger records them: the task's gid, its record and
 * fingerprints of what the sink last wrote, never the task itself. Rebuilt from the ledger whenever
 * partitions are assigned, at no Asana cost; Asana is read only for creates whose outcome the ledger
 * leaves open (a pending entry), or to adopt the project's tasks when the ledger has none of them yet.
 * Only tasks the connector's own Asana user created are ever adopted, so a task a project member made
 * can never stand in for a record.
 */
final class TaskIndex {

    private static final Logger log = LoggerFactory.getLogger(TaskIndex.class);
    /** How far before a pending create Asana is searched: clocks of Kafka and Asana differ a little. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(60);

    private final AsanaClient client;
    private final TaskLedger.Appender ledger;
    private final String projectGid;
    private final String connectorUserGid;
    private final CustomField keyField;
    private final WrittenState written;
    private final Map<String, LedgerEntry> byKey = new ConcurrentHashMap<>();
    /** Keys whose create was sent and its answer lost (5xx, timeout): Asana may hold the task. */
    private final java.util.Set<String> uncertain = ConcurrentHashMap.newKeySet();
    private final AtomicLong rebuildCalls = new AtomicLong();

    /** @param keyField the text field holding the key, or null to key by external id */
    TaskIndex(AsanaClient client, TaskLedger.Appender ledger, String projectGid, String connectorUserGid,
            CustomField keyField, WrittenState written) {
        this.client = client;
        this.ledger = ledger;
        this.projectGid = projectGid;
        this.connectorUserGid = connectorUserGid;
        this.keyField = keyField;
        this.written = written;
    }

    /**
     * Reads this project's entries from the ledger; then settles the creates it left open, or adopts the
     * project's tasks when the ledger knows none of them (first start, or a ledger being rebuilt).
     */
    void rebuild(TaskLedger.Source reader) {
        byKey.clear();
        uncertain.clear();
        long started = System.nanoTime();
        long requestsBefore = client.rateLimiter().requests();
        reader.rewind();
        read(reader);
        List<LedgerEntry> pending = byKey.values().stream().filter(LedgerEntry::isPending).toList();
        if (byKey.isEmpty()) {
            adoptAfterRereading(client.projectTasks(projectGid), reader);
        } else if (!pending.isEmpty()) {
            Instant oldest = pending.stream().map(LedgerEntry::writtenAt).min(Comparator.naturalOrder()).orElseThrow();
            adoptAfterRereading(client.projectTasksModifiedSince(projectGid, oldest.minus(CLOCK_MARGIN)), reader);
        }
        // a create still open was never made: the record's redelivery creates its task
        byKey.values().removeIf(LedgerEntry::isPending);
        ledger.awaitAppended();
        rebuildCalls.set(client.rateLimiter().requests() - requestsBefore);
        log.info("Indexed {} tasks of project {} from the task ledger in {} ms ({} pending creates settled, {} Asana "
                + "requests)", byKey.size(), projectGid, (System.nanoTime() - started) / 1_000_000, pending.size(),
                rebuildCalls.get());
    }

    /** Takes this project's entries the ledger gained since the last read (or rebuild). */
    void catchUp(TaskLedger.Source reader) {
        read(reader);
    }

    /** Takes this project's entries the ledger gained since the last read. */
    private void read(TaskLedger.Source reader) {
        reader.catchUp((key, entry) -> {
            if (entry == null) {
                byKey.values().removeIf(e -> e.ledgerKey().equals(key));
            } else if (entry.projectGid().equals(projectGid)) {
                byKey.put(entry.upsertKey(), entry.after(byKey.get(entry.upsertKey())));
            }
        });
    }

    /**
     * Adopts the found tasks for keys the ledger leaves open. The ledger is read once more first: another sink
     * task may have recorded some of them, with their records, while Asana was being read.
     */
    private void adoptAfterRereading(Stream<Task> found, TaskLedger.Source reader) {
        List<Task> tasks = found.toList();
        read(reader);
        adopt(tasks.stream(), key -> true);
    }

    /** Asana requests the last rebuild made. */
    long rebuildCalls() {
        return rebuildCalls.get();
    }

    /**
     * The entry of a key, empty when its task is still to be created. A create whose answer was lost is
     * settled first: its task is adopted if the create went through.
     */
    Optional<LedgerEntry> get(String key) {
        LedgerEntry entry = byKey.get(key);
        if (entry == null || !entry.isPending()) {
            return Optional.ofNullable(entry);
        }
        if (!uncertain.contains(key)) {
            return Optional.empty(); // announced, not yet sent
        }
        // still uncertain until the look-up answers: a failed look-up must not turn into a second create
        if (keyField == null) {
            client.findTaskByExternalId(key).ifPresent(task -> adopt(Stream.of(task), key::equals));
        } else {
            adopt(client.projectTasksModifiedSince(projectGid, entry.writtenAt().minus(CLOCK_MARGIN)), key::equals);
        }
        uncertain.remove(key);
        LedgerEntry settled = byKey.get(key);
        if (settled == null || settled.isPending()) {
            byKey.remove(key);
            return Optional.empty();
        }
        return Optional.of(settled);
    }

    /** Records an entry here and in the ledger; the caller awaits the ledger before committing offsets. */
    void put(LedgerEntry entry) {
        byKey.put(entry.upsertKey(), entry);
        ledger.append(entry);
    }

    /** The create of this key was sent and its outcome is unknown: the next attempt looks before creating. */
    void uncertain(String key) {
        uncertain.add(key);
    }

    void forget(String key) {
        LedgerEntry entry = byKey.remove(key);
        if (entry != null) {
            ledger.remove(entry);
        }
    }

    int size() {
        return byKey.size();
    }

    String connectorUserGid() {
        return connectorUserGid;
    }

    /** Takes into the index the tasks of this stream that the connector made and that carry one of these keys. */
    private void adopt(Stream<Task> tasks, java.util.function.Predicate<String> keys) {
        tasks.filter(task -> connectorUserGid.equals(task.createdByGid())).forEach(task -> keyOf(task).filter(keys)
                .ifPresent(key -> {
                LedgerEntry known = byKey.get(key);
                if (known != null && !known.isPending()) {
                    if (!known.taskGid().equals(task.gid())) {
                        log.warn("Tasks {} and {} of project {} share the upsert key '{}'; the ledger's {} is kept",
                                known.taskGid(), task.gid(), projectGid, key, known.taskGid());
                    }
                    return;
                }
                put(new LedgerEntry(projectGid, key, task.gid(), known == null ? null : known.record(), connectorUserGid,
                        task.assigneeGid(), written.of(task), Instant.now()));
        }));
    }

    private Optional<String> keyOf(Task task) {
        if (keyField == null) {
            return Optional.ofNullable(task.external()).map(e -> e.gid());
        }
        return task.customField(keyField.gid()).map(CustomFieldValue::textValue).filter(v -> !v.isBlank());
    }
}
