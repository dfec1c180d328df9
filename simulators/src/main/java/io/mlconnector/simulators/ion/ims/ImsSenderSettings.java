package io.mlconnector.simulators.ion.ims;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link ImsSender}; build with {@link #builder(String)}. Defaults, and which the reference
 * confirms:
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>setting</th><th>default</th><th>reference</th></tr>
 *   <tr><td>endpoint</td><td>(required) the IMS endpoint URL, e.g. {@code http://127.0.0.1:P/ims/service}; method
 *       paths ({@code /ping}, {@code /protocol}, {@code /versions}, {@code /v3/multipartMessage}) are appended</td>
 *       <td>confirmed that ION appends them to the configured URL only as [G] (1.2)</td></tr>
 *   <tr><td>authentication</td><td>none</td><td>OAuth 1.0 key/secret or gateway target auth confirmed (2); the
 *       exact OAuth 1.0a profile is NOT (see {@link OAuth1Signer})</td></tr>
 *   <tr><td>badCredentials</td><td>{@link BadCredentials#NONE}</td><td>test hazard</td></tr>
 *   <tr><td>concurrency</td><td>4 messages in flight</td><td>"IMS sends messages in parallel" confirmed (1.1); the
 *       degree is NOT</td></tr>
 *   <tr><td>connectTimeout / requestTimeout</td><td>5 s / 30 s</td><td>NOT documented (1.10)</td></tr>
 *   <tr><td>retry</td><td>{@link RetryPolicy#defaults()}</td><td>NOT documented; statuses from Infor's client
 *       sample (1.6)</td></tr>
 *   <tr><td>order</td><td>{@link Order#AS_GIVEN}</td><td>no ordering guarantee confirmed (1.1)</td></tr>
 *   <tr><td>seed</td><td>1: shuffling and {@link #hazards()}</td><td>-</td></tr>
 *   <tr><td>hazards</td><td>{@link Hazards#NONE}, used by {@link ImsSender#deliverDocuments}</td><td>duplicates,
 *       reordering confirmed (1.1, 1.10); fractions are test choices</td></tr>
 *   <tr><td>multipart</td><td>{@link MultipartStyle#DEFAULT}</td><td>part names and types confirmed (1.5)</td></tr>
 *   <tr><td>handshake</td><td>{@link HandshakePolicy#STRICT}</td><td>ping/protocol/versions confirmed (1.2)</td></tr>
 *   <tr><td>clock, sleeper</td><td>system UTC, {@link Sleeper#SYSTEM}</td><td>OAuth timestamps; backoff waits</td></tr>
 *   <tr><td>attemptLogCapacity</td><td>10 000 most recent attempts kept in the report</td><td>-</td></tr>
 * </table>
 */
public record ImsSenderSettings(URI endpoint, ImsAuthentication authentication, BadCredentials badCredentials,
                                int concurrency, Duration connectTimeout, Duration requestTimeout, RetryPolicy retry,
                                Order order, long seed, Hazards hazards, MultipartStyle multipart,
                                HandshakePolicy handshake, Clock clock, Sleeper sleeper, int attemptLogCapacity) {

    /** Dispatch order within one delivery round. */
    public enum Order {
        /** The list's order (messages still overlap in flight when concurrency is above 1). */
        AS_GIVEN,
        /** Shuffled with {@code new Random(seed)}. */
        SHUFFLED
    }

    public ImsSenderSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(badCredentials, "badCredentials");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(hazards, "hazards");
        Objects.requireNonNull(multipart, "multipart");
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (attemptLogCapacity < 0) {
            throw new IllegalArgumentException("attemptLogCapacity must not be negative");
        }
        String path = endpoint.getRawPath();
        if (path != null && path.endsWith("/")) {
            String s = endpoint.toString();
            int at = s.indexOf('?') < 0 ? s.length() : s.indexOf('?');
            endpoint = URI.create(s.substring(0, at - 1) + s.substring(at));
        }
    }

    public static Builder builder(String endpoint) {
        return new Builder(URI.create(endpoint));
    }

    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    public Builder toBuilder() {
        Builder b = new Builder(endpoint);
        b.authentication = authentication;
        b.badCredentials = badCredentials;
        b.concurrency = concurrency;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.retry = retry;
        b.order = order;
        b.seed = seed;
        b.hazards = hazards;
        b.multipart = multipart;
        b.handshake = handshake;
        b.clock = clock;
        b.sleeper = sleeper;
        b.attemptLogCapacity = attemptLogCapacity;
        return b;
    }

    /** The endpoint with {@code path} appended to its path (a query, if any, stays last), e.g. {@code method("/ping")}. */
    public URI method(String path) {
        String s = endpoint.toString();
        int query = s.indexOf('?');
        return URI.create(query < 0 ? s + path : s.substring(0, query) + path + s.substring(query));
    }

    /** Builder; see the class documentation for every default. */
    public static final class Builder {
        private final URI endpoint;
        private ImsAuthentication authentication = ImsAuthentication.none();
        private BadCredentials badCredentials = BadCredentials.NONE;
        private int concurrency = 4;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retry = RetryPolicy.defaults();
        private Order order = Order.AS_GIVEN;
        private long seed = 1;
        private Hazards hazards = Hazards.NONE;
        private MultipartStyle multipart = MultipartStyle.DEFAULT;
        private HandshakePolicy handshake = HandshakePolicy.STRICT;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private int attemptLogCapacity = 10_000;

        private Builder(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** Two-legged OAuth 1.0a, HMAC-SHA1, {@code realm=""}. */
        public Builder oauth1(String consumerKey, String consumerSecret) {
            return authentication(ImsAuthentication.oauth1(consumerKey, consumerSecret));
        }

        public Builder basic(String user, String password) {
            return authentication(ImsAuthentication.basic(user, password));
        }

        public Builder authentication(ImsAuthentication value) {
            this.authentication = value;
            return this;
        }

        public Builder badCredentials(BadCredentials value) {
            this.badCredentials = value;
            return this;
        }

        public Builder concurrency(int value) {
            this.concurrency = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder retry(RetryPolicy value) {
            this.retry = value;
            return this;
        }

        public Builder order(Order value) {
            this.order = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder hazards(Hazards value) {
            this.hazards = value;
            return this;
        }

        public Builder multipart(MultipartStyle value) {
            this.multipart = value;
            return this;
        }

        public Builder handshake(HandshakePolicy value) {
            this.handshake = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder sleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        public Builder attemptLogCapacity(int value) {
            this.attemptLogCapacity = value;
            return this;
        }

        public ImsSenderSettings build() {
            return new ImsSenderSettings(endpoint, authentication, badCredentials, concurrency, connectTimeout,
                    requestTimeout, retry, order, seed, hazards, multipart, handshake, clock, sleeper, attemptLogCapacity);
        }
    }
}
