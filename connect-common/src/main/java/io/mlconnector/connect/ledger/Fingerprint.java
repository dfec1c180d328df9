package io.mlconnector.connect.ledger;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A short digest of a written value: enough to tell whether a value changed, without keeping it.
 * 64 bits of SHA-256 make a false "unchanged" as unlikely as a random 64-bit collision.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** The first 8 bytes of the value's UTF-8 SHA-256, as 16 hex digits. */
    public static String of(String canonicalValue) {
        return DigestUtils.sha256Hex(canonicalValue.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
