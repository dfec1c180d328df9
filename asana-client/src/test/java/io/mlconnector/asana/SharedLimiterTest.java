package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One limiter per token and JVM, with one budget; a limiter no client uses gives the token free. */
class SharedLimiterTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final String token = "pat-" + UUID.randomUUID();

    private AsanaClient client(int budget, Duration window) {
        return AsanaClient.builder(AsanaCredentials.personalAccessToken(token)).budget(budget, window).build();
    }

    @Test
    void anotherBudgetForATokenInUseIsRefusedNamingBoth() {
        try (AsanaClient connector = client(1500, MINUTE)) {
            RateLimiter.BudgetConflictException e = assertThrows(RateLimiter.BudgetConflictException.class,
                    () -> client(1, MINUTE));
            assertEquals(1500, e.budgetInUse());
            assertEquals(1, e.budgetAsked());
            assertTrue(e.getMessage().contains("1500 requests per minute") && e.getMessage().contains("not 1 request per minute"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("every connector using one token must declare the same budget"));
            assertFalse(e.getMessage().contains(token), "no token in the message");
            assertThrows(RateLimiter.BudgetConflictException.class, () -> client(1500, Duration.ofSeconds(30)),
                    "the window is part of the budget");
            assertEquals(1500, connector.rateLimiter().budget(), "the connector's limiter is untouched");
        }
    }

    @Test
    void theSameBudgetSharesOneLimiter() {
        AsanaClient a = client(150, MINUTE);
        try (AsanaClient b = client(150, MINUTE)) {
            assertSame(a.rateLimiter(), b.rateLimiter());
            a.close();
            assertThrows(RateLimiter.BudgetConflictException.class, () -> client(1, MINUTE), "b still uses the token");
        }
    }

    @Test
    void aClosedClientsLimiterIsTakenUpAgainOrReplacedAndTheClientSendsNothing() throws Exception {
        AsanaClient first = client(5, MINUTE);
        RateLimiter limiter = first.rateLimiter();
        limiter.acquire(false).close();
        first.close();
        assertThrows(IllegalStateException.class, first::currentUserGid, "closed: nothing may be sent");

        try (AsanaClient restarted = client(5, MINUTE)) {
            assertSame(limiter, restarted.rateLimiter(), "same budget: the trailing window's requests still count");
            assertEquals(1, restarted.rateLimiter().used());
        }
        try (AsanaClient other = client(1, MINUTE)) {
            assertNotSame(limiter, other.rateLimiter(), "unused: another budget takes the token over");
            assertEquals(1, other.rateLimiter().budget());
        }
    }

    @Test
    void aClientDroppedWithoutCloseDoesNotPinItsBudget() throws Exception {
        dropAClient(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            System.gc();
            try (AsanaClient connector = client(1500, MINUTE)) {
                assertEquals(1500, connector.rateLimiter().budget());
                return;
            } catch (RateLimiter.BudgetConflictException stillPinned) {
                if (System.nanoTime() > deadline) {
                    throw stillPinned;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void theLimiterLetsThroughItsClientsSharesTogetherAtMostTheBudget() {
        try (AsanaClient sinkTask = share(100, 30); AsanaClient sourceTask = share(100, 20)) {
            RateLimiter limiter = sinkTask.rateLimiter();
            assertEquals(50, limiter.allowance());
            AsanaClient another = share(100, 80);
            assertEquals(100, limiter.allowance(), "never more than the budget");
            another.close();
            assertEquals(50, limiter.allowance(), "a closed client's share is given back");
            sourceTask.close();
            assertEquals(30, limiter.allowance());
            assertEquals(100, limiter.budget(), "the budget is the token's, whatever the shares");
        }
        assertThrows(IllegalArgumentException.class, () -> share(100, 101), "a share is part of the budget");
        try (AsanaClient whole = client(100, MINUTE)) {
            assertEquals(100, whole.rateLimiter().allowance(), "without a share, the whole budget");
        }
    }

    private AsanaClient share(int budget, int share) {
        return AsanaClient.builder(AsanaCredentials.personalAccessToken(token)).budget(budget, MINUTE).share(share).build();
    }

    /** A validate call's client: built, used for nothing, never closed. */
    private void dropAClient(int budget) {
        assertEquals(budget, client(budget, MINUTE).rateLimiter().budget());
    }
}
