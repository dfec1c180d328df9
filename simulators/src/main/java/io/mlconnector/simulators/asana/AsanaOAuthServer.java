package io.mlconnector.simulators.asana;

import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asana's OAuth endpoints as asana.md §1.2 describes them: {@code GET /-/oauth_authorize} (the user's consent,
 * given here by whoever {@link #consent} names, answered with the redirect to the app) and
 * {@code POST /-/oauth_token} for the {@code authorization_code} grant (PKCE S256 checked) and the
 * {@code refresh_token} grant. Access tokens live {@code accessTokenLifetime}; refresh tokens until revoked.
 */
final class AsanaOAuthServer {

    /**
     * Where an issued access token goes: the API accepts it as the user's bearer token until it expires. Answers
     * the user's {@code {id, name, email}}, which the token response carries.
     */
    interface AccessTokens {
        Map<String, String> issue(String accessToken, String userGid, Instant expiresAt);
    }

    private record Code(String userGid, String redirectUri, String challenge, Instant expiresAt) {
    }

    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private final String clientId = "sim-client";
    private final String clientSecret = UUID.randomUUID().toString();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final AccessTokens accessTokens;
    private final Duration accessTokenLifetime;
    private final Clock clock;
    private volatile String consentingUser;

    AsanaOAuthServer(AccessTokens accessTokens, Duration accessTokenLifetime, Clock clock) {
        this.accessTokens = accessTokens;
        this.accessTokenLifetime = accessTokenLifetime;
        this.clock = clock;
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    /** The user signed in to the browser that opens the authorize URL; they allow every app that asks. */
    void consent(String userGid) {
        consentingUser = userGid;
    }

    String addRefreshToken(String userGid) {
        String refresh = "refresh-" + UUID.randomUUID();
        refreshTokens.put(refresh, userGid);
        return refresh;
    }

    /** The consent screen, already answered: redirects to the app with a one-time code and the app's state. */
    SimResponse authorize(SimRequest request) {
        Map<String, String> q = request.query();
        String redirectUri = q.get("redirect_uri");
        if (!clientId.equals(q.get("client_id")) || redirectUri == null || redirectUri.isBlank()) {
            return SimResponse.text(400, "invalid_request: unknown client_id or no redirect_uri");
        }
        String user = consentingUser;
        if (user == null) {
            return SimResponse.text(401, "nobody is signed in to this browser (POST /_sim/oauth/consent {user})");
        }
        if (!"code".equals(q.get("response_type")) || q.getOrDefault("state", "").isEmpty()) {
            return redirect(redirectUri, Map.of("error", "invalid_request", "state", q.getOrDefault("state", "")));
        }
        String challenge = q.get("code_challenge");
        if (challenge != null && !"S256".equals(q.get("code_challenge_method"))) {
            return redirect(redirectUri, Map.of("error", "invalid_request", "state", q.get("state")));
        }
        String code = "code-" + UUID.randomUUID();
        codes.put(code, new Code(user, redirectUri, challenge, clock.instant().plus(CODE_LIFETIME)));
        return redirect(redirectUri, Map.of("code", code, "state", q.get("state")));
    }

    SimResponse token(SimRequest request) {
        Map<String, String> form = request.form();
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            return SimResponse.json(401, Map.of("error", "invalid_client"));
        }
        switch (form.getOrDefault("grant_type", "")) {
            case "refresh_token" -> {
                String user = refreshTokens.get(form.getOrDefault("refresh_token", ""));
                return user == null ? invalidGrant() : SimResponse.json(200, grant(user, null));
            }
            case "authorization_code" -> {
                Code code = codes.remove(form.getOrDefault("code", ""));
                if (code == null || clock.instant().isAfter(code.expiresAt())
                        || !code.redirectUri().equals(form.get("redirect_uri"))
                        || (code.challenge() != null && !code.challenge().equals(s256(form.get("code_verifier"))))) {
                    return invalidGrant();
                }
                return SimResponse.json(200, grant(code.userGid(), addRefreshToken(code.userGid())));
            }
            default -> {
                return SimResponse.json(400, Map.of("error", "unsupported_grant_type"));
            }
        }
    }

    private Map<String, Object> grant(String userGid, String refreshToken) {
        String access = "oauth-" + UUID.randomUUID();
        Map<String, String> user = accessTokens.issue(access, userGid, clock.instant().plus(accessTokenLifetime));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access);
        body.put("token_type", "bearer");
        body.put("expires_in", accessTokenLifetime.toSeconds());
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        body.put("data", user);
        return body;
    }

    private static SimResponse invalidGrant() {
        return SimResponse.json(400, Map.of("error", "invalid_grant"));
    }

    private static SimResponse redirect(String redirectUri, Map<String, String> params) {
        StringBuilder location = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        params.forEach((name, value) -> location.append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        location.setLength(location.length() - 1);
        return SimResponse.empty(302).header("Location", location.toString());
    }

    private static String s256(String verifier) {
        if (verifier == null) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
