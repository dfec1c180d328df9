package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.http.Json;
import io.mlconnector.http.NotSentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The bearer token a client sends: a personal access token, or an OAuth access token that is
 * refreshed through {@code refresh_token} when a client id and secret are given. Never prints a
 * token: {@link #toString()} shows the kind and a short hash only.
 */
public final class AsanaCredentials {
    /** Asana's OAuth token endpoint. */
    public static final String DEFAULT_TOKEN_URL = "https://app.asana.com/-/oauth_token";

    // Refresh this long before the announced expiry so a request never leaves with a dead token; a fifth
    // of the lifetime for tokens shorter than five minutes, so a short token is not refreshed on every call.
    private static final long EXPIRY_MARGIN_SECONDS = 60;

    /** A refresh that failed before the API call was sent: safe to repeat for any method. */
    static final class RefreshFailedException extends NotSentException {
        RefreshFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final boolean oauth;
    private final String refreshToken;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final String tokenUrl;
    private final String limiterKey;
    private final Clock clock;
    private String accessToken;
    private Instant refreshDue;

    private AsanaCredentials(boolean oauth, String accessToken, String refreshToken, String clientId,
            String clientSecret, String redirectUri, String tokenUrl, Clock clock) {
        this.oauth = oauth;
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
        this.tokenUrl = tokenUrl;
        this.clock = clock;
        // The budget belongs to the authorization: for OAuth that outlives each access token.
        String identity = refreshToken != null ? refreshToken : accessToken;
        this.limiterKey = DigestUtils.sha256Hex(identity.getBytes(StandardCharsets.UTF_8));
    }

    /** A personal access token: acts as its user, never expires, cannot use the task {@code external} field. */
    public static AsanaCredentials personalAccessToken(String token) {
        requireText(token, "token");
        return new AsanaCredentials(false, token, null, null, null, null, null, Clock.systemUTC());
    }

    /**
     * An OAuth grant that refreshes itself. {@code accessToken} may be null to refresh before the
     * first call; {@code redirectUri} is the one registered for the app (Asana asks for it on refresh).
     */
    public static AsanaCredentials oauth(String accessToken, String refreshToken, String clientId,
            String clientSecret, String redirectUri, String tokenUrl) {
        requireText(refreshToken, "refreshToken");
        requireText(clientId, "clientId");
        requireText(clientSecret, "clientSecret");
        return new AsanaCredentials(true, accessToken == null ? "" : accessToken, refreshToken, clientId,
                clientSecret, redirectUri, tokenUrl == null ? DEFAULT_TOKEN_URL : tokenUrl, Clock.systemUTC());
    }

    public boolean isOAuth() {
        return oauth;
    }

    /** True when a 401 or an expiry can be healed by a refresh. */
    public boolean canRefresh() {
        return refreshToken != null;
    }

    /** SHA-256 of the grant; the key under which clients share a {@link RateLimiter}. */
    public String limiterKey() {
        return limiterKey;
    }

    synchronized String bearerToken(OkHttpClient http) throws IOException {
        boolean due = refreshDue != null && !clock.instant().isBefore(refreshDue);
        if (canRefresh() && (accessToken.isEmpty() || due)) {
            refresh(http);
        }
        return accessToken;
    }

    /** Refreshes unless another thread already replaced {@code staleToken}. */
    synchronized void refreshAfterRejection(OkHttpClient http, String staleToken) throws IOException {
        if (canRefresh() && accessToken.equals(staleToken)) {
            refresh(http);
        }
    }

    private void refresh(OkHttpClient http) throws IOException {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("client_id", clientId)
                .add("client_secret", clientSecret)
                .add("refresh_token", refreshToken);
        if (redirectUri != null) {
            form.add("redirect_uri", redirectUri);
        }
        Request request = new Request.Builder().url(tokenUrl).post(form.build()).build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (response.code() == 400 || response.code() == 401) {
                // Asana names the OAuth error (invalid_grant, invalid_client); the body holds no secret.
                throw new UnauthorizedException(List.of("OAuth refresh was refused with HTTP " + response.code()
                        + " (" + oauthError(body) + "): check the "
                        + "client id, client secret and refresh token, or authorize the app again"));
            }
            if (!response.isSuccessful()) {
                throw new RefreshFailedException("OAuth refresh answered HTTP " + response.code(), null);
            }
            JsonNode json = Json.MAPPER.readTree(body);
            accessToken = json.path("access_token").asText();
            long expiresIn = json.path("expires_in").asLong(0);
            long margin = Math.min(EXPIRY_MARGIN_SECONDS, Math.max(1, expiresIn / 5));
            refreshDue = expiresIn > 0 ? clock.instant().plusSeconds(expiresIn - margin) : null;
        } catch (RefreshFailedException | UnauthorizedException e) {
            throw e;
        } catch (IOException e) {
            throw new RefreshFailedException("OAuth refresh failed: " + e, e);
        }
    }

    private static String oauthError(String body) {
        try {
            return Json.MAPPER.readTree(body).path("error").asText("no error code");
        } catch (IOException notJson) {
            return "no error code";
        }
    }

    private static void requireText(String value, String name) {
        if (Objects.requireNonNull(value, name).isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }

    @Override
    public String toString() {
        return "AsanaCredentials{" + (oauth ? "oauth" : "pat") + ", key=" + limiterKey.substring(0, 8) + "}";
    }
}
