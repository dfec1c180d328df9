package io.mlconnector.infor;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one retry policy for ION: 429, 502, 503, 504 and timeouts are retried with capped exponential backoff and
 * full jitter, or after {@code Retry-After} when the gateway sends one (capped by {@link #maxRetryAfter()}).
 * Other statuses are not retried.
 *
 * <p>429 means the gateway rejected the call before the backend saw it, so it is always safe to repeat. After a
 * 502/503/504 or a timeout the backend may have executed the call, so non-idempotent calls (M3 {@code Add*}) are
 * not repeated; the caller gets an {@link IonHttpException} and must look before it adds again.
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration maxRetryAfter;

    /**
     * @param maxAttempts   calls in total, first one included (at least 1)
     * @param baseDelay     the backoff ceiling before the first retry; it doubles per retry
     * @param maxDelay      the cap on the backoff ceiling
     * @param maxRetryAfter the longest Retry-After honoured; longer values are cut to this
     */
    public RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** 6 attempts, 250 ms base, 30 s cap, Retry-After honoured up to 2 minutes. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    public static boolean isRetryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** Whether {@code status} may be repeated for a call that is {@code idempotent} or not. */
    public static boolean mayRepeat(int status, boolean idempotent) {
        return status == 429 || idempotent && isRetryableStatus(status);
    }

    /**
     * The wait before retry number {@code retry} (1 = first retry): the Retry-After value when present and
     * parseable (delta-seconds or HTTP-date), else a uniform random duration in [0, min(maxDelay, base * 2^(retry-1))].
     */
    public Duration delay(int retry, String retryAfter) {
        Duration fromHeader = parseRetryAfter(retryAfter);
        if (fromHeader != null) {
            return fromHeader.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : fromHeader;
        }
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * (1L << Math.min(Math.max(retry - 1, 0), 20)));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", base=" + baseDelay + ", max=" + maxDelay + ", maxRetryAfter=" + maxRetryAfter + "}";
    }
}
