package io.mlconnector.asana;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Asana's per-token limits, enforced before a request leaves: a sliding-window budget (requests
 * per window) and the concurrency caps (15 writes, 50 reads in flight). One instance per token in
 * the JVM ({@link #lease}), keyed by the token's hash, so every client using the token shares it.
 * Every client of a token must declare the same budget: Asana's limit is the token's, so two budgets
 * for one token would be one budget too many. A client asking another budget while the token's
 * limiter is in use is refused with {@link BudgetConflictException}; once no client uses it, any
 * budget may take the token over.
 *
 * <p>A request occupies a window slot from the moment it is sent until one window after its
 * response arrived. Asana counts it somewhere in between, so Asana's window never holds more of
 * our requests than ours does, and a budget equal to Asana's is never exceeded.
 *
 * <p>Requests are also paced: on average one window divided by the budget apart (40 ms at 1,500 a minute), at
 * most a twentieth of a window (3 s at a minute) ahead of that pace, and a new limiter starts on the pace, with
 * nothing ahead. A limiter knows nothing of the requests a crashed worker sent just before; had those come in a
 * burst of a whole budget, Asana's window would still be full when the restarted worker sends its own, and Asana
 * would answer 429. Paced on both sides of the crash, any window holds at most the budget plus that twentieth,
 * less what the restart's pause skipped: within the budget once a restart takes 3 s (a minute's window), as a
 * worker's does.
 *
 * <p>Each client leases a share of the budget, and the limiter lets through the sum of its clients' shares, at
 * most the budget: its allowance. Clients in other JVMs (other workers) cannot be seen, so the token's budget
 * holds across workers when the shares of all its clients, wherever they run, add up to no more than the budget.
 */
public final class RateLimiter {
    public static final int FREE_BUDGET_PER_MINUTE = 150;
    public static final int PAID_BUDGET_PER_MINUTE = 1500;
    public static final int MAX_CONCURRENT_WRITES = 15;
    public static final int MAX_CONCURRENT_READS = 50;

    private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();

    private final int budget;
    private final long windowNanos;
    /** The sum of the leased shares, at most the budget; written only under {@link #lock}. */
    private int allowance;
    private final Semaphore writes;
    private final Semaphore reads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Long> finished = new ArrayDeque<>();
    private int inFlight;
    private long pausedUntil = System.nanoTime();
    /** The pace: the average gap between requests, and how far ahead of it requests may run. */
    private long spacingNanos;
    private final long aheadNanos;
    /** When the requests sent so far would all have gone at the pace; the next may go {@link #aheadNanos} before. */
    private long paceAt;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    /** Clients using this limiter through {@link #lease}, and their shares; used only inside {@code SHARED.compute}. */
    private int leases;
    private long leasedShares;

    public RateLimiter(int budget, Duration window, int maxWrites, int maxReads) {
        if (budget < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("budget must be >= 1 and window positive");
        }
        this.budget = budget;
        this.windowNanos = window.toNanos();
        this.allowance = budget;
        this.spacingNanos = windowNanos / budget;
        this.aheadNanos = windowNanos / 20;
        this.paceAt = System.nanoTime() + aheadNanos;
        this.writes = new Semaphore(maxWrites, true);
        this.reads = new Semaphore(maxReads, true);
    }

    /**
     * A use of the limiter every client of this token shares, until the lease is closed, adding {@code share}
     * requests per window to its allowance. An unused limiter with the same budget is taken up again, so a
     * restarted client inherits the requests of the trailing window; one with another budget is replaced.
     *
     * @throws BudgetConflictException when clients still use the token's limiter with another budget or window
     */
    static Lease lease(String tokenKey, int budget, Duration window, int share) {
        if (share < 1 || share > budget) {
            throw new IllegalArgumentException("a share is between 1 and the budget (" + budget + "), not " + share);
        }
        evictDrained();
        RateLimiter limiter = SHARED.compute(tokenKey, (key, existing) -> {
            RateLimiter chosen = existing;
            if (existing == null || existing.leases == 0 && !existing.hasBudget(budget, window)) {
                chosen = new RateLimiter(budget, window, MAX_CONCURRENT_WRITES, MAX_CONCURRENT_READS);
            } else if (!existing.hasBudget(budget, window)) {
                throw new BudgetConflictException(existing.budget, existing.window(), budget, window);
            }
            chosen.leases++;
            chosen.leasedShares += share;
            chosen.allow(chosen.leasedShares);
            return chosen;
        });
        return new Lease(tokenKey, limiter, share);
    }

    /** Lets through {@code requests} per window (at most the budget) from now on, paced to match. */
    private void allow(long requests) {
        lock.lock();
        try {
            allowance = (int) Math.max(1, Math.min(budget, requests));
            spacingNanos = windowNanos / allowance;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every limiter, with what its window holds, as a worker killed and started again would; for tests. */
    static void forgetAllAsAfterACrash() {
        SHARED.clear();
    }

    /** Forgets limiters no client uses and whose window holds no request any more. */
    private static void evictDrained() {
        for (String key : SHARED.keySet()) {
            SHARED.computeIfPresent(key, (k, limiter) -> limiter.leases == 0 && limiter.drained() ? null : limiter);
        }
    }

    private boolean hasBudget(int requests, Duration per) {
        return budget == requests && windowNanos == per.toNanos();
    }

    private boolean drained() {
        lock.lock();
        try {
            long now = System.nanoTime();
            expire(now);
            return inFlight + finished.size() == 0 && now - pausedUntil >= 0;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until a request may be sent; close the permit when its response has arrived. */
    public Permit acquire(boolean write) throws InterruptedException {
        return acquire(write, 1);
    }

    /**
     * Blocks until {@code count} requests may be sent together, as the actions of one batch call, which Asana
     * counts one by one against the budget and the concurrency limit. A batch larger than the allowance goes
     * alone, once the window is empty.
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
                } else if (now - (paceAt - aheadNanos) < 0) {
                    wait = paceAt - aheadNanos - now;
                } else if (inFlight + finished.size() + count <= allowance || inFlight + finished.size() == 0) {
                    break;
                } else {
                    wait = finished.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(50)
                            : finished.peekFirst() + windowNanos - now;
                }
                changed.awaitNanos(Math.max(wait, 1));
            }
            inFlight += count;
            requests.addAndGet(count);
            long sent = System.nanoTime();
            paceAt = (sent - paceAt > 0 ? sent : paceAt) + count * spacingNanos;
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

    /** The token's budget per window, as every client of the token declares it. */
    public int budget() {
        return budget;
    }

    /** Requests per window this limiter lets through: its clients' shares together, at most the budget. */
    public int allowance() {
        lock.lock();
        try {
            return allowance;
        } finally {
            lock.unlock();
        }
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
        return "RateLimiter{budget=" + budget + "/" + window() + ", allowance=" + allowance() + ", used=" + used() + "}";
    }

    /** One client's use of its token's shared limiter; closing it (once is enough) ends that use and its share. */
    static final class Lease implements AutoCloseable {
        private final String tokenKey;
        private final RateLimiter limiter;
        private final int share;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(String tokenKey, RateLimiter limiter, int share) {
            this.tokenKey = tokenKey;
            this.limiter = limiter;
            this.share = share;
        }

        RateLimiter limiter() {
            return limiter;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                SHARED.computeIfPresent(tokenKey, (key, shared) -> {
                    if (shared != limiter) {
                        return shared;
                    }
                    shared.leasedShares -= share;
                    if (--shared.leases == 0) {
                        return shared.drained() ? null : shared;
                    }
                    shared.allow(shared.leasedShares);
                    return shared;
                });
            }
        }
    }

    /**
     * A client asked for another budget than the one the token's limiter already enforces for other
     * clients in this JVM. Asana limits the token, not the client, so every connector using one token
     * must declare the same budget.
     */
    public static final class BudgetConflictException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final int budgetInUse;
        private final Duration windowInUse;
        private final int budgetAsked;
        private final Duration windowAsked;

        public BudgetConflictException(int budgetInUse, Duration windowInUse, int budgetAsked, Duration windowAsked) {
            super("this Asana token is already used in this worker with a budget of " + describe(budgetInUse, windowInUse)
                    + ", not " + describe(budgetAsked, windowAsked) + ": every connector using one token must declare"
                    + " the same budget");
            this.budgetInUse = budgetInUse;
            this.windowInUse = windowInUse;
            this.budgetAsked = budgetAsked;
            this.windowAsked = windowAsked;
        }

        private static String describe(int budget, Duration window) {
            return budget + (budget == 1 ? " request per " : " requests per ") + (window.equals(Duration.ofMinutes(1)) ? "minute"
                    : window.toMillis() % 1000 == 0 ? window.toSeconds() + " s" : window.toMillis() + " ms");
        }

        /** The budget the token's limiter enforces for the clients already using it. */
        public int budgetInUse() {
            return budgetInUse;
        }

        public Duration windowInUse() {
            return windowInUse;
        }

        /** The budget the refused client asked for. */
        public int budgetAsked() {
            return budgetAsked;
        }

        public Duration windowAsked() {
            return windowAsked;
        }
    }
}
