package io.mlconnector.infor;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.http.Json;
import io.mlconnector.http.RetryPolicy;
import io.mlconnector.http.RetryingCaller;
import io.mlconnector.http.UnansweredCallException;
import io.mlconnector.http.UnreadableAnswerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ION token of one set of credentials, cached JVM-wide and used by every {@link IonTokenProvider} holding
 * them: service accounts may log in only about 20 times a minute, so the token is fetched and refreshed once, not
 * per caller. The cache key is the token URL, tenant and client id with a SHA-256 of the secrets, never the
 * secrets themselves.
 *
 * <p>A token is refreshed proactively when {@code min(refreshMargin, lifetime / 10)} of its lifetime is left: the
 * first caller inside that window refreshes while the others keep using the still-valid token; only when no valid
 * token exists do callers wait, and then for a single request. A refresh uses the refresh_token grant when one was
 * issued and falls back to the password grant (or client credentials when the .ionapi has no service account).
 * Every login passes {@link RecentLogins}; a validation's is refused beyond its allowance.
 *
 * <p>Providers hold shares. When the last share of the tasks is given back the grant is revoked and the entry
 * dropped; when a validation gives back the last share, the token stays cached, unused, for the next validation
 * or the tasks, and is dropped once it has expired.
 */
final class SharedIonToken {

    private static final Logger LOG = LoggerFactory.getLogger(SharedIonToken.class);
    private static final Map<String, SharedIonToken> CACHE = new ConcurrentHashMap<>();
    private static final long DEFAULT_LIFETIME_SECONDS = 7200;
    private static final String OPERATION = "ION token request";

    private record Token(String access, String refresh, long refreshAtNanos, long expiresAtNanos) {
        boolean validAt(long now) {
            return now - expiresAtNanos < 0;
        }
    }

    private final String key;
    private final String account;
    private final IonApiCredentials credentials;
    private final OkHttpClient http;
    private final RetryingCaller tokenCalls;
    private final Duration refreshMargin;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong unexpectedUnauthorized = new AtomicLong();
    /** Providers holding this token; read and written only inside {@code CACHE.compute} for {@link #key}. */
    private int shares;
    private volatile Token current;

    private SharedIonToken(String key, IonApiCredentials credentials, OkHttpClient http, RetryPolicy retry,
            Duration refreshMargin) {
        this.key = key;
        this.account = credentials.tokenUrl() + "|" + credentials.clientId() + "|"
                + sha256(String.valueOf(credentials.serviceAccountAccessKey()));
        this.credentials = credentials;
        this.http = http;
        this.tokenCalls = new RetryingCaller(http, retry);
        this.refreshMargin = refreshMargin;
    }

    /** The cached token for these credentials, created on first use, with one more share. Settings of the first caller win. */
    static SharedIonToken acquire(IonApiCredentials credentials, OkHttpClient http, RetryPolicy retry, Duration refreshMargin) {
        evictExpiredUnused();
        // A digest of the secrets keeps a corrected secret from picking up a token fetched with a wrong one.
        String key = credentials.tokenUrl() + "|" + credentials.tenant() + "|" + credentials.clientId() + "|"
                + sha256(credentials.clientSecret() + "\n" + credentials.serviceAccountAccessKey() + "\n"
                + credentials.serviceAccountSecretKey());
        return CACHE.compute(key, (k, existing) -> {
            SharedIonToken token = existing != null ? existing : new SharedIonToken(k, credentials, http, retry, refreshMargin);
            token.shares++;
            return token;
        });
    }

    /** Forgets every cached token without revoking it, as a restarted worker would; for tests. */
    static void clearCache() {
        CACHE.clear();
    }

    private static void evictExpiredUnused() {
        long now = System.nanoTime();
        for (String key : CACHE.keySet()) {
            CACHE.computeIfPresent(key, (k, token) -> token.shares == 0 && !token.validAt(now) ? null : token);
        }
    }

    private static String sha256(String text) {
        return DigestUtils.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private boolean validAt(long now) {
        Token t = current;
        return t != null && t.validAt(now);
    }

    /**
     * Gives a share back. The last share of the tasks ({@code revokeIfLast}) revokes the grant and drops the entry;
     * a validation's last share leaves the token cached for the next user.
     */
    void release(boolean revokeIfLast) {
        boolean[] revoke = {false};
        CACHE.compute(key, (k, cached) -> {
            if (--shares > 0 || !revokeIfLast) {
                return cached;
            }
            revoke[0] = true;
            return cached == this ? null : cached;
        });
        if (revoke[0]) {
            revoke();
        }
    }

    /**
     * A token valid now. Tasks refresh it first inside the refresh window, and log in whenever they must; a
     * validation uses any token still valid and logs in only within its allowance.
     */
    String accessToken(boolean validation) {
        Token t = current;
        long now = System.nanoTime();
        if (t != null && (now - t.refreshAtNanos < 0 || validation && t.validAt(now))) {
            return t.access;
        }
        if (t != null && t.validAt(now)) {
            // Proactive refresh: one caller does it; the others keep the token that is still valid.
            if (refreshLock.tryLock()) {
                try {
                    if (current == t) {
                        current = fetch(t, false);
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
                current = fetch(latest, validation);
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
    void unauthorized(String token, boolean validation) {
        refreshLock.lock();
        try {
            Token t = current;
            if (t != null && t.access.equals(token)) {
                unexpectedUnauthorized.incrementAndGet();
                LOG.warn("ION answered 401 for a token believed valid; fetching a new one");
                current = fetch(t, validation);
            }
        } finally {
            refreshLock.unlock();
        }
    }

    long logins() {
        return logins.get();
    }

    long refreshes() {
        return refreshes.get();
    }

    long unexpectedUnauthorized() {
        return unexpectedUnauthorized.get();
    }

    private Token fetch(Token previous, boolean validation) {
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
        RecentLogins.admit(account, validation ? IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE : Integer.MAX_VALUE);
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
        long sentAt = System.nanoTime();
        try {
            // A repeated grant only issues another token, so the request is safe to repeat.
            return tokenCalls.execute(OPERATION, request, true, answer -> {
                if (answer.successful()) {
                    return token(IonCall.parse(OPERATION, answer), previousRefresh, sentAt);
                }
                if (answer.status() == 400 || answer.status() == 401) {
                    throw new IonAuthenticationException(answer.status(), errorCode(answer.body()));
                }
                throw new IonHttpException(OPERATION, answer.status(), null, null);
            });
        } catch (UnreadableAnswerException e) {
            throw new IonHttpException(OPERATION, e.status(), e.getMessage(), e.getCause());
        } catch (UnansweredCallException e) {
            throw new IonHttpException(OPERATION, 0, e.getCause().getClass().getSimpleName(), e.getCause());
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
            JsonNode node = Json.MAPPER.readTree(body);
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

    @Override
    public String toString() {
        return "IonTokenProvider{tenant=" + credentials.tenant() + ", ci=" + credentials.clientId() + ", logins=" + logins
                + ", refreshes=" + refreshes + "}";
    }
}
