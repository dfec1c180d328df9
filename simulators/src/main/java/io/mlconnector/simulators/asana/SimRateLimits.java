package io.mlconnector.simulators.asana;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asana's per-token limits as the server applies them: a sliding window of requests (rejected ones
 * count too, as Asana's do) and independent read and write concurrency pools.
 */
final class SimRateLimits {
    private final int budget;
    private final long windowNanos;
    private final int maxReads;
    private final int maxWrites;
    private final Map<String, TokenState> tokens = new ConcurrentHashMap<>();

    SimRateLimits(int budget, Duration window, int maxReads, int maxWrites) {
        this.budget = budget;
        this.windowNanos = window.toNanos();
        this.maxReads = maxReads;
        this.maxWrites = maxWrites;
    }

    /** Null when admitted (call {@link #release} afterwards), else the Retry-After in seconds. */
    Long admit(String token, boolean write) {
        TokenState state = tokens.computeIfAbsent(token, t -> new TokenState());
        long now = System.nanoTime();
        synchronized (state) {
            while (!state.arrivals.isEmpty() && now - state.arrivals.peekFirst() >= windowNanos) {
                state.arrivals.pollFirst();
            }
            boolean overBudget = state.arrivals.size() >= budget;
            state.arrivals.addLast(now);
            if (overBudget) {
                long waitNanos = state.arrivals.peekFirst() + windowNanos - now;
                return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            }
        }
        AtomicInteger pool = write ? state.writes : state.reads;
        if (pool.incrementAndGet() > (write ? maxWrites : maxReads)) {
            pool.decrementAndGet();
            return 1L;
        }
        return null;
    }

    void release(String token, boolean write) {
        release(token, write ? 0 : 1, write ? 1 : 0);
    }

    /**
     * A batch: each action counts against the budget and the concurrency limits as a request of its own, and if
     * one would exceed a limit the whole batch is refused (seconds to wait), else null.
     */
    Long admitAll(String token, int reads, int writes) {
        TokenState state = tokens.computeIfAbsent(token, t -> new TokenState());
        long now = System.nanoTime();
        synchronized (state) {
            while (!state.arrivals.isEmpty() && now - state.arrivals.peekFirst() >= windowNanos) {
                state.arrivals.pollFirst();
            }
            boolean overBudget = state.arrivals.size() + reads + writes > budget;
            for (int i = 0; i < reads + writes; i++) {
                state.arrivals.addLast(now);
            }
            if (overBudget) {
                long waitNanos = state.arrivals.peekFirst() + windowNanos - now;
                return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            }
        }
        if (state.reads.addAndGet(reads) > maxReads | state.writes.addAndGet(writes) > maxWrites) {
            release(token, reads, writes);
            return 1L;
        }
        return null;
    }

    void release(String token, int reads, int writes) {
        TokenState state = tokens.get(token);
        state.reads.addAndGet(-reads);
        state.writes.addAndGet(-writes);
    }

    int budget() {
        return budget;
    }

    Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    private static final class TokenState {
        final ArrayDeque<Long> arrivals = new ArrayDeque<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
    }
}
