package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's tasks by upsert key: Asana's external id for OAuth tokens, else the upsert key custom
 * field. Built from Asana (paged) whenever this sink task is assigned partitions, so it also holds
 * tasks created before a crash whose offsets were never committed; kept current by every write.
 */
final class TaskIndex {

    private static final Logger log = LoggerFactory.getLogger(TaskIndex.class);

    private final AsanaClient client;
    private final String projectGid;
    private final CustomField keyField;
    private final Map<String, Task> byKey = new ConcurrentHashMap<>();

    /** @param keyField the text field holding the key, or null to key by external id */
    TaskIndex(AsanaClient client, String projectGid, CustomField keyField) {
        this.client = client;
        this.projectGid = projectGid;
        this.keyField = keyField;
    }

    /** Reads every task of the project again; returns how many carry a key. */
    int rebuild() {
        byKey.clear();
        addAll(client.projectTasks(projectGid));
        log.info("Indexed {} tasks of project {} by {}", byKey.size(), projectGid,
                keyField == null ? "external id" : "custom field '" + keyField.name() + "'");
        return byKey.size();
    }

    /** Adds the project's tasks modified since {@code since}: finds tasks whose create outcome was unknown. */
    void catchUp(Instant since) {
        addAll(client.projectTasksModifiedSince(projectGid, since));
    }

    Task get(String key) {
        return byKey.get(key);
    }

    void put(String key, Task task) {
        byKey.put(key, task);
    }

    void remove(String key) {
        byKey.remove(key);
    }

    int size() {
        return byKey.size();
    }

    private void addAll(Stream<Task> tasks) {
        tasks.forEach(task -> keyOf(task).ifPresent(key -> {
            Task earlier = byKey.putIfAbsent(key, task);
            if (earlier != null && !earlier.gid().equals(task.gid())) {
                log.warn("Tasks {} and {} of project {} share the upsert key '{}'; updating {} only",
                        earlier.gid(), task.gid(), projectGid, key, earlier.gid());
            }
        }));
    }

    private Optional<String> keyOf(Task task) {
        if (keyField == null) {
            return Optional.ofNullable(task.external()).map(e -> e.gid());
        }
        return task.customField(keyField.gid()).map(CustomFieldValue::textValue).filter(v -> !v.isBlank());
    }
}
