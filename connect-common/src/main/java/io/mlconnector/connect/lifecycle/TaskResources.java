package io.mlconnector.connect.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a task owns: executors and closeables, given back in reverse order of taking when the task stops. Executors
 * are interrupted and awaited, so that no thread of a stopped task still calls a client the task has closed.
 */
public final class TaskResources implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskResources.class);

    /** How long a stopping task waits for its threads to end. Connect's own task shutdown allows 5 s by default. */
    static final Duration EXECUTOR_GRACE = Duration.ofSeconds(4);

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    /** Takes {@code resource}, to be closed when the task stops, before anything taken earlier. */
    public synchronized <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** A pool of {@code threads} daemon threads named {@code name-1}, {@code name-2}, ...; shut down and awaited on stop. */
    public ExecutorService threads(String name, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemons(name));
        own(() -> shutDown(name, pool));
        return pool;
    }

    /** One daemon thread for scheduled work; shut down and awaited on stop. */
    public ScheduledExecutorService scheduler(String name) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemons(name));
        own(() -> shutDown(name, scheduler));
        return scheduler;
    }

    /** Daemon threads named {@code name-<n>}: a stuck call never holds the worker's JVM open. */
    public static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Closes everything taken, the last first; a failure is logged and the rest are still closed. */
    @Override
    public synchronized void close() {
        while (!owned.isEmpty()) {
            AutoCloseable resource = owned.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed; the task stops anyway", resource, e);
            } catch (Error e) {
                LOG.error("Closing {} failed", resource, e);
                throw e;
            }
        }
    }

    private static void shutDown(String name, ExecutorService executor) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(EXECUTOR_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The threads {}-* did not end within {} ms of being interrupted; they are daemons and will not"
                        + " hold the worker", name, EXECUTOR_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
