package io.mlconnector.connect.lifecycle;

import io.mlconnector.connect.TaskMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * The lifecycle every source task of the product shares: {@code start} and {@code stop} are final. A start-up that
 * fails with a {@link RetriableException} is tried again from {@code poll()} (see {@link StartRetry}); what the task
 * takes through {@link TaskResources} is given back on stop, the last first, executors awaited.
 */
public abstract class ManagedSourceTask extends SourceTask {
    /** How long a poll waits for a retried start-up before it returns to Connect empty. */
    private static final Duration POLL_WAIT = Duration.ofSeconds(1);

    private final StartRetry startRetry = new StartRetry(this::startTask, Clock.systemUTC());

    @Override
    public final void start(Map<String, String> settings) {
        startRetry.start(settings);
    }

    @Override
    public final List<SourceRecord> poll() throws InterruptedException {
        return startRetry.running(POLL_WAIT) ? pollRecords() : null;
    }

    @Override
    public final void stop() {
        try {
            stopTask();
        } finally {
            startRetry.stop();
        }
    }

    /**
     * Starts the task. Throw {@link RetriableException} for a failure that may pass (a service out of reach): the
     * start is tried again later. What is taken through {@code resources} is given back when the task stops, or
     * when this start fails.
     */
    protected abstract void startTask(Map<String, String> settings, TaskResources resources);

    /** The records to write, or null; called only once the task has started. */
    protected abstract List<SourceRecord> pollRecords() throws InterruptedException;

    /** What must happen before the resources are given back, e.g. answering waiting senders; may run unstarted. */
    protected void stopTask() {
    }

    /** The task's metrics, on workers that have plugin metrics. */
    protected final TaskMetrics metrics() {
        return TaskMetrics.from(context);
    }
}
