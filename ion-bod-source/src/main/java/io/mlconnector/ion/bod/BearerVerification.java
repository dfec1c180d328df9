package io.mlconnector.ion.bod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * A bearer token in {@code Authorization}, for an "IMS via API Gateway" deployment whose target-endpoint security
 * sends a fixed token (reference section 2 lists OAuth 2.0 and JWT among the gateway's types; this checks the token
 * as a shared secret, not as a JWT). Compared in constant time.
 */
final class BearerVerification implements ImsAuthentication {

    private static final String SCHEME = "bearer ";

    private final byte[] token;

    /** @param token copied; the caller may clear its array afterwards */
    BearerVerification(char[] token) {
        if (token == null || token.length == 0) {
            throw new IllegalArgumentException("the bearer token must be non-empty");
        }
        this.token = BasicVerification.utf8(token);
    }

    @Override
    public void verify(Request request) throws ImsRefusal {
        String authorization = request.header("Authorization");
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw ImsRefusal.unauthorized("missing Authorization: Bearer header");
        }
        byte[] presented = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, token)) {
            throw ImsRefusal.unauthorized("the bearer token is not the configured one");
        }
    }

    @Override
    public String toString() {
        return "BearerVerification";
    }
}
