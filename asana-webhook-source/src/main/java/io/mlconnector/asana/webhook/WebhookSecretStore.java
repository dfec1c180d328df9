package io.mlconnector.asana.webhook;

import io.mlconnector.secrets.KeyRing;
import io.mlconnector.secrets.SecretException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Seals handshake secrets for the source offset with the {@link KeyRing}'s AES-256-GCM. The resource and
 * webhook gids are authenticated along, so a sealed secret cannot be replayed for another webhook; the key
 * id travels with it, so keys can rotate while earlier ones still open what they sealed.
 */
final class WebhookSecretStore {

    /** A secret as stored: the id of the key that sealed it and Base64 of IV, ciphertext and tag. */
    record Sealed(String keyId, String blob) {
    }

    private final String resourceGid;
    private final KeyRing keys;

    WebhookSecretStore(String resourceGid, KeyRing keys) {
        this.resourceGid = resourceGid;
        this.keys = keys;
    }

    Sealed seal(HandshakeSecret secret) {
        String keyId = keys.currentKeyId();
        byte[] sealed = keys.encrypt(keyId, aad(secret.webhookGid()), secret.value().getBytes(StandardCharsets.UTF_8));
        return new Sealed(keyId, Base64.getEncoder().encodeToString(sealed));
    }

    /** The secret, or empty when the key is unknown or the blob was not sealed for this webhook and key. */
    Optional<HandshakeSecret> open(String webhookGid, Sealed sealed) {
        try {
            byte[] plain = keys.decrypt(sealed.keyId(), aad(webhookGid), Base64.getDecoder().decode(sealed.blob()));
            return Optional.of(new HandshakeSecret(webhookGid, new String(plain, StandardCharsets.UTF_8)));
        } catch (SecretException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when the secret was sealed with an earlier key and should be sealed again with the current one. */
    boolean needsResealing(Sealed sealed) {
        return !keys.currentKeyId().equals(sealed.keyId());
    }

    // unchanged since before the shared key ring, so offsets written then still open
    private byte[] aad(String webhookGid) {
        return ("asana-webhook:" + resourceGid + ":" + webhookGid).getBytes(StandardCharsets.UTF_8);
    }
}
