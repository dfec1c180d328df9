package io.mlconnector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, 2, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(10));

    @Test
    void repeatsServerFailuresOnlyForCallsSafeToRepeat() {
        for (int status : new int[] {500, 502, 503, 504}) {
            assertTrue(RetryPolicy.mayRepeat(status, true), String.valueOf(status));
            assertFalse(RetryPolicy.mayRepeat(status, false), "after a " + status + " a create may have run");
        }
        for (int status : new int[] {400, 401, 403, 404, 409, 501}) {
            assertFalse(RetryPolicy.mayRepeat(status, true), String.valueOf(status));
        }
    }

    @Test
    void backoffIsEqualJitterUnderADoublingCappedCeiling() {
        long maxSeen = 0;
        for (int i = 0; i < 2000; i++) {
            long first = policy.backoff(1).toMillis();
            assertTrue(first >= 50 && first <= 100, "repeat 1 within [50,100]: " + first);
            long third = policy.backoff(3).toMillis();
            assertTrue(third >= 200 && third <= 400, "repeat 3 within [200,400]: " + third);
            long tenth = policy.backoff(10).toMillis();
            assertTrue(tenth >= 500 && tenth <= 1000, "capped at 1 s: " + tenth);
            maxSeen = Math.max(maxSeen, tenth);
        }
        assertTrue(maxSeen > 900, "jitter spans the range, saw max " + maxSeen);
    }

    @Test
    void aRateLimitedCallWaitsRetryAfterUpToTheCapAndTheRetries() {
        assertEquals(Optional.of(Duration.ofSeconds(3)), policy.rateLimitedPause(1, Optional.of(Duration.ofSeconds(3))));
        assertEquals(Optional.empty(), policy.rateLimitedPause(1, Optional.of(Duration.ofSeconds(11))),
                "a Retry-After over the cap fails the call rather than hold it");
        assertEquals(Optional.of(Duration.ofSeconds(10)), policy.rateLimitedPause(2, Optional.of(Duration.ofSeconds(10))));
        assertEquals(Optional.empty(), policy.rateLimitedPause(3, Optional.of(Duration.ofSeconds(1))), "2 retries spent");
        long fallback = policy.rateLimitedPause(1, Optional.empty()).orElseThrow().toMillis();
        assertTrue(fallback >= 50 && fallback <= 100, "no Retry-After: backoff, " + fallback);
    }
}
