package io.mlconnector.asana.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals handshake secrets for the source offset with AES-256-GCM. The resource and webhook gids are
 * authenticated along, so a sealed secret cannot be replayed for another webhook; the key id travels
 * with it, so keys can rotate while earlier ones still open what they sealed.
 */
final class WebhookSecretStore {

    /** A secret as stored: the id of the key that sealed it and Base64 of IV followed by ciphertext. */
    record Sealed(String keyId, String blob) {
    }

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String resourceGid;
    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** @param keys the current key first, then earlier ones, each by id */
    WebhookSecretStore(String resourceGid, Map<String, byte[]> keys) {
        this.resourceGid = resourceGid;
        keys.forEach((id, key) -> this.keys.put(id, new SecretKeySpec(key, "AES")));
        this.currentKeyId = keys.keySet().iterator().next();
    }

    Sealed seal(HandshakeSecret secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), iv, secret.webhookGid());
            byte[] sealed = cipher.doFinal(secret.value().getBytes(StandardCharsets.UTF_8));
            return new Sealed(currentKeyId, Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The secret, or empty when the key is unknown or the blob was not sealed for this webhook and key. */
    Optional<HandshakeSecret> open(String webhookGid, Sealed sealed) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.blob());
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(bytes, IV_BYTES), webhookGid);
            byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
            return Optional.of(new HandshakeSecret(webhookGid, new String(plain, StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when the secret was sealed with an earlier key and should be sealed again with the current one. */
    boolean needsResealing(Sealed sealed) {
        return !currentKeyId.equals(sealed.keyId());
    }

    private Cipher cipher(int mode, SecretKeySpec key, byte[] iv, String webhookGid) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(("asana-webhook:" + resourceGid + ":" + webhookGid).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
