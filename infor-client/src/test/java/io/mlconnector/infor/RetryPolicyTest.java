package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void retriesOnlyThrottlingAndGatewayStatuses() {
        for (int s : new int[]{429, 502, 503, 504}) {
            assertTrue(RetryPolicy.isRetryableStatus(s), String.valueOf(s));
        }
        for (int s : new int[]{400, 401, 403, 404, 405, 409, 500, 501}) {
            assertFalse(RetryPolicy.isRetryableStatus(s), String.valueOf(s));
        }
        assertTrue(RetryPolicy.mayRepeat(429, false), "a 429 never reached the backend");
        assertFalse(RetryPolicy.mayRepeat(503, false), "after a 503 an Add may have run");
        assertTrue(RetryPolicy.mayRepeat(503, true));
    }

    @Test
    void backoffIsFullJitterUnderADoublingCappedCeiling() {
        long maxSeen = 0;
        for (int i = 0; i < 2000; i++) {
            long first = policy.delay(1, null).toMillis();
            assertTrue(first >= 0 && first <= 100, "retry 1 within [0,100]: " + first);
            long third = policy.delay(3, null).toMillis();
            assertTrue(third <= 400, "retry 3 within [0,400]: " + third);
            long tenth = policy.delay(10, null).toMillis();
            assertTrue(tenth <= 1000, "capped at 1 s: " + tenth);
            maxSeen = Math.max(maxSeen, tenth);
        }
        assertTrue(maxSeen > 500, "jitter spans the range, saw max " + maxSeen);
    }

    @Test
    void honoursRetryAfterSecondsAndDatesUpToTheCap() {
        assertEquals(Duration.ofSeconds(3), policy.delay(1, "3"));
        assertEquals(Duration.ofSeconds(10), policy.delay(1, "3600"), "capped by maxRetryAfter");
        String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
        long fromDate = policy.delay(1, inFiveSeconds).toMillis();
        assertTrue(fromDate > 3000 && fromDate <= 5000, "HTTP-date Retry-After: " + fromDate);
        assertNull(RetryPolicy.parseRetryAfter("soon"));
        assertTrue(policy.delay(1, "soon").toMillis() <= 100, "unparseable header falls back to backoff");
    }
}
