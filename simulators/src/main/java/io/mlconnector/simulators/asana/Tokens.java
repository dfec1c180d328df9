package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The bearer tokens the simulator accepts, PATs and OAuth access tokens, and whose each one is. */
final class Tokens {
    private final AsanaState state;
    private final Map<String, Caller> tokens = new ConcurrentHashMap<>();

    Tokens(AsanaState state) {
        this.state = state;
    }

    /** Accepts {@code token} as a bearer token of {@code userGid} until revoked. */
    void add(String token, String userGid, boolean oauth) {
        tokens.put(token, new Caller(token, userGid, oauth, null));
    }

    /** The token's owner, expired or not; null for a token never issued. */
    Caller get(String token) {
        return tokens.get(token);
    }

    /** Accepts an access token from {@code /-/oauth_token} until it expires; answers the user it is for. */
    Map<String, String> issue(String token, String userGid, Instant expiresAt) {
        tokens.put(token, new Caller(token, userGid, true, expiresAt));
        ObjectNode user = state.users.get(userGid);
        return Map.of("id", userGid, "name", user.get("name").asText(), "email", user.get("email").asText());
    }
}
