package io.mlconnector.connect.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a task and, when its start-up fails with a {@link RetriableException} (the ION gateway, Asana or Kafka
 * briefly out of reach), starts it again later from {@code poll()} or {@code put()} rather than failing the task,
 * as Debezium's {@code BaseSourceTask} does. Backoff doubles from 1 s up to 1 minute; each failed attempt's resources
 * are given back before the next.
 */
final class StartRetry {
    private static final Logger LOG = LoggerFactory.getLogger(StartRetry.class);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

    /** The task's own start-up, given the settings and the resources to take. */
    @FunctionalInterface
    interface StartUp {
        void start(Map<String, String> settings, TaskResources resources);
    }

    private final StartUp startUp;
    private final Clock clock;
    private Map<String, String> settings;
    private TaskResources resources = new TaskResources();
    private boolean running;
    private int failures;
    private Instant nextAttempt = Instant.MIN;

    StartRetry(StartUp startUp, Clock clock) {
        this.startUp = startUp;
        this.clock = clock;
    }

    /** The first attempt, from the task's {@code start()}. Anything but a RetriableException fails the task. */
    synchronized void start(Map<String, String> settings) {
        this.settings = settings;
        attempt();
    }

    /**
     * True when the task runs; else tries again if the wait is over. {@code wait} is how long the caller may block
     * for it: a source's poll waits a little, so that it does not spin.
     */
    synchronized boolean running(Duration wait) throws InterruptedException {
        if (running || settings == null) {
            return running;
        }
        Duration left = Duration.between(clock.instant(), nextAttempt);
        if (left.compareTo(wait) > 0) {
            wait(wait.toMillis() + 1); // woken early by stop(); a poll must return to Connect regularly
            return false;
        }
        if (!left.isNegative()) {
            wait(left.toMillis() + 1);
        }
        return settings != null && attempt();
    }

    /** How long until the next attempt; zero when running. */
    synchronized Duration untilNextAttempt() {
        return running ? Duration.ZERO : Duration.between(clock.instant(), nextAttempt);
    }

    /** Gives back what the running task, or a failed attempt, took. */
    synchronized void stop() {
        settings = null;
        notifyAll();
        resources.close();
    }

    private boolean attempt() {
        try {
            startUp.start(settings, resources);
            running = true;
            if (failures > 0) {
                LOG.info("The task started after {} failed attempt(s)", failures);
            }
            return true;
        } catch (RetriableException e) {
            resources.close();
            resources = new TaskResources();
            failures++;
            Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(failures - 1, 6));
            wait = wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
            nextAttempt = clock.instant().plus(wait);
            LOG.warn("The task could not start ({}); trying again in {} s", e.getMessage(), wait.toSeconds());
            return false;
        } catch (RuntimeException | Error e) {
            resources.close();
            resources = new TaskResources();
            throw e;
        }
    }
}
