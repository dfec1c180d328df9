package io.mlconnector.asana;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Asana's per-token limits, enforced before a request leaves: a sliding-window budget (requests
 * per window) and the concurrency caps (15 writes, 50 reads in flight). One instance per token in
 * the JVM ({@link #shared}), keyed by the token's hash, so every client using the token shares it.
 *
 * <p>A request occupies a window slot from the moment it is sent until one window after its
 * response arrived. Asana counts it somewhere in between, so Asana's window never holds more of
 * our requests than ours does, and a budget equal to Asana's is never exceeded.
 */
public final class RateLimiter {
    public static final int FREE_BUDGET_PER_MINUTE = 150;
    public static final int PAID_BUDGET_PER_MINUTE = 1500;
    public static final int MAX_CONCURRENT_WRITES = 15;
    public static final int MAX_CONCURRENT_READS = 50;

    private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();

    private final int budget;
    private final long windowNanos;
    private final Semaphore writes;
    private final Semaphore reads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Long> finished = new ArrayDeque<>();
    private int inFlight;
    private long pausedUntil = System.nanoTime();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    public RateLimiter(int budget, Duration window, int maxWrites, int maxReads) {
        if (budget < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("budget must be >= 1 and window positive");
        }
        this.budget = budget;
        this.windowNanos = window.toNanos();
        this.writes = new Semaphore(maxWrites, true);
        this.reads = new Semaphore(maxReads, true);
    }

    /**
     * The limiter every client of this token shares. The first caller's budget and window win;
     * later callers with other numbers get the existing limiter.
     */
    public static RateLimiter shared(String tokenKey, int budget, Duration window) {
        return SHARED.computeIfAbsent(tokenKey,
                key -> new RateLimiter(budget, window, MAX_CONCURRENT_WRITES, MAX_CONCURRENT_READS));
    }

    /** Blocks until a request may be sent; close the permit when its response has arrived. */
    public Permit acquire(boolean write) throws InterruptedException {
        return acquire(write, 1);
    }

    /**
     * Blocks until {@code count} requests may be sent together, as the actions of one batch call, which Asana
     * counts one by one against the budget and the concurrency limit.
     */
    public Permit acquire(boolean write, int count) throws InterruptedException {
        if (count < 1 || count > budget) {
            throw new IllegalArgumentException("between 1 and the budget (" + budget + ") requests at once, not " + count);
        }
        Semaphore pool = write ? writes : reads;
        pool.acquire(count);
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.nanoTime();
                expire(now);
                long wait;
                if (now - pausedUntil < 0) {
                    wait = pausedUntil - now;
                } else if (inFlight + finished.size() + count <= budget) {
                    break;
                } else {
                    wait = finished.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(50)
                            : finished.peekFirst() + windowNanos - now;
                }
                changed.awaitNanos(Math.max(wait, 1));
            }
            inFlight += count;
            requests.addAndGet(count);
        } catch (InterruptedException e) {
            pool.release(count);
            throw e;
        } finally {
            lock.unlock();
        }
        return new Permit(pool, count);
    }

    /** Holds every caller of this token back for {@code delay}, as Asana's Retry-After asks. */
    public void pauseFor(Duration delay) {
        lock.lock();
        try {
            long until = System.nanoTime() + delay.toNanos();
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Requests in flight or finished within the trailing window: the part of the budget in use. */
    public int used() {
        lock.lock();
        try {
            expire(System.nanoTime());
            return inFlight + finished.size();
        } finally {
            lock.unlock();
        }
    }

    public int budget() {
        return budget;
    }

    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /** Requests sent, retries included. */
    public long requests() {
        return requests.get();
    }

    /** 429 answers received. */
    public long rateLimited() {
        return rateLimited.get();
    }

    /** Requests that were repeats of an earlier attempt. */
    public long retries() {
        return retries.get();
    }

    void recordRateLimited() {
        rateLimited.incrementAndGet();
    }

    void recordRetry() {
        retries.incrementAndGet();
    }

    private void expire(long now) {
        while (!finished.isEmpty() && now - finished.peekFirst() >= windowNanos) {
            finished.pollFirst();
        }
    }

    /** A call's claim on the budget and on concurrency slots: one per request it carries. */
    public final class Permit implements AutoCloseable {
        private final Semaphore pool;
        private final int count;
        private boolean closed;

        private Permit(Semaphore pool, int count) {
            this.pool = pool;
            this.count = count;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            lock.lock();
            try {
                inFlight -= count;
                long now = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    finished.addLast(now);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            pool.release(count);
        }
    }

    @Override
    public String toString() {
        return "RateLimiter{budget=" + budget + "/" + window() + ", used=" + used() + "}";
    }
}
