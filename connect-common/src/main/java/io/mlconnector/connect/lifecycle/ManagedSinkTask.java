package io.mlconnector.connect.lifecycle;

import io.mlconnector.connect.TaskMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The lifecycle every sink task of the product shares: {@code start} and {@code stop} are final. A start-up that
 * fails with a {@link RetriableException} is tried again from {@code put()}; until it succeeds each batch is handed
 * back to Connect as retriable, so nothing is lost. What the task takes through {@link TaskResources} is given back
 * on stop, the last first, executors awaited.
 */
public abstract class ManagedSinkTask extends SinkTask {
    private final StartRetry startRetry = new StartRetry(this::startTask, Clock.systemUTC());

    @Override
    public final void start(Map<String, String> settings) {
        startRetry.start(settings);
    }

    @Override
    public final void put(Collection<SinkRecord> records) {
        boolean running;
        try {
            running = startRetry.running(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while starting", e);
        }
        if (!running) {
            Duration wait = startRetry.untilNextAttempt();
            context.timeout(Math.max(1, wait.toMillis()));
            throw new RetriableException("the task has not started yet; trying again in " + wait.toMillis() + " ms");
        }
        putRecords(records);
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
     * start is tried again at the next batch. What is taken through {@code resources} is given back when the task
     * stops, or when this start fails.
     */
    protected abstract void startTask(Map<String, String> settings, TaskResources resources);

    /** Writes a batch; called only once the task has started. */
    protected abstract void putRecords(Collection<SinkRecord> records);

    /** What must happen before the resources are given back; may run unstarted. */
    protected void stopTask() {
    }

    /** The task's metrics, on workers that have plugin metrics. */
    protected final TaskMetrics metrics() {
        return TaskMetrics.from(context);
    }
}
