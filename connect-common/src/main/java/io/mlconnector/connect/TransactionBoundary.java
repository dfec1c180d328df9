package io.mlconnector.connect;

import java.util.Map;
import java.util.Optional;

/**
 * Connect's own connector settings for exactly-once sources (KIP-618), as a push endpoint must read them: with
 * interval transactions, records are acknowledged only when the interval's transaction commits, and a delivery that
 * waits at most its timeout for that would be answered 503 every time.
 */
public final class TransactionBoundary {

    public static final String BOUNDARY = "transaction.boundary";
    public static final String INTERVAL = "transaction.boundary.interval.ms";

    private TransactionBoundary() {
    }

    /**
     * Why the connector's transactions would commit after a delivery stops waiting, or empty.
     *
     * @param timeoutSetting the setting that bounds a delivery's wait, with its default
     */
    public static Optional<String> outlastsDeliveries(Map<String, String> props, String timeoutSetting,
                                                      long defaultTimeoutMs) {
        if (!"interval".equalsIgnoreCase(props.getOrDefault(BOUNDARY, "poll").trim())) {
            return Optional.empty();
        }
        long timeout;
        try {
            timeout = Long.parseLong(props.getOrDefault(timeoutSetting, String.valueOf(defaultTimeoutMs)).trim());
        } catch (NumberFormatException e) {
            return Optional.empty(); // reported by the ConfigDef on that setting
        }
        String interval = props.get(INTERVAL);
        String problem = BOUNDARY + "=interval commits records ";
        if (interval == null || interval.isBlank()) {
            return Optional.of(problem + "every offset.flush.interval.ms of the worker (60 s by default), after "
                    + "this timeout, so every delivery would be answered 503: use " + BOUNDARY
                    + "=poll, or set " + INTERVAL + " below " + timeout + " ms");
        }
        try {
            long every = Long.parseLong(interval.trim());
            return every < timeout ? Optional.empty() : Optional.of(problem + "every " + every
                    + " ms, after this timeout of " + timeout + " ms, so every delivery would be answered 503: use "
                    + BOUNDARY + "=poll, or a shorter " + INTERVAL);
        } catch (NumberFormatException e) {
            return Optional.empty(); // Connect reports it on its own setting
        }
    }
}
