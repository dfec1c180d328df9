package io.mlconnector.connect.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short digest of a written value: enough to tell whether a value changed, without keeping it.
 * 64 bits of SHA-256 make a false "unchanged" as unlikely as a random 64-bit collision.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    public static String of(String canonicalValue) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalValue.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
