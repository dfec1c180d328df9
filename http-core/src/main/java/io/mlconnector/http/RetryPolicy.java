package io.mlconnector.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a call is repeated, for both clients.
 *
 * <ul>
 *   <li>429: the service refused the request unprocessed, so any method may go again, after Retry-After (or
 *       backoff when there is none), up to {@link #maxRateLimitedRetries()} times. A Retry-After longer than
 *       {@link #maxRetryAfter()} fails the call instead of holding the caller, and everyone sharing its budget,
 *       that long.</li>
 *   <li>500, 502, 503, 504, a timeout or a reset connection: the service may have done the work, so only calls that
 *       are safe to repeat go again, with backoff, within {@link #maxAttempts()} calls in all.</li>
 *   <li>A request that never left (connection refused, unknown host, no token): repeated for any method.</li>
 * </ul>
 * Backoff is "equal jitter": half of the ceiling base × 2^(n-1), capped, plus a random part up to the other half,
 * so retries of many callers spread out but never come back at once.
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final int maxRateLimitedRetries;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;

    /**
     * @param maxAttempts           calls in all for failures other than 429, the first included (at least 1)
     * @param maxRateLimitedRetries repeats after 429s, counted apart (at least 0)
     * @param baseBackoff           the backoff ceiling before the first repeat; it doubles per repeat
     * @param maxBackoff            the cap on the backoff ceiling
     * @param maxRetryAfter         the longest Retry-After waited out; a longer one fails the call
     */
    public RetryPolicy(int maxAttempts, int maxRateLimitedRetries, Duration baseBackoff, Duration maxBackoff,
            Duration maxRetryAfter) {
        if (maxAttempts < 1 || maxRateLimitedRetries < 0 || maxRetryAfter.isNegative() || baseBackoff.isNegative()
                || maxBackoff.compareTo(baseBackoff) < 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, maxRateLimitedRetries >= 0, maxRetryAfter"
                    + " and baseBackoff not negative, and maxBackoff >= baseBackoff");
        }
        this.maxAttempts = maxAttempts;
        this.maxRateLimitedRetries = maxRateLimitedRetries;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
        this.maxRetryAfter = maxRetryAfter;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int maxRateLimitedRetries() {
        return maxRateLimitedRetries;
    }

    /** The longest Retry-After waited out; a 429 asking for longer fails the call. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Whether an answer with {@code status} (not 429) may be repeated for a call that is {@code safeToRepeat} or not. */
    public static boolean mayRepeat(int status, boolean safeToRepeat) {
        return safeToRepeat && (status == 500 || status == 502 || status == 503 || status == 504);
    }

    /** The pause before repeat number {@code repeat} (from 1) after a failure other than 429. */
    public Duration backoff(int repeat) {
        long ceiling = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(Math.max(repeat - 1, 0), 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1));
    }

    /**
     * The pause before repeating a request answered 429 for the {@code retry}th time (from 1): Retry-After when the
     * service sent one, else backoff; empty when the call should fail instead, because the retries are spent or
     * Retry-After is longer than {@link #maxRetryAfter()}.
     */
    public Optional<Duration> rateLimitedPause(int retry, Optional<Duration> retryAfter) {
        if (retry > maxRateLimitedRetries || retryAfter.filter(wait -> wait.compareTo(maxRetryAfter) > 0).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(retryAfter.orElseGet(() -> backoff(retry)));
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", maxRateLimitedRetries=" + maxRateLimitedRetries
                + ", backoff=" + baseBackoff + ".." + maxBackoff + ", maxRetryAfter=" + maxRetryAfter + "}";
    }
}
