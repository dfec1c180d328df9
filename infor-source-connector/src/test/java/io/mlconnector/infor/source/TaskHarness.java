package io.mlconnector.infor.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs the connector's tasks in-process as a worker would, with an offset store that commits every record
 * handed out; {@link #restart()} starts fresh tasks from the committed offsets.
 */
final class TaskHarness {

    private final Map<String, String> config;
    private final Map<Map<String, Object>, Map<String, Object>> committed = new HashMap<>();
    private List<InforSourceTask> tasks;

    private final int maxTasks;

    TaskHarness(Map<String, String> config, int maxTasks) {
        this.config = config;
        this.maxTasks = maxTasks;
        startTasks();
    }

    private void startTasks() {
        InforSourceConnector connector = new InforSourceConnector();
        connector.start(config);
        tasks = new ArrayList<>();
        for (Map<String, String> taskConfig : connector.taskConfigs(maxTasks)) {
            InforSourceTask task = new InforSourceTask();
            task.initialize(context(taskConfig));
            task.start(taskConfig);
            tasks.add(task);
        }
    }

    int taskCount() {
        return tasks.size();
    }

    Map<Map<String, Object>, Map<String, Object>> committed() {
        return committed;
    }

    /** One poll of every task; the returned records' offsets are committed. */
    List<SourceRecord> pollOnce() throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        for (InforSourceTask task : tasks) {
            List<SourceRecord> records = task.poll();
            if (records != null) {
                for (SourceRecord r : records) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> partition = (Map<String, Object>) r.sourcePartition();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> offset = (Map<String, Object>) r.sourceOffset();
                    committed.put(partition, offset);
                }
                out.addAll(records);
            }
        }
        return out;
    }

    /** Polls until a poll of every task returns nothing. */
    List<SourceRecord> drain() throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        for (List<SourceRecord> batch = pollOnce(); !batch.isEmpty(); batch = pollOnce()) {
            all.addAll(batch);
        }
        return all;
    }

    /** Stops the tasks and starts new ones, which resume from the committed offsets. */
    void restart() {
        stop();
        startTasks();
    }

    void stop() {
        tasks.forEach(InforSourceTask::stop);
    }

    private SourceTaskContext context(Map<String, String> taskConfig) {
        OffsetStorageReader reader = new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return committed.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                partitions.forEach(p -> out.put(p, committed.get(p)));
                return out;
            }
        };
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return taskConfig;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return reader;
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        };
    }
}
