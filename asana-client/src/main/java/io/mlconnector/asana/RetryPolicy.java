package io.mlconnector.asana;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the client repeats a request. 429 is always repeated after exactly Retry-After (Asana
 * rejected it unprocessed). 5xx and timeouts are repeated with exponential backoff and jitter only
 * for requests that are safe to repeat; a POST that creates is never repeated.
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final int maxRateLimitedRetries;
    private final Duration baseBackoff;
    private final Duration maxBackoff;

    public RetryPolicy(int maxAttempts, int maxRateLimitedRetries, Duration baseBackoff, Duration maxBackoff) {
        if (maxAttempts < 1 || maxRateLimitedRetries < 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 1 and maxRateLimitedRetries >= 0");
        }
        this.maxAttempts = maxAttempts;
        this.maxRateLimitedRetries = maxRateLimitedRetries;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** 5 attempts, 1 s doubling to 30 s; up to 10 rate-limited retries. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, 10, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int maxRateLimitedRetries() {
        return maxRateLimitedRetries;
    }

    /** Pause before attempt {@code attempt + 1} (attempt counts from 1): full jitter over base × 2^(attempt-1). */
    Duration backoff(int attempt) {
        long ceiling = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
