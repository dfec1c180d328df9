package io.mlconnector.simulators.ion.ims;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When and how often the simulated ION redelivers a message. The reference (1.10, 5) says ION's retry schedule,
 * attempt count and status classification are NOT publicly documented; it confirms only at-least-once delivery
 * and that any 2xx is success. Every value here is therefore a documented guess:
 *
 * <ul>
 *   <li>{@code retryStatuses}: default {@link #INFOR_CLIENT_RETRY_STATUSES}, the statuses Infor's own sample client
 *       marks "retry logic here" (reference 1.6, [C G2]); other non-2xx statuses (400, 412, 413, 429, ...) are
 *       final. {@code retryAllNon2xx = true} retries every non-2xx instead.</li>
 *   <li>{@code retryNetworkErrors}: default true: connection failures and request timeouts are retried.</li>
 *   <li>backoff: attempt {@code k} (1-based) failed, the next one starts after
 *       {@code min(maxBackoff, initialBackoff * multiplier^(k-1))}; defaults 1 s, x2, at most 30 s; no jitter, so
 *       delays are predictable in tests.</li>
 *   <li>{@code maxAttempts}: default 5, the first delivery included.</li>
 * </ul>
 * A 2xx answer is never retried.
 */
public record RetryPolicy(Set<Integer> retryStatuses, boolean retryAllNon2xx, boolean retryNetworkErrors,
                          Duration initialBackoff, Duration maxBackoff, double multiplier, int maxAttempts) {

    /** 401, 403, 404, 406, 408, 415, 500, 502, 503, 504 (reference 1.6, [C G2]). */
    public static final Set<Integer> INFOR_CLIENT_RETRY_STATUSES = Set.of(401, 403, 404, 406, 408, 415, 500, 502, 503, 504);

    public RetryPolicy {
        retryStatuses = Set.copyOf(Objects.requireNonNull(retryStatuses, "retryStatuses"));
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(INFOR_CLIENT_RETRY_STATUSES, false, true, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 5);
    }

    /** One attempt per message, nothing retried. */
    public static RetryPolicy none() {
        return defaults().withMaxAttempts(1);
    }

    public RetryPolicy withRetryStatuses(Set<Integer> value) {
        return new RetryPolicy(value, retryAllNon2xx, retryNetworkErrors, initialBackoff, maxBackoff, multiplier, maxAttempts);
    }

    public RetryPolicy withRetryAllNon2xx(boolean value) {
        return new RetryPolicy(retryStatuses, value, retryNetworkErrors, initialBackoff, maxBackoff, multiplier, maxAttempts);
    }

    public RetryPolicy withRetryNetworkErrors(boolean value) {
        return new RetryPolicy(retryStatuses, retryAllNon2xx, value, initialBackoff, maxBackoff, multiplier, maxAttempts);
    }

    public RetryPolicy withBackoff(Duration initial, Duration max, double factor) {
        return new RetryPolicy(retryStatuses, retryAllNon2xx, retryNetworkErrors, initial, max, factor, maxAttempts);
    }

    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(retryStatuses, retryAllNon2xx, retryNetworkErrors, initialBackoff, maxBackoff, multiplier, value);
    }

    /** Whether an HTTP answer with this status is redelivered; a 2xx never is. */
    public boolean retries(int status) {
        if (status >= 200 && status < 300) {
            return false;
        }
        return retryAllNon2xx || retryStatuses.contains(status);
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1);
        long capped = (long) Math.min(millis, (double) maxBackoff.toMillis());
        return Duration.ofMillis(Math.max(0, capped));
    }
}
