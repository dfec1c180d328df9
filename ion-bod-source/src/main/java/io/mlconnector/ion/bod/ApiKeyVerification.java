package io.mlconnector.ion.bod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An API key in a request header, one of the target-endpoint securities an "IMS via API Gateway" deployment can use
 * towards the application (reference section 2). The gateway's deployment decides the header's name, so it is
 * configuration; the key is compared in constant time.
 */
final class ApiKeyVerification implements ImsAuthentication {

    private final String headerName;
    private final byte[] key;

    /** @param key copied; the caller may clear its array afterwards */
    ApiKeyVerification(String headerName, char[] key) {
        if (headerName == null || !headerName.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("the API key header name must be an HTTP token");
        }
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("the API key must be non-empty");
        }
        this.headerName = headerName;
        this.key = BasicVerification.utf8(key);
    }

    @Override
    public void verify(Request request) throws ImsRefusal {
        String presented = request.header(headerName);
        if (presented == null) {
            throw ImsRefusal.unauthorized("missing " + headerName + " header");
        }
        // the presented value first: isEqual's time depends on the first array's length only
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), key)) {
            throw ImsRefusal.unauthorized("the " + headerName + " header does not hold the API key");
        }
    }

    @Override
    public String toString() {
        return "ApiKeyVerification[header=" + headerName + "]";
    }
}
