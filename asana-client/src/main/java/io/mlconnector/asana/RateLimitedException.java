package io.mlconnector.asana;

import java.time.Duration;
import java.util.List;

/** 429 that outlasted the retry policy; {@link #retryAfter()} is Asana's Retry-After. */
public final class RateLimitedException extends AsanaException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public RateLimitedException(List<String> messages, long retryAfterSeconds) {
        super(429, messages, null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Duration retryAfter() {
        return Duration.ofSeconds(retryAfterSeconds);
    }
}
