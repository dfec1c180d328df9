package io.mlconnector.infor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ION access tokens for one (token URL, tenant, client id) and its secrets, shared by every user in the JVM: service accounts may
 * log in only about 20 times a minute, so the token is cached and refreshed once, not per caller.
 *
 * <p>A token is refreshed proactively when {@code min(refreshMargin, lifetime / 10)} of its lifetime is left: the
 * first caller inside that window refreshes while the others keep using the still-valid token; only when no valid
 * token exists do callers wait, and then for a single request. A refresh uses the refresh_token grant when one was
 * issued and falls back to the password grant (or client credentials when the .ionapi has no service account).
 * {@link #close()} releases a share; the last release revokes the grant.
 */
public final class IonTokenProvider implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IonTokenProvider.class);
    private static final Map<String, IonTokenProvider> SHARED = new ConcurrentHashMap<>();
    private static final long DEFAULT_LIFETIME_SECONDS = 7200;

    private record Token(String access, String refresh, long refreshAtNanos, long expiresAtNanos) {
        boolean validAt(long now) {
            return now - expiresAtNanos < 0;
        }
    }

    private final String key;
    private final IonApiCredentials credentials;
    private final OkHttpClient http;
    private final RetryPolicy retry;
    private final Duration refreshMargin;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong unexpectedUnauthorized = new AtomicLong();
    private int shares;
    private volatile Token current;

    private IonTokenProvider(String key, IonApiCredentials credentials, OkHttpClient http, RetryPolicy retry, Duration refreshMargin) {
        this.key = key;
        this.credentials = credentials;
        this.http = http;
        this.retry = retry;
        this.refreshMargin = refreshMargin;
    }

    /**
     * The provider for these credentials' (token URL, tenant, client id), created on first use. Every call takes a
     * share that {@link #close()} gives back. Settings of the first caller win.
     */
    public static IonTokenProvider shared(IonApiCredentials credentials, OkHttpClient http, RetryPolicy retry, Duration refreshMargin) {
        // A digest of the secrets keeps a corrected secret from picking up a provider built with a wrong one.
        String key = credentials.tokenUrl() + "|" + credentials.tenant() + "|" + credentials.clientId() + "|"
                + digest(credentials.clientSecret() + "\n" + credentials.serviceAccountAccessKey() + "\n" + credentials.serviceAccountSecretKey());
        IonTokenProvider provider = SHARED.compute(key, (k, existing) -> {
            IonTokenProvider p = existing != null ? existing : new IonTokenProvider(k, credentials, http, retry, refreshMargin);
            p.shares++;
            return p;
        });
        return provider;
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** A token valid now; refreshes first when inside the refresh window or expired. */
    public String accessToken() {
        Token t = current;
        long now = System.nanoTime();
        if (t != null && now - t.refreshAtNanos < 0) {
            return t.access;
        }
        if (t != null && t.validAt(now)) {
            // Proactive refresh: one caller does it; the others keep the token that is still valid.
            if (refreshLock.tryLock()) {
                try {
                    if (current == t) {
                        current = fetch(t);
                    }
                } catch (IonException e) {
                    LOG.warn("Proactive ION token refresh failed; the current token stays in use until it expires: {}", e.getMessage());
                } finally {
                    refreshLock.unlock();
                }
            }
            return current.access;
        }
        refreshLock.lock();
        try {
            Token latest = current;
            if (latest == null || !latest.validAt(System.nanoTime())) {
                current = fetch(latest);
            }
            return current.access;
        } finally {
            refreshLock.unlock();
        }
    }

    /**
     * Reports a 401 on {@code token}. If it is still the current token (believed valid), it is replaced once and
     * the event counted; a 401 on an older token just means the caller should use the new one.
     */
    public void unauthorized(String token) {
        refreshLock.lock();
        try {
            Token t = current;
            if (t != null && t.access.equals(token)) {
                unexpectedUnauthorized.incrementAndGet();
                LOG.warn("ION answered 401 for a token believed valid; fetching a new one");
                current = fetch(t);
            }
        } finally {
            refreshLock.unlock();
        }
    }

    /** Password (or client-credentials) grants made. */
    public long logins() {
        return logins.get();
    }

    /** refresh_token grants made. */
    public long refreshes() {
        return refreshes.get();
    }

    /** 401s received for a token that had not expired by our clock. */
    public long unexpectedUnauthorized() {
        return unexpectedUnauthorized.get();
    }

    @Override
    public void close() {
        boolean[] last = {false};
        SHARED.computeIfPresent(key, (k, p) -> {
            if (--p.shares > 0) {
                return p;
            }
            last[0] = true;
            return null;
        });
        if (last[0]) {
            revoke();
        }
    }

    private Token fetch(Token previous) {
        if (previous != null && previous.refresh != null) {
            try {
                Token t = request(new FormBody.Builder()
                        .add("grant_type", "refresh_token")
                        .add("refresh_token", previous.refresh), previous.refresh);
                refreshes.incrementAndGet();
                return t;
            } catch (IonAuthenticationException e) {
                LOG.info("ION refresh token refused ({}); logging in again", e.error());
            }
        }
        FormBody.Builder form = new FormBody.Builder();
        if (credentials.hasServiceAccount()) {
            form.add("grant_type", "password")
                    .add("username", credentials.serviceAccountAccessKey())
                    .add("password", credentials.serviceAccountSecretKey());
        } else {
            form.add("grant_type", "client_credentials");
        }
        Token t = request(form, null);
        logins.incrementAndGet();
        return t;
    }

    private Token request(FormBody.Builder form, String previousRefresh) {
        Request request = new Request.Builder()
                .url(credentials.tokenUrl())
                .post(form.add("client_id", credentials.clientId()).add("client_secret", credentials.clientSecret()).build())
                .header("Accept", "application/json")
                .build();
        for (int attempt = 1; ; attempt++) {
            String retryAfter = null;
            int status = 0;
            IOException failure = null;
            long sentAt = System.nanoTime();
            try (Response response = http.newCall(request).execute()) {
                status = response.code();
                ResponseBody body = response.body();
                byte[] bytes = body.bytes();
                if (response.isSuccessful()) {
                    return token(IonJson.parse("ION token request", status, bytes), previousRefresh, sentAt);
                }
                if (status == 400 || status == 401) {
                    throw new IonAuthenticationException(status, errorCode(bytes));
                }
                retryAfter = response.header("Retry-After");
            } catch (IOException e) {
                failure = e;
            }
            boolean retryable = failure != null || RetryPolicy.isRetryableStatus(status);
            if (!retryable || attempt >= retry.maxAttempts()) {
                throw new IonHttpException("ION token request", status,
                        failure == null ? null : failure.getClass().getSimpleName(), failure);
            }
            sleep(retry.delay(attempt, retryAfter));
        }
    }

    private Token token(JsonNode body, String previousRefresh, long sentAtNanos) {
        String access = body.path("access_token").asText("");
        if (access.isEmpty()) {
            throw new IonHttpException("ION token request", 200, "response has no access_token", null);
        }
        long lifetime = body.path("expires_in").asLong(DEFAULT_LIFETIME_SECONDS);
        if (lifetime <= 0) {
            lifetime = DEFAULT_LIFETIME_SECONDS;
        }
        long lifetimeNanos = Duration.ofSeconds(lifetime).toNanos();
        long ahead = Math.min(refreshMargin.toNanos(), lifetimeNanos / 10);
        String refresh = body.path("refresh_token").asText("");
        // Lifetime counts from when the request left, so network time never makes us hold an expired token.
        return new Token(access, refresh.isEmpty() ? previousRefresh : refresh,
                sentAtNanos + lifetimeNanos - ahead, sentAtNanos + lifetimeNanos);
    }

    private static String errorCode(byte[] body) {
        try {
            JsonNode node = IonJson.MAPPER.readTree(body);
            return node == null ? null : node.path("error").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private void revoke() {
        Token t = current;
        current = null;
        if (t == null || credentials.revokeUrl() == null) {
            return;
        }
        boolean refresh = t.refresh != null;
        Request request = new Request.Builder()
                .url(credentials.revokeUrl())
                .header("Authorization", Credentials.basic(credentials.clientId(), credentials.clientSecret()))
                .post(new FormBody.Builder()
                        .add("token", refresh ? t.refresh : t.access)
                        .add("token_type_hint", refresh ? "refresh_token" : "access_token")
                        .build())
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                LOG.warn("ION token revoke answered HTTP {}", response.code());
            }
        } catch (IOException e) {
            LOG.warn("ION token revoke failed: {}", e.getClass().getSimpleName());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IonException("interrupted while waiting to retry", e);
        }
    }

    @Override
    public String toString() {
        return "IonTokenProvider{tenant=" + credentials.tenant() + ", ci=" + credentials.clientId() + ", logins=" + logins
                + ", refreshes=" + refreshes + "}";
    }
}
