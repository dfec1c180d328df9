package io.mlconnector.asana;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the client repeats a request. 429 is repeated after Retry-After (Asana rejected it
 * unprocessed), but only while Retry-After is at most {@link #maxRetryAfter()}: a longer one fails
 * the call with {@link RateLimitedException} instead of holding the caller, and every other caller
 * of the token, that long. 5xx and timeouts are repeated with exponential backoff and jitter only
 * for requests that are safe to repeat; a POST that creates is never repeated.
 */
public final class RetryPolicy {
    /** Asana's budget windows are a minute long; a longer Retry-After is not one to sit out. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final int maxAttempts;
    private final int maxRateLimitedRetries;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;

    /** With Retry-After honoured up to {@link #DEFAULT_MAX_RETRY_AFTER}. */
    public RetryPolicy(int maxAttempts, int maxRateLimitedRetries, Duration baseBackoff, Duration maxBackoff) {
        this(maxAttempts, maxRateLimitedRetries, baseBackoff, maxBackoff, DEFAULT_MAX_RETRY_AFTER);
    }

    public RetryPolicy(int maxAttempts, int maxRateLimitedRetries, Duration baseBackoff, Duration maxBackoff,
            Duration maxRetryAfter) {
        if (maxAttempts < 1 || maxRateLimitedRetries < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, maxRateLimitedRetries >= 0 and"
                    + " maxRetryAfter not negative");
        }
        this.maxAttempts = maxAttempts;
        this.maxRateLimitedRetries = maxRateLimitedRetries;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** 5 attempts, 1 s doubling to 30 s; up to 10 rate-limited retries, each after a Retry-After of at most 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, 10, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int maxRateLimitedRetries() {
        return maxRateLimitedRetries;
    }

    /** The longest Retry-After the client waits out; a 429 asking for longer fails the call. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Pause before attempt {@code attempt + 1} (attempt counts from 1): full jitter over base × 2^(attempt-1). */
    Duration backoff(int attempt) {
        long ceiling = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /**
     * The pause before repeating a request answered 429 for the {@code retry}th time (from 1): Retry-After
     * ({@code retryAfterSeconds}, negative when Asana sent none, then backoff); empty when the call should fail
     * instead, because the retries are spent or Retry-After is longer than {@link #maxRetryAfter()}.
     */
    Optional<Duration> rateLimitedPause(int retry, long retryAfterSeconds) {
        if (retry > maxRateLimitedRetries || retryAfterSeconds > maxRetryAfter.toSeconds()) {
            return Optional.empty();
        }
        return Optional.of(retryAfterSeconds >= 0 ? Duration.ofSeconds(retryAfterSeconds) : backoff(retry));
    }
}
