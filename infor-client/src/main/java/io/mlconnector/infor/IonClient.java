package io.mlconnector.infor;

import io.mlconnector.http.HttpClients;
import io.mlconnector.http.RetryPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Entry point to one tenant's ION API Gateway: holds the shared {@link IonTokenProvider} share, the retry policy
 * and the HTTP client, and hands out {@link M3Client} and {@link IdoClient}.
 *
 * <pre>{@code
 * try (IonClient ion = IonClient.builder(IonApiCredentials.read(path)).tenantZone(ZoneId.of("Europe/Stockholm")).build()) {
 *     MiRecord head = ion.m3().execute(MiRequest.builder("PPS200MI", "GetHead").set("PUNO", "4000001234").build()).single();
 * }
 * }</pre>
 */
public final class IonClient implements AutoCloseable {

    /**
     * 6 calls in all, backoff from 250 ms up to 30 s; up to 10 repeats after 429, each after a Retry-After of at
     * most 2 minutes. The gateway's own cut-off is 60 s, so a longer Retry-After is one to wait out once.
     */
    public static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(6, 10, Duration.ofMillis(250), Duration.ofSeconds(30),
            Duration.ofMinutes(2));

    private final IonApiCredentials credentials;
    private final IonTokenProvider tokens;
    private final IonCall call;
    private final M3Client m3;

    private IonClient(Builder b) {
        this.credentials = b.credentials;
        this.tokens = b.forValidation ? IonTokenProvider.forValidation(b.credentials, b.http, b.retry, b.refreshMargin)
                : IonTokenProvider.shared(b.credentials, b.http, b.retry, b.refreshMargin);
        this.call = new IonCall(b.http, tokens, b.retry);
        this.m3 = new M3Client(credentials.apiBaseUrl(), call, b.m3Version, b.tenantZone);
    }

    public static Builder builder(IonApiCredentials credentials) {
        return new Builder(credentials);
    }

    public M3Client m3() {
        return m3;
    }

    /** The IDO client for one Mongoose configuration (site), e.g. {@code ACME_TST_DALS}. */
    public IdoClient ido(String mongooseConfiguration) {
        return new IdoClient(credentials.apiBaseUrl(), call, mongooseConfiguration);
    }

    public IonTokenProvider tokens() {
        return tokens;
    }

    public IonApiCredentials credentials() {
        return credentials;
    }

    /** Gives back this client's share of the cached token; the tasks' last share revokes it. */
    @Override
    public void close() {
        tokens.close();
    }

    public static final class Builder {
        private final IonApiCredentials credentials;
        private OkHttpClient http;
        private RetryPolicy retry = DEFAULT_RETRY;
        private Duration refreshMargin = Duration.ofMinutes(5);
        private ZoneId tenantZone = ZoneId.of("UTC");
        private M3Client.ApiVersion m3Version = M3Client.ApiVersion.V2;
        private Duration requestTimeout = Duration.ofSeconds(65);
        private boolean forValidation;

        private Builder(IonApiCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        /** Defaults to a client with the {@link #requestTimeout(Duration) request timeout} as its read timeout. */
        public Builder okHttpClient(OkHttpClient value) {
            this.http = value;
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            this.retry = value;
            return this;
        }

        /** How long before expiry a token is renewed, at most; never more than a tenth of its lifetime. Default 5 minutes. */
        public Builder refreshMargin(Duration value) {
            this.refreshMargin = value;
            return this;
        }

        /** The zone M3 dates ({@code yyyyMMdd}) are in. Default UTC; set the tenant's. */
        public Builder tenantZone(ZoneId value) {
            this.tenantZone = value;
            return this;
        }

        public Builder m3ApiVersion(M3Client.ApiVersion value) {
            this.m3Version = value;
            return this;
        }

        /**
         * How long an answer may take before the call counts as failed and is retried. Default 65 s: just
         * past the gateway's own 60 s cut-off. Ignored when an {@link #okHttpClient(OkHttpClient)} is given.
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /**
         * Makes a client for a connector's validate: it uses the token the worker already holds for these credentials
         * and logs in only within {@link IonTokenProvider#VALIDATION_LOGINS_PER_MINUTE}, failing with
         * {@link IonLoginLimitException} beyond; its close leaves the token cached. See {@link IonTokenProvider}.
         */
        public Builder forValidation() {
            this.forValidation = true;
            return this;
        }

        public IonClient build() {
            if (http == null) {
                http = HttpClients.root().newBuilder()
                        .readTimeout(requestTimeout)
                        .callTimeout(requestTimeout.plusSeconds(25))
                        .build();
            }
            return new IonClient(this);
        }
    }
}
