package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaException;
import io.mlconnector.asana.External;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.ServerErrorException;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.TaskRequest;
import io.mlconnector.asana.TaskUpdate;
import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.RecordIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Brings one task in line with its record: a create carries everything in one POST, an update sends
 * only what differs from what the ledger says the sink last wrote, and a task that already matches costs
 * no call. Every create is announced in the ledger first ({@link #announceCreates}), so a create whose
 * answer is lost is looked up, never repeated blindly.
 */
final class TaskWriter {

    /** What a write did; NO_TASK: update mode met a record whose task the ledger does not hold. */
    enum Outcome { CREATED, UPDATED, UNCHANGED, NO_TASK }

    private final AsanaClient client;
    private final TaskIndex index;
    private final WrittenState written;
    private final String projectGid;
    private final boolean external;
    private final boolean updateOnly;

    TaskWriter(AsanaClient client, TaskIndex index, WrittenState written, String projectGid, boolean external,
            boolean updateOnly) {
        this.client = client;
        this.index = index;
        this.written = written;
        this.projectGid = projectGid;
        this.external = external;
        this.updateOnly = updateOnly;
    }

    /** A record's desired task and the CloudSuite record it stands for. */
    record Write(DesiredTask desired, RecordIdentity record) {
    }

    /**
     * Writes a pending ledger entry for each write that will create a task; the caller awaits the ledger
     * before sending any of them.
     */
    void announceCreates(List<Write> writes) {
        if (updateOnly) {
            return;
        }
        for (Write write : writes) {
            if (index.get(write.desired().key()).isEmpty()) {
                index.put(LedgerEntry.pending(projectGid, write.desired().key(), write.record(),
                        index.connectorUserGid(), Instant.now()));
            }
        }
    }

    Outcome write(Write write) {
        DesiredTask desired = write.desired();
        Optional<LedgerEntry> current = index.get(desired.key());
        if (current.isEmpty() && updateOnly) {
            return Outcome.NO_TASK;
        }
        if (current.isEmpty()) {
            create(write);
            return Outcome.CREATED;
        }
        try {
            return update(current.get(), write);
        } catch (NotFoundException deletedInAsana) {
            if (updateOnly) {
                return Outcome.NO_TASK; // the entry is the creating sink's to settle
            }
            index.put(LedgerEntry.pending(projectGid, desired.key(), write.record(), index.connectorUserGid(),
                    Instant.now()));
            create(write);
            return Outcome.CREATED;
        }
    }

    private void create(Write write) {
        DesiredTask desired = write.desired();
        TaskRequest.Builder request = TaskRequest.builder(desired.name());
        if (desired.sectionGid() != null) {
            request.membership(projectGid, desired.sectionGid());
        } else {
            request.project(projectGid);
        }
        if (desired.notes() != null) {
            request.notes(desired.notes());
        }
        if (desired.dueOn() != null) {
            request.dueOn(desired.dueOn());
        }
        if (desired.assignee() != null) {
            request.assignee(desired.assignee());
        }
        if (desired.complete()) {
            request.completed(true);
        }
        if (!desired.customFields().isEmpty()) {
            request.customFields(TaskMapper.toWrite(desired.customFields().values()));
        }
        if (external) {
            request.external(new External(desired.key(), null));
        }
        Task created;
        try {
            created = client.createTask(request.build());
        } catch (ServerErrorException | AsanaIOException unknownOutcome) {
            index.uncertain(desired.key()); // the pending entry stays: the next attempt looks for the task first
            throw unknownOutcome;
        } catch (AsanaException refused) {
            index.forget(desired.key());
            throw refused;
        }
        index.put(entry(created, write, written.of(desired)));
    }

    private Outcome update(LedgerEntry current, Write write) {
        DesiredTask desired = write.desired();
        Map<String, String> wanted = written.of(desired);
        Map<String, String> held = current.written();
        TaskUpdate.Builder update = TaskUpdate.builder();
        if (differs(WrittenState.NAME, wanted, held)) {
            update.name(desired.name());
        }
        if (differs(WrittenState.NOTES, wanted, held)) {
            update.notes(desired.notes());
        }
        if (differs(WrittenState.DUE_ON, wanted, held)) {
            update.dueOn(desired.dueOn());
        }
        if (differs(WrittenState.ASSIGNEE, wanted, held) && !desired.assignee().equals(current.assigneeGid())) {
            update.assignee(desired.assignee());
        }
        if (differs(WrittenState.COMPLETED, wanted, held)) {
            update.completed(true);
        }
        List<DesiredTask.FieldValue> changed = new ArrayList<>();
        for (DesiredTask.FieldValue value : desired.customFields().values()) {
            if (differs(WrittenState.field(value.field().gid()), wanted, held)) {
                changed.add(value);
            }
        }
        if (!changed.isEmpty()) {
            update.customFields(TaskMapper.toWrite(changed));
        }
        boolean moved = differs(WrittenState.SECTION, wanted, held);
        TaskUpdate built = update.build();
        Map<String, String> now = new HashMap<>(held);
        now.putAll(wanted);
        // an update-mode record (a payment) patches the task of another record (its invoice), which stays the task's record
        RecordIdentity record = updateOnly ? current.record() : write.record();
        if (built.isEmpty() && !moved) {
            if (!Objects.equals(current.record(), record)) {
                // adopted by a rebuild, or the record now carries its identity: the ledger learns it, Asana is not called
                index.put(new LedgerEntry(projectGid, desired.key(), current.taskGid(), record,
                        current.connectorUserGid(), current.assigneeGid(), now, Instant.now()));
            }
            return Outcome.UNCHANGED;
        }
        String assignee = current.assigneeGid();
        if (!built.isEmpty()) {
            assignee = client.updateTask(current.taskGid(), built).assigneeGid();
        }
        if (moved) {
            client.addTaskToSection(desired.sectionGid(), current.taskGid());
        }
        index.put(new LedgerEntry(projectGid, desired.key(), current.taskGid(), record, index.connectorUserGid(),
                assignee, now, Instant.now()));
        return Outcome.UPDATED;
    }

    private LedgerEntry entry(Task task, Write write, Map<String, String> state) {
        return new LedgerEntry(projectGid, write.desired().key(), task.gid(), write.record(), index.connectorUserGid(),
                task.assigneeGid(), state, Instant.now());
    }

    /** The record sets this attribute and the ledger does not show it written with that value. */
    private static boolean differs(String attribute, Map<String, String> wanted, Map<String, String> held) {
        String value = wanted.get(attribute);
        return value != null && !value.equals(held.get(attribute));
    }
}
