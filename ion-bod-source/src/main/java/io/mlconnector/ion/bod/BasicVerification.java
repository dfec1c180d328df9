package io.mlconnector.ion.bod;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * HTTP Basic (RFC 7617), one of the target-endpoint securities an "IMS via API Gateway" deployment can use towards
 * the application (reference section 2). The user and the password are both compared in constant time, whatever the
 * other's outcome, and the credentials are read as UTF-8.
 */
final class BasicVerification implements ImsAuthentication {

    private final byte[] user;
    private final byte[] password;

    /** @param password copied; the caller may clear its array afterwards */
    BasicVerification(String user, char[] password) {
        if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the Basic user must be non-empty and contain no colon");
        }
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("the Basic password must be non-empty");
        }
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = utf8(password);
    }

    @Override
    public void verify(Request request) throws ImsRefusal {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            throw ImsRefusal.unauthorized("missing Basic Authorization header");
        }
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            throw ImsRefusal.unauthorized("Authorization scheme is not Basic");
        }
        byte[] credentials;
        try {
            credentials = Base64.getDecoder().decode(authorization.substring(space + 1).strip());
        } catch (IllegalArgumentException e) {
            throw ImsRefusal.unauthorized("Basic credentials are not base64");
        }
        try {
            int colon = indexOf(credentials, (byte) ':');
            if (colon < 0) {
                throw ImsRefusal.unauthorized("Basic credentials have no user:password form");
            }
            // both compared, so the time does not tell which one was wrong
            boolean userMatches = MessageDigest.isEqual(Arrays.copyOfRange(credentials, 0, colon), user);
            boolean passwordMatches = MessageDigest.isEqual(
                    Arrays.copyOfRange(credentials, colon + 1, credentials.length), password);
            if (!(userMatches & passwordMatches)) {
                throw ImsRefusal.unauthorized("Basic user or password is wrong");
            }
        } finally {
            Arrays.fill(credentials, (byte) 0);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static byte[] utf8(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        return bytes;
    }

    @Override
    public String toString() {
        return "BasicVerification[user=" + new String(user, StandardCharsets.UTF_8) + "]";
    }
}
