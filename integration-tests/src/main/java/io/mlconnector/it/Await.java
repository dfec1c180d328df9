package io.mlconnector.it;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The one way the harness, the tests, the demo and the benchmarks wait: poll a condition until it holds, or fail
 * once the deadline has passed, saying what was awaited, for how long, and the state at the deadline. Nothing else
 * sleeps to wait for something.
 *
 * <p>Checks start 10 ms apart and back off to 250 ms; after a check that itself took long (reading a whole topic)
 * the pause is as long as the check, so that waiting never takes more than half of a busy machine.
 */
public final class Await {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(250);

    /** A condition to wait for; an exception it throws ends the wait. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Looks for a value to wait for: empty while there is none yet; an exception it throws ends the wait. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> look() throws Exception;
    }

    /** The deadline passed before what was awaited happened. */
    public static final class TimedOut extends AssertionError {
        TimedOut(String message) {
            super(message);
        }
    }

    private Await() {
    }

    /** Waits until the condition holds. */
    public static void until(String what, Duration deadline, Condition condition) throws InterruptedException {
        until(what, deadline, condition, () -> "not described");
    }

    /**
     * Waits until the condition holds.
     *
     * @param state describes what the condition looks at, for the failure message (e.g. "412 of 500 tasks")
     */
    public static void until(String what, Duration deadline, Condition condition, Callable<?> state)
            throws InterruptedException {
        value(what, deadline, asProbe(condition), state);
    }

    /** Waits until the probe finds a value, and returns it. */
    public static <T> T value(String what, Duration deadline, Probe<T> probe) throws InterruptedException {
        return value(what, deadline, probe, () -> "not described");
    }

    /**
     * Waits until the probe finds a value, and returns it.
     *
     * @param state describes what the probe looks at, for the failure message
     */
    public static <T> T value(String what, Duration deadline, Probe<T> probe, Callable<?> state)
            throws InterruptedException {
        return poll(what, deadline, FIRST_PAUSE, LONGEST_PAUSE, probe, state);
    }

    /**
     * Waits until the condition holds, checking every {@code interval} without backing off, and returns when it was
     * seen to hold: for a benchmark or the demo that times that moment, to within the interval.
     */
    public static Instant timed(String what, Duration deadline, Duration interval, Condition condition)
            throws InterruptedException {
        return poll(what, deadline, interval, interval, () -> condition.holds() ? Optional.of(Instant.now())
                : Optional.empty(), () -> "not described");
    }

    private static Probe<Boolean> asProbe(Condition condition) {
        return () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty();
    }

    private static <T> T poll(String what, Duration deadline, Duration firstPause, Duration longestPause,
            Probe<T> probe, Callable<?> state) throws InterruptedException {
        Instant start = Instant.now();
        Instant end = start.plus(deadline);
        Duration pause = firstPause;
        while (true) {
            Instant checked = Instant.now();
            Optional<T> found = look(what, probe);
            if (found.isPresent()) {
                return found.get();
            }
            Instant now = Instant.now();
            if (!now.isBefore(end)) {
                throw new TimedOut("waited " + Duration.between(start, now).toMillis() + " ms (deadline " + deadline
                        + ") for " + what + "; at the deadline: " + describe(state));
            }
            Duration took = Duration.between(checked, now);
            Thread.sleep(min(Duration.between(now, end), max(pause, took)).toMillis());
            pause = min(longestPause, pause.multipliedBy(3).dividedBy(2));
        }
    }

    private static <T> Optional<T> look(String what, Probe<T> probe) throws InterruptedException {
        try {
            return probe.look();
        } catch (InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("checking for " + what + " failed: " + e, e);
        }
    }

    private static String describe(Callable<?> state) {
        try {
            return String.valueOf(state.call());
        } catch (Exception e) {
            return "(could not be described: " + e + ")";
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
