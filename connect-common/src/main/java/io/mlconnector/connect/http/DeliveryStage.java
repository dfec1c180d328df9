package io.mlconnector.connect.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where verified deliveries are processed: each may call out and waits seconds for Kafka, so
 * only a few run at once and a bounded number wait. A delivery that finds the queue full, or whose request
 * deadline passes first, is answered 503 at once and the sender retries it; the connection that carried it never
 * waits past its deadline.
 */
public final class DeliveryStage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryStage.class);
    private static final int SERVICE_UNAVAILABLE = 503;

    private final ThreadPoolExecutor workers;
    /** Deliveries answered 503 because {@code maxQueued} were already waiting. */
    public final AtomicLong refusedFull = new AtomicLong();
    /** Deliveries answered 503 because their request deadline passed while they waited or ran. */
    public final AtomicLong timedOut = new AtomicLong();

    /** @param maxQueued at least 1 */
    public DeliveryStage(String name, int maxInProgress, int maxQueued) {
        AtomicInteger count = new AtomicInteger();
        // Threads start when needed and end after a minute idle; a full queue throws instead of blocking.
        workers = new ThreadPoolExecutor(maxInProgress, maxInProgress, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxQueued), r -> {
                    Thread thread = new Thread(r, name + "-delivery-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code delivery} and returns the status it answers, or 503 when the stage is full or {@code deadlineNanos}
     * (a {@link System#nanoTime()} value) passes first. Exceptions of the delivery are rethrown.
     */
    public int run(IntSupplier delivery, long deadlineNanos) {
        Future<Integer> result;
        try {
            result = workers.submit(delivery::getAsInt);
        } catch (RejectedExecutionException full) {
            if (refusedFull.incrementAndGet() % 100 == 1) {
                log.warn("Verified deliveries are arriving faster than they are processed; answered 503 so that the "
                        + "sender retries ({} so far)", refusedFull.get());
            }
            return SERVICE_UNAVAILABLE;
        }
        try {
            return result.get(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Not started: it never will be. Started: it finishes, and the sender's retry meets its records deduplicated.
            result.cancel(false);
            workers.remove((Runnable) result);
            timedOut.incrementAndGet();
            return SERVICE_UNAVAILABLE;
        } catch (InterruptedException e) {
            result.cancel(false);
            workers.remove((Runnable) result);
            Thread.currentThread().interrupt();
            return SERVICE_UNAVAILABLE;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    /** Deliveries running or waiting, for tests. */
    int busy() {
        return workers.getActiveCount() + workers.getQueue().size();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
