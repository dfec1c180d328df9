package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.EnumOption;
import io.mlconnector.asana.External;
import io.mlconnector.asana.Membership;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.Resource;
import io.mlconnector.asana.ServerErrorException;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.TaskRequest;
import io.mlconnector.asana.TaskUpdate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings one task in line with its record: a create carries everything in one POST, an update sends
 * only what differs, and a task that already matches costs no call. A create whose outcome is unknown
 * (5xx, timeout) is never repeated blindly: the next attempt first looks for the task it may have made.
 */
final class TaskWriter {

    /** What a write did. */
    enum Outcome { CREATED, UPDATED, UNCHANGED }

    private final AsanaClient client;
    private final TaskIndex index;
    private final String projectGid;
    private final boolean external;
    private final Map<String, Instant> uncertainCreates = new ConcurrentHashMap<>();

    TaskWriter(AsanaClient client, TaskIndex index, String projectGid, boolean external) {
        this.client = client;
        this.index = index;
        this.projectGid = projectGid;
        this.external = external;
    }

    Outcome write(DesiredTask desired) {
        Task current = index.get(desired.key());
        if (current == null) {
            current = findUncertainCreate(desired.key()).orElse(null);
        }
        if (current == null) {
            create(desired);
            return Outcome.CREATED;
        }
        try {
            return update(current, desired);
        } catch (NotFoundException deletedInAsana) {
            index.remove(desired.key());
            create(desired);
            return Outcome.CREATED;
        }
    }

    private void create(DesiredTask desired) {
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
        Instant attempt = Instant.now();
        try {
            index.put(desired.key(), client.createTask(request.build()));
            uncertainCreates.remove(desired.key());
        } catch (ServerErrorException | AsanaIOException e) {
            uncertainCreates.putIfAbsent(desired.key(), attempt);
            throw e;
        }
    }

    private Outcome update(Task current, DesiredTask desired) {
        TaskUpdate.Builder update = TaskUpdate.builder();
        if (!desired.name().equals(current.name())) {
            update.name(desired.name());
        }
        if (desired.notes() != null && !desired.notes().equals(Objects.toString(current.notes(), ""))) {
            update.notes(desired.notes());
        }
        if (desired.dueOn() != null && !desired.dueOn().equals(current.dueOn())) {
            update.dueOn(desired.dueOn());
        }
        if (desired.complete() && !current.completed()) {
            update.completed(true);
        }
        List<DesiredTask.FieldValue> changed = new ArrayList<>();
        for (DesiredTask.FieldValue value : desired.customFields().values()) {
            if (!holds(current.customField(value.field().gid()), value)) {
                changed.add(value);
            }
        }
        if (!changed.isEmpty()) {
            update.customFields(TaskMapper.toWrite(changed));
        }
        boolean moved = desired.sectionGid() != null && !inSection(current, desired.sectionGid());
        TaskUpdate built = update.build();
        if (built.isEmpty() && !moved) {
            return Outcome.UNCHANGED;
        }
        Task updated = current;
        if (!built.isEmpty()) {
            updated = client.updateTask(current.gid(), built);
        }
        if (moved) {
            client.addTaskToSection(desired.sectionGid(), current.gid());
            updated = withSection(updated, desired.sectionGid());
        }
        index.put(desired.key(), updated);
        return Outcome.UPDATED;
    }

    /** Looks once for a task a failed create may have made; the index then holds it if it exists. */
    private Optional<Task> findUncertainCreate(String key) {
        Instant attempt = uncertainCreates.get(key);
        if (attempt == null) {
            return Optional.empty();
        }
        if (external) {
            client.findTaskByExternalId(key).ifPresent(task -> index.put(key, task));
        } else {
            index.catchUp(attempt.minusSeconds(60));
        }
        uncertainCreates.remove(key);
        return Optional.ofNullable(index.get(key));
    }

    private static boolean holds(Optional<CustomFieldValue> current, DesiredTask.FieldValue desired) {
        if (current.isEmpty()) {
            return false;
        }
        CustomFieldValue value = current.get();
        return switch (desired.field().type()) {
            case TEXT -> desired.value().equals(value.textValue());
            case NUMBER -> value.numberValue() != null && ((BigDecimal) desired.value()).compareTo(value.numberValue()) == 0;
            case ENUM -> value.enumValue() != null && ((EnumOption) desired.value()).gid().equals(value.enumValue().gid());
            case DATE -> desired.value().equals(value.dateValue());
            default -> false;
        };
    }

    private boolean inSection(Task task, String sectionGid) {
        return task.memberships().stream().anyMatch(m -> m.project() != null && projectGid.equals(m.project().gid())
                && m.section() != null && sectionGid.equals(m.section().gid()));
    }

    private Task withSection(Task task, String sectionGid) {
        List<Membership> memberships = new ArrayList<>();
        task.memberships().stream().filter(m -> m.project() == null || !projectGid.equals(m.project().gid()))
                .forEach(memberships::add);
        memberships.add(new Membership(new Resource(projectGid, "project", null), new Resource(sectionGid, "section", null)));
        return new Task(task.gid(), task.name(), task.notes(), task.resourceSubtype(), task.completed(),
                task.completedAt(), task.createdAt(), task.modifiedAt(), task.dueOn(), task.assigneeGid(), memberships,
                task.customFields(), task.external(), task.permalinkUrl());
    }
}
