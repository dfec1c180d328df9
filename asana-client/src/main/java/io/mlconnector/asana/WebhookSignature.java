package io.mlconnector.asana;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * Asana's {@code X-Hook-Signature}: hex HMAC-SHA256 of the raw request body, keyed with the secret
 * from the handshake. Verify the bytes as received, before any parsing.
 */
public final class WebhookSignature {
    private WebhookSignature() {
    }

    public static String compute(String secret, byte[] rawBody) {
        return new HmacUtils(HmacAlgorithms.HMAC_SHA_256, secret.getBytes(StandardCharsets.UTF_8)).hmacHex(rawBody);
    }

    /** Constant-time check of {@code signatureHeader} (may be null) against the body. */
    public static boolean verify(String secret, byte[] rawBody, String signatureHeader) {
        if (secret == null || signatureHeader == null) {
            return false;
        }
        byte[] expected = compute(secret, rawBody).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHeader.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
