package io.mlconnector.infor.sink;

import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.TaskLedger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The task ledger by task gid: which CloudSuite record each Asana task the connectors made stands for.
 * A task that is not here was made by someone else, and no writeback may follow from it.
 */
final class LedgerIndex {

    private final TaskLedger.Source source;
    private final Map<String, LedgerEntry> byTask = new HashMap<>();
    private final Map<String, String> taskByKey = new HashMap<>();

    LedgerIndex(TaskLedger.Source source) {
        this.source = source;
    }

    /** Reads what the ledger gained since the last call. */
    void refresh() {
        source.catchUp((key, entry) -> {
            String earlierTask = taskByKey.remove(key);
            LedgerEntry earlier = earlierTask == null ? null : byTask.remove(earlierTask);
            if (entry != null && !entry.isPending()) {
                byTask.put(entry.taskGid(), entry.after(earlier));
                taskByKey.put(key, entry.taskGid());
            }
        });
    }

    Optional<LedgerEntry> find(String taskGid) {
        return Optional.ofNullable(taskGid == null ? null : byTask.get(taskGid));
    }

    int size() {
        return byTask.size();
    }
}
