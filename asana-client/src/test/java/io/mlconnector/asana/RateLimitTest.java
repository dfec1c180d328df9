package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.common.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private static final int BUDGET = 200;
    private static final Duration WINDOW = Duration.ofSeconds(5);

    /**
     * 24 threads with endless work against a simulator enforcing the same budget: Asana's window
     * scaled down from 1 minute to 5 s so the test spends 5 windows in 25 s.
     */
    @Test
    void neverExceedsTheBudgetAndSpendsAtLeastNinetyPercentOfIt() throws Exception {
        try (SimFixture fx = new SimFixture(AsanaSimulator.Config.defaults().withBudget(BUDGET, WINDOW))) {
            AsanaClient reads = AsanaClient.builder(AsanaCredentials.personalAccessToken(fx.token))
                    .baseUrl(fx.sim.apiUrl()).budget(BUDGET, WINDOW).build();
            AsanaClient writes = AsanaClient.builder(AsanaCredentials.personalAccessToken(fx.token))
                    .baseUrl(fx.sim.apiUrl()).budget(BUDGET, WINDOW).build();
            assertSame(reads.rateLimiter(), writes.rateLimiter());
            String task = writes.createTask(TaskRequest.builder("load").project(fx.project).build()).gid();
            fx.sim.log().clear();

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong done = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(24);
            List<Future<?>> workers = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 24; i++) {
                boolean write = i % 3 == 0;
                workers.add(pool.submit(() -> {
                    while (running.get()) {
                        if (write) {
                            writes.updateTask(task, TaskUpdate.builder().notes("n" + done.get()).build());
                        } else {
                            reads.getTask(task);
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            // The first window starts with a full budget; measure the steady state after it.
            Thread.sleep(WINDOW.toMillis());
            long afterFirstWindow = answered(fx);
            long steadyStart = System.nanoTime();
            Thread.sleep(WINDOW.toMillis() * 4);
            long steady = answered(fx) - afterFirstWindow;
            double steadySeconds = (System.nanoTime() - steadyStart) / 1e9;
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();

            double used = steady / (BUDGET * steadySeconds / WINDOW.toSeconds());
            System.out.printf("budget test: %d requests in %.1f s; steady state %d in %.1f s = %.1f%% of %d per %s;"
                    + " 429s: %d%n", answered(fx), seconds, steady, steadySeconds, used * 100, BUDGET, WINDOW,
                    fx.sim.log().callsWithStatus(429));
            assertEquals(0, fx.sim.log().callsWithStatus(429));
            assertEquals(0, reads.rateLimiter().rateLimited());
            assertTrue(used >= 0.90, "used " + used);
        }
    }

    /**
     * A worker killed while its threads spend the budget, and one started 0.5 s later (a tenth of the window) with
     * a limiter that knows nothing of the first one's requests: Asana's window, which holds both, never overflows.
     */
    @Test
    void aRestartedWorkerStaysInsideTheWindowItSharesWithTheKilledOne() throws Exception {
        try (SimFixture fx = new SimFixture(AsanaSimulator.Config.defaults().withBudget(BUDGET, WINDOW))) {
            String task = fx.client().createTask(TaskRequest.builder("load").project(fx.project).build()).gid();
            RateLimiter.forgetAllAsAfterACrash();
            fx.sim.log().clear();
            long killed = readFlatOut(fx, task, WINDOW.toMillis() / 2);
            RateLimiter.forgetAllAsAfterACrash();
            Thread.sleep(WINDOW.toMillis() / 10);
            long restarted = readFlatOut(fx, task, WINDOW.toMillis());
            System.out.printf("restart test: %d reads before the kill, %d after, budget %d per %s; 429s: %d%n", killed,
                    restarted, BUDGET, WINDOW, fx.sim.log().callsWithStatus(429));
            assertEquals(0, fx.sim.log().callsWithStatus(429));
            assertTrue(restarted >= BUDGET * 3 / 4, "the restarted worker still spent its budget: " + restarted);
        }
    }

    /**
     * Three workers' clients of one token, each with a third of the budget, reading flat out together for two
     * windows: each worker's limiter knows only its own client, yet Asana never answers 429, and together they spend
     * most of the budget. Given the whole budget each, as a worker alone would have it, they are answered 429.
     */
    @Test
    void threeWorkersWithAThirdOfTheBudgetEachKeepToItTogether() throws Exception {
        try (SimFixture fx = new SimFixture(AsanaSimulator.Config.defaults().withBudget(BUDGET, WINDOW))) {
            String task = fx.client().createTask(TaskRequest.builder("load").project(fx.project).build()).gid();
            fx.sim.log().clear();
            long reads = readFlatOut(fx, task, 2 * WINDOW.toMillis(), workersClients(fx, BUDGET / 3));
            long limited = fx.sim.log().callsWithStatus(429);
            fx.sim.log().clear();
            readFlatOut(fx, task, WINDOW.toMillis(), workersClients(fx, BUDGET));
            long limitedUnshared = fx.sim.log().callsWithStatus(429);
            System.out.printf("three workers on one token, %d per %s: a third each, %d reads in two windows (%.1f %% of "
                    + "the budget), %d answered 429; the whole budget each, %d answered 429 in one window%n", BUDGET,
                    WINDOW, reads, reads * 100.0 / (2 * BUDGET), limited, limitedUnshared);
            assertEquals(0, limited, "shares that add up to the budget keep to it");
            assertTrue(reads >= 2 * BUDGET * 85 / 100, "most of the budget spent: " + reads);
            assertTrue(limitedUnshared > 0, "the control: workers each spending the whole budget exceed it");
        }
    }

    /** One client per worker, each with a limiter of its own, as in separate JVMs, spending {@code share}. */
    private static List<AsanaClient> workersClients(SimFixture fx, int share) {
        List<AsanaClient> clients = new ArrayList<>();
        for (int worker = 0; worker < 3; worker++) {
            RateLimiter.forgetAllAsAfterACrash();
            clients.add(AsanaClient.builder(AsanaCredentials.personalAccessToken(fx.token)).baseUrl(fx.sim.apiUrl())
                    .budget(BUDGET, WINDOW).share(share).build());
        }
        return clients;
    }

    /** Reads the task from 24 threads of a new client for {@code millis}; returns the reads answered. */
    private static long readFlatOut(SimFixture fx, String task, long millis) throws Exception {
        return readFlatOut(fx, task, millis, List.of(AsanaClient.builder(AsanaCredentials.personalAccessToken(fx.token))
                .baseUrl(fx.sim.apiUrl()).budget(BUDGET, WINDOW).build()));
    }

    /** Reads the task from 24 threads spread over the clients for {@code millis}; returns the reads answered. */
    private static long readFlatOut(SimFixture fx, String task, long millis, List<AsanaClient> clients)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            AsanaClient client = clients.get(i % clients.size());
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    client.getTask(task);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        Thread.sleep(millis);
        running.set(false);
        // Threads waiting for a permit are cut off, as a kill would; the reads already sent are answered.
        pool.shutdownNow();
        for (Future<?> worker : workers) {
            try {
                worker.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException cutOff) {
                // interrupted while waiting for its turn
            }
        }
        return done.get();
    }

    private static long answered(SimFixture fx) {
        return fx.sim.log().calls("asana.getTask") + fx.sim.log().calls("asana.updateTask");
    }

    @Test
    void waitsExactlyRetryAfterOn429AndCountsIt() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            AsanaClient client = fx.client();
            fx.sim.server().faults().add(new FaultRule("asana.getTask", FaultRule.Kind.STATUS, List.of(429), 1, 0, 1, 100));
            String task = client.createTask(TaskRequest.builder("t").project(fx.project).build()).gid();
            long started = System.nanoTime();
            client.getTask(task);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 1000 && millis < 1900, "waited " + millis + " ms");
            assertEquals(1, client.rateLimiter().rateLimited());
            assertEquals(1, client.rateLimiter().retries());
            assertEquals(2, fx.calls("getTask"));
        }
    }

    @Test
    void aBatchTakesAPermitForEachRequestItCarries() throws Exception {
        RateLimiter limiter = new RateLimiter(12, Duration.ofMinutes(1), 15, 50);
        RateLimiter.Permit batch = limiter.acquire(false, 10);
        assertEquals(10, limiter.used());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<RateLimiter.Permit> another = pool.submit(() -> limiter.acquire(false, 3));
        Thread.sleep(200);
        assertFalse(another.isDone(), "13 requests would exceed the budget of 12");
        batch.close();
        assertEquals(10, limiter.used(), "answered, its requests still count within the window");
        assertEquals(10, limiter.requests());
        pool.shutdownNow();
        assertThrows(IllegalArgumentException.class, () -> limiter.acquire(false, 13));
    }

    @Test
    void concurrencyCapsHoldWritesAtFifteenInFlight() throws Exception {
        RateLimiter limiter = new RateLimiter(1000, Duration.ofMinutes(1), 15, 50);
        List<RateLimiter.Permit> held = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            held.add(limiter.acquire(true));
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<RateLimiter.Permit> sixteenth = pool.submit(() -> limiter.acquire(true));
        Thread.sleep(200);
        assertFalse(sixteenth.isDone());
        RateLimiter.Permit read = limiter.acquire(false);
        held.get(0).close();
        sixteenth.get(2, TimeUnit.SECONDS).close();
        read.close();
        held.forEach(RateLimiter.Permit::close);
        pool.shutdown();
        assertEquals(17, limiter.used());
    }
}
