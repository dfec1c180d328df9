package io.mlconnector.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A secret as text: {@code mlenc1.<keyId>.<base64url of IV, ciphertext and tag>}. It holds no ':' and no '}',
 * so it fits inside a {@code ${provider:key}} reference. The version and key id are authenticated along, so
 * neither can be swapped without the decryption failing.
 */
public final class SecretEnvelope {

    public static final String VERSION = "mlenc1";

    private SecretEnvelope() {
    }

    public static String seal(KeyRing keys, String plaintext) {
        String keyId = keys.currentKeyId();
        byte[] sealed = keys.encrypt(keyId, aad(keyId), plaintext.getBytes(StandardCharsets.UTF_8));
        return VERSION + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    public static String open(KeyRing keys, String envelope) {
        String keyId = keyId(envelope);
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(envelope.strip().substring(VERSION.length() + keyId.length() + 2));
        } catch (IllegalArgumentException e) {
            throw new SecretException("the ciphertext for key '" + keyId + "' is not base64url");
        }
        return new String(keys.decrypt(keyId, aad(keyId), sealed), StandardCharsets.UTF_8);
    }

    /** The id of the key that sealed the envelope. */
    public static String keyId(String envelope) {
        String[] parts = envelope.strip().split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION) || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new SecretException("not an " + VERSION + ".<keyId>.<ciphertext> value");
        }
        return parts[1];
    }

    private static byte[] aad(String keyId) {
        return (VERSION + "." + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
