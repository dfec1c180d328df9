package io.mlconnector.simulators.ion.ims;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link ImsSender#deliver} did: the handshake, one {@link MessageOutcome} per message in dispatch order,
 * counts per attempt (2xx, 4xx, 5xx, timeouts, other network errors) and the most recent attempts. Memory is one
 * outcome per message (each keeping only its non-2xx attempts, at most {@link RetryPolicy#maxAttempts()}) plus the
 * bounded attempt log; response bodies are cut to {@value #BODY_SNIPPET} characters.
 */
public final class DeliveryReport {

    public static final int BODY_SNIPPET = 256;

    /** Why an attempt got no HTTP status. */
    public enum Failure {
        /** An HTTP status arrived. */
        NONE,
        /** The connect or request timeout expired. */
        TIMEOUT,
        /** Any other I/O failure (connection refused or reset, ...). */
        NETWORK
    }

    /**
     * One HTTP attempt to deliver a message.
     *
     * @param status           the HTTP status, or 0 when {@code failure} is not {@link Failure#NONE}
     * @param wrongCredentials whether it was sent with deliberately wrong credentials ({@link BadCredentials})
     * @param retryAfter       the backoff before the next attempt, or null when none follows
     */
    public record Attempt(String messageId, long position, int attempt, Instant at, int status, Failure failure,
                          String error, String responseBody, boolean wrongCredentials, long micros,
                          java.time.Duration retryAfter) {
        public boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * The end of one message's delivery.
     *
     * @param position     0-based place in dispatch order (over all rounds)
     * @param finalStatus  the last attempt's HTTP status, 0 if it got none
     * @param finalFailure why the last attempt got no status
     * @param acknowledged whether some attempt got a 2xx
     * @param failedAttempts the attempts that got no 2xx, in order
     */
    public record MessageOutcome(long position, String messageId, ImsMessage.Kind kind, int round, String documentName,
                                 String documentId, long variationId, ImsMessage.Encoding encoding, int finalStatus,
                                 Failure finalFailure, int attempts, boolean acknowledged, List<Attempt> failedAttempts) {
    }

    /** One handshake call. {@code status} 0 when the call got no answer ({@code error} says why). */
    public record Call(String method, URI uri, int status, String error, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * The handshake: the calls made in order ({@code ping}, {@code protocol}, maybe {@code versions}), the parsed
     * protocol answer (null if none), and whether it allows v3 {@code multipartMessage} delivery; {@code problem}
     * says why not.
     */
    public record Handshake(List<Call> calls, Map<String, Object> protocol, boolean ok, String problem) {
        public static final Handshake SKIPPED = new Handshake(List.of(), null, true, null);
    }

    private final Handshake handshake;
    private final String abortReason;
    private final List<MessageOutcome> outcomes;
    private final Map<Integer, Long> statusCounts;
    private final long timeouts;
    private final long networkErrors;
    private final List<Attempt> attemptLog;

    private DeliveryReport(Handshake handshake, String abortReason, List<MessageOutcome> outcomes,
                           Map<Integer, Long> statusCounts, long timeouts, long networkErrors, List<Attempt> attemptLog) {
        this.handshake = handshake;
        this.abortReason = abortReason;
        this.outcomes = outcomes;
        this.statusCounts = statusCounts;
        this.timeouts = timeouts;
        this.networkErrors = networkErrors;
        this.attemptLog = attemptLog;
    }

    public Handshake handshake() {
        return handshake;
    }

    /** True when the handshake stopped delivery ({@link HandshakePolicy#STRICT}); no message was sent then. */
    public boolean aborted() {
        return abortReason != null;
    }

    public String abortReason() {
        return abortReason;
    }

    /** Every message's outcome in dispatch order. */
    public List<MessageOutcome> outcomes() {
        return outcomes;
    }

    /** The outcomes for one messageId: more than one when the same id was sent again ({@code DUPLICATE_SAME_ID}). */
    public List<MessageOutcome> outcomes(String messageId) {
        return outcomes.stream().filter(o -> o.messageId().equals(messageId)).toList();
    }

    /** The first outcome for a messageId, or null. */
    public MessageOutcome outcome(String messageId) {
        return outcomes.stream().filter(o -> o.messageId().equals(messageId)).findFirst().orElse(null);
    }

    public long messages() {
        return outcomes.size();
    }

    public long acknowledged() {
        return outcomes.stream().filter(MessageOutcome::acknowledged).count();
    }

    /** Messages never acknowledged. */
    public long failed() {
        return outcomes.size() - acknowledged();
    }

    /** Attempts per HTTP status (attempts without a status are in {@link #timeouts()} and {@link #networkErrors()}). */
    public Map<Integer, Long> statusCounts() {
        return statusCounts;
    }

    public long attempts() {
        return statusCounts.values().stream().mapToLong(Long::longValue).sum() + timeouts + networkErrors;
    }

    public long count2xx() {
        return range(200, 300);
    }

    public long count4xx() {
        return range(400, 500);
    }

    public long count5xx() {
        return range(500, 600);
    }

    private long range(int from, int to) {
        return statusCounts.entrySet().stream().filter(e -> e.getKey() >= from && e.getKey() < to)
                .mapToLong(Map.Entry::getValue).sum();
    }

    public long timeouts() {
        return timeouts;
    }

    public long networkErrors() {
        return networkErrors;
    }

    /** The most recent attempts of every kind, 2xx included, oldest first (bounded by the attempt log capacity). */
    public List<Attempt> attemptLog() {
        return attemptLog;
    }

    @Override
    public String toString() {
        return "DeliveryReport[" + (aborted() ? "aborted: " + abortReason + ", " : "") + messages() + " messages, "
                + acknowledged() + " acknowledged, attempts " + statusCounts + ", timeouts " + timeouts
                + ", network errors " + networkErrors + "]";
    }

    static String snippet(String body) {
        if (body == null) {
            return null;
        }
        return body.length() <= BODY_SNIPPET ? body : body.substring(0, BODY_SNIPPET);
    }

    /** Thread-safe collector the sender fills; {@link #build()} freezes it. */
    static final class Collector {
        private final int logCapacity;
        private Handshake handshake = Handshake.SKIPPED;
        private String abortReason;
        private AtomicReferenceArray<MessageOutcome> outcomes = new AtomicReferenceArray<>(0);
        private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        private final LongAdder timeouts = new LongAdder();
        private final LongAdder networkErrors = new LongAdder();
        private final Deque<Attempt> log = new ArrayDeque<>();

        Collector(int logCapacity) {
            this.logCapacity = logCapacity;
        }

        void handshake(Handshake value) {
            this.handshake = Objects.requireNonNull(value);
        }

        void abort(String reason) {
            this.abortReason = reason;
        }

        void expect(int messages) {
            this.outcomes = new AtomicReferenceArray<>(messages);
        }

        void attempt(Attempt a) {
            switch (a.failure()) {
                case TIMEOUT -> timeouts.increment();
                case NETWORK -> networkErrors.increment();
                default -> statuses.computeIfAbsent(a.status(), k -> new LongAdder()).increment();
            }
            if (logCapacity > 0) {
                synchronized (log) {
                    log.addLast(a);
                    if (log.size() > logCapacity) {
                        log.removeFirst();
                    }
                }
            }
        }

        void outcome(MessageOutcome o) {
            outcomes.set((int) o.position(), o);
        }

        DeliveryReport build() {
            List<MessageOutcome> list = new ArrayList<>(outcomes.length());
            for (int i = 0; i < outcomes.length(); i++) {
                if (outcomes.get(i) != null) {
                    list.add(outcomes.get(i));
                }
            }
            Map<Integer, Long> counts = new TreeMap<>();
            statuses.forEach((k, v) -> counts.put(k, v.sum()));
            List<Attempt> attempts;
            synchronized (log) {
                attempts = List.copyOf(log);
            }
            return new DeliveryReport(handshake, abortReason, Collections.unmodifiableList(list),
                    Collections.unmodifiableMap(counts), timeouts.sum(), networkErrors.sum(), attempts);
        }
    }
}
