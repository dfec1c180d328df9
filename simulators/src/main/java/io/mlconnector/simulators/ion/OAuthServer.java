package io.mlconnector.simulators.ion;

import io.mlconnector.simulators.common.RequestLog;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant's authorization server ({@code {pu}token.oauth2}, {@code {pu}revoke_token.oauth2}) and the gateway's
 * bearer check.
 *
 * <p>Grants: {@code password} with the service-account keys and {@code refresh_token}; client authentication in
 * the form body or as HTTP Basic. Errors are RFC 6749 JSON. Counters in the request log: {@code oauth.logins}
 * (password grants), {@code oauth.refreshes}, {@code oauth.tokens} (access tokens issued), {@code oauth.revokes},
 * {@code unauthorized} (API calls answered 401). Service-account logins beyond {@code loginsPerMinute} in a
 * sliding minute are answered 429, like the tenant's usage limit.
 */
final class OAuthServer {

    private record Grant(String clientId, String user, long expiresAtMillis, String refreshToken) {
    }

    private final IonSimulatorConfig config;
    private final Clock clock;
    private final RequestLog log;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Deque<Long> recentLogins = new ArrayDeque<>();
    private volatile long tokenLifetimeSeconds;

    OAuthServer(IonSimulatorConfig config, Clock clock, RequestLog log) {
        this.config = config;
        this.clock = clock;
        this.log = log;
        this.tokenLifetimeSeconds = config.tokenLifetimeSeconds();
    }

    void setTokenLifetimeSeconds(long seconds) {
        this.tokenLifetimeSeconds = seconds;
    }

    SimResponse token(SimRequest req) {
        Map<String, String> form = req.form();
        String[] basic = basicAuth(req.header("Authorization"));
        String clientId = basic != null ? basic[0] : form.get("client_id");
        String clientSecret = basic != null ? basic[1] : form.get("client_secret");
        if (!config.clientId().equals(clientId) || !config.clientSecret().equals(clientSecret)) {
            return error(401, "invalid_client", "Client authentication failed");
        }
        String grantType = form.getOrDefault("grant_type", "");
        switch (grantType) {
            case "password" -> {
                if (!config.serviceAccountAccessKey().equals(form.get("username"))
                        || !config.serviceAccountSecretKey().equals(form.get("password"))) {
                    return error(400, "invalid_grant", "Invalid service account credentials");
                }
                if (!admitLogin()) {
                    return error(429, "too_many_requests", "Service account authentication limit reached");
                }
                log.increment("oauth.logins");
                return issue(clientId, form.get("username"), config.issueRefreshTokens() ? newToken("rt") : null);
            }
            case "refresh_token" -> {
                String rt = form.get("refresh_token");
                String user = rt == null ? null : refreshTokens.get(rt);
                if (user == null) {
                    return error(400, "invalid_grant", "Unknown or revoked refresh token");
                }
                log.increment("oauth.refreshes");
                return issue(clientId, user, rt);
            }
            default -> {
                return error(400, "unsupported_grant_type", "Grant type not supported: " + grantType);
            }
        }
    }

    SimResponse revoke(SimRequest req) {
        Map<String, String> form = req.form();
        String[] basic = basicAuth(req.header("Authorization"));
        String clientId = basic != null ? basic[0] : form.get("client_id");
        String clientSecret = basic != null ? basic[1] : form.get("client_secret");
        if (!config.clientId().equals(clientId) || !config.clientSecret().equals(clientSecret)) {
            return error(401, "invalid_client", "Client authentication failed");
        }
        String token = form.getOrDefault("token", req.query().get("token"));
        if (token != null) {
            // Revoking a refresh token ends the grant and every access token issued under it.
            if (refreshTokens.remove(token) != null) {
                accessTokens.values().removeIf(g -> token.equals(g.refreshToken()));
            }
            accessTokens.remove(token);
        }
        log.increment("oauth.revokes");
        return SimResponse.empty(200);
    }

    /** The user behind a valid bearer token, or null after counting the failure (the caller answers 401). */
    String authenticate(SimRequest req) {
        String header = req.header("Authorization");
        Grant grant = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            grant = accessTokens.get(header.substring(7).trim());
        }
        if (grant == null || grant.expiresAtMillis() <= clock.millis()) {
            log.increment("unauthorized");
            return null;
        }
        return grant.user();
    }

    static SimResponse unauthorized() {
        return SimResponse.json(401, Map.of("error", "invalid_token",
                        "error_description", "The access token is missing, invalid or expired"))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    /** Ends every access token (not refresh tokens), as if the gateway had restarted its token store. */
    void expireAllAccessTokens() {
        accessTokens.clear();
    }

    int liveAccessTokens() {
        long now = clock.millis();
        return (int) accessTokens.values().stream().filter(g -> g.expiresAtMillis() > now).count();
    }

    private SimResponse issue(String clientId, String user, String refreshToken) {
        long now = clock.millis();
        accessTokens.values().removeIf(g -> g.expiresAtMillis() <= now);
        String access = newToken("at");
        long lifetime = tokenLifetimeSeconds;
        accessTokens.put(access, new Grant(clientId, user, now + lifetime * 1000, refreshToken));
        if (refreshToken != null) {
            refreshTokens.put(refreshToken, user);
        }
        log.increment("oauth.tokens");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access);
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetime);
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        return SimResponse.json(200, body).header("Cache-Control", "no-store");
    }

    private synchronized boolean admitLogin() {
        long now = clock.millis();
        while (!recentLogins.isEmpty() && recentLogins.peekFirst() <= now - 60_000) {
            recentLogins.removeFirst();
        }
        if (recentLogins.size() >= config.loginsPerMinute()) {
            return false;
        }
        recentLogins.addLast(now);
        return true;
    }

    private String newToken(String kind) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return kind + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String[] basicAuth(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new String[]{SimRequest.decode(decoded.substring(0, colon), true),
                SimRequest.decode(decoded.substring(colon + 1), true)};
    }

    private static SimResponse error(int status, String error, String description) {
        return SimResponse.json(status, Map.of("error", error, "error_description", description));
    }
}
