package io.mlconnector.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounded stage verified deliveries run in: a full stage and a passed deadline are both answered 503 at once,
 * so that the sender retries and no connection waits past its deadline. Deliveries are held with latches.
 */
class DeliveryStageTest {

    /** Far enough that it never passes during a test, unless a test is about deadlines. */
    private static final Duration FAR = Duration.ofSeconds(30);
    private static final Duration SHORT_DEADLINE = Duration.ofMillis(300);
    /** How long any latch or condition may take before the test fails instead of hanging. */
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** An answer "at once" must come within this: generous, a bound on blocking, not a benchmark. */
    private static final Duration PROMPT = Duration.ofSeconds(1);

    /** Holds every delivery made by {@link #held} until the test (or cleanup) opens it. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private DeliveryStage stage;

    @AfterEach
    void stop() {
        release.countDown();
        callers.shutdownNow();
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void aThirdConcurrentDeliveryIsAnswered503AtOnceWhenOneRunsAndOneWaits() throws Exception {
        stage = new DeliveryStage("test", 1, 1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        Future<Integer> running = callers.submit(() -> stage.run(held(firstStarted, 200), in(FAR)));
        assertTrue(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        Future<Integer> waiting = callers.submit(() -> stage.run(() -> 202, in(FAR)));
        awaitWithin(WAIT, "one delivery runs and one waits", () -> stage.busy() == 2);

        AtomicBoolean thirdRan = new AtomicBoolean();
        long start = System.nanoTime();
        int third = stage.run(() -> {
            thirdRan.set(true);
            return 200;
        }, in(FAR));
        Duration took = since(start);

        assertEquals(503, third);
        assertTrue(took.compareTo(PROMPT) < 0, "a full stage answers at once, not at the deadline; took " + took);
        assertEquals(1, stage.refusedFull.get());
        assertFalse(thirdRan.get(), "a refused delivery is never run");

        release.countDown();
        assertEquals(200, running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(202, waiting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the waiting one ran once a worker freed");
        assertEquals(0, stage.timedOut.get());
    }

    @Test
    void aRunningDeliveryThatOutlivesItsDeadlineIsAnswered503AtTheDeadline() throws Exception {
        stage = new DeliveryStage("test", 1, 1);
        CountDownLatch started = new CountDownLatch(1);

        long start = System.nanoTime();
        int status = stage.run(held(started, 200), in(SHORT_DEADLINE));
        Duration took = since(start);

        assertEquals(503, status);
        assertEquals(0, started.getCount(), "it had started");
        assertTrue(took.compareTo(SHORT_DEADLINE) >= 0 && took.compareTo(SHORT_DEADLINE.plus(PROMPT)) < 0,
                "answered at the deadline, not when the delivery ends; took " + took);
        assertEquals(1, stage.timedOut.get());
        assertEquals(0, stage.refusedFull.get());

        // A started delivery finishes on its own (the sender's retry is deduplicated); then the stage serves again.
        release.countDown();
        awaitWithin(WAIT, "the abandoned delivery finished", () -> stage.busy() == 0);
        assertEquals(200, stage.run(() -> 200, in(FAR)));
    }

    @Test
    void aWaitingDeliveryWhoseDeadlinePassesIsAnswered503AndNeverRuns() throws Exception {
        stage = new DeliveryStage("test", 1, 1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        Future<Integer> running = callers.submit(() -> stage.run(held(firstStarted, 200), in(FAR)));
        assertTrue(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        AtomicBoolean waitingRan = new AtomicBoolean();
        int status = stage.run(() -> {
            waitingRan.set(true);
            return 200;
        }, in(SHORT_DEADLINE));

        assertEquals(503, status);
        assertEquals(1, stage.timedOut.get());
        release.countDown();
        assertEquals(200, running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        awaitWithin(WAIT, "the stage drained", () -> stage.busy() == 0);
        assertFalse(waitingRan.get(), "a delivery answered 503 before it started must not run later");
    }

    @Test
    void aDeadlineAlreadyPassedIsAnswered503WithoutWaiting() {
        stage = new DeliveryStage("test", 1, 1);
        long start = System.nanoTime();
        assertEquals(503, stage.run(held(new CountDownLatch(1), 200), start - 1));
        Duration took = since(start);
        assertTrue(took.compareTo(PROMPT) < 0, "no wait at all; took " + took);
        assertEquals(1, stage.timedOut.get());
    }

    @Test
    void theDeliverysStatusIsAnsweredAndItsFailureRethrown() {
        stage = new DeliveryStage("test", 2, 4);
        assertEquals(200, stage.run(() -> 200, in(FAR)));
        assertEquals(500, stage.run(() -> 500, in(FAR)));

        IllegalStateException kafkaDown = new IllegalStateException("Kafka is down");
        assertSame(kafkaDown, assertThrows(IllegalStateException.class, () -> stage.run(() -> {
            throw kafkaDown;
        }, in(FAR))), "the caller answers 500 on it");
        assertEquals(0, stage.refusedFull.get() + stage.timedOut.get());
    }

    @Test
    void aDeliveryAbandonedAtItsDeadlineGivesUpItsPlaceInTheQueue() throws Exception {
        // Left in the executor's queue, it would hold a slot until a worker reached it: later deliveries would be
        // refused as "full" while nothing waits.
        stage = new DeliveryStage("test", 1, 1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        Future<Integer> running = callers.submit(() -> stage.run(held(firstStarted, 200), in(FAR)));
        assertTrue(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(503, stage.run(() -> 200, in(SHORT_DEADLINE)), "abandoned at its deadline");
        assertEquals(1, stage.busy(), "only the running delivery is left in the stage");

        Future<Integer> next = callers.submit(() -> stage.run(() -> 202, in(FAR)));
        awaitWithin(WAIT, "the next delivery waits or is refused",
                () -> next.isDone() || stage.refusedFull.get() > 0 || stage.busy() == 2);
        release.countDown();

        assertEquals(0, stage.refusedFull.get(), "no delivery was waiting, so the stage was not full");
        assertEquals(202, next.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "it waits for the worker, then runs");
        assertEquals(200, running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** A delivery that says it started, then holds its worker until {@link #release} opens. */
    private IntSupplier held(CountDownLatch started, int status) {
        return () -> {
            started.countDown();
            try {
                if (!release.await(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                    fail("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return status;
        };
    }

    private static long in(Duration duration) {
        return System.nanoTime() + duration.toNanos();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Waits for a condition by polling it; fails when it does not hold within {@code limit}. */
    private static void awaitWithin(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(10); // the polling interval
        }
    }
}
