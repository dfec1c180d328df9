package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.secrets.KeyRing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class WebhookSecretStoreTest {

    private static final byte[] OLD_KEY = new byte[32];
    private static final byte[] NEW_KEY = new byte[32];

    static {
        NEW_KEY[0] = 1;
    }

    private final HandshakeSecret secret = new HandshakeSecret("1200", "9f86d081884c7d659a2feaa0c55ad015");

    @Test
    void sealedSecretOpensOnlyForItsWebhookAndNeverShowsInClear() {
        WebhookSecretStore store = new WebhookSecretStore("42", KeyRing.of(Map.of("k1", OLD_KEY)));
        WebhookSecretStore.Sealed sealed = store.seal(secret);

        assertFalse(sealed.blob().contains(secret.value()));
        assertEquals(Optional.of(secret), store.open("1200", sealed));
        assertEquals(Optional.empty(), store.open("1201", sealed), "bound to the webhook gid");
        assertEquals(Optional.empty(), new WebhookSecretStore("43", KeyRing.of(Map.of("k1", OLD_KEY))).open("1200", sealed),
                "bound to the resource");
        assertEquals(Optional.empty(), store.open("1200", new WebhookSecretStore.Sealed("k1", "not base64!")));
        assertFalse(secret.toString().contains(secret.value()));
    }

    @Test
    void earlierKeysStillOpenWhatTheySealedAndAskForResealing() {
        WebhookSecretStore.Sealed sealedBefore = new WebhookSecretStore("42", KeyRing.of(Map.of("k1", OLD_KEY))).seal(secret);
        Map<String, byte[]> rotated = new LinkedHashMap<>();
        rotated.put("k2", NEW_KEY);
        rotated.put("k1", OLD_KEY);
        WebhookSecretStore store = new WebhookSecretStore("42", KeyRing.of(rotated));

        assertEquals(Optional.of(secret), store.open("1200", sealedBefore));
        assertTrue(store.needsResealing(sealedBefore));
        WebhookSecretStore.Sealed resealed = store.seal(secret);
        assertEquals("k2", resealed.keyId());
        assertFalse(store.needsResealing(resealed));
        assertEquals(Optional.empty(), new WebhookSecretStore("42", KeyRing.of(Map.of("k2", NEW_KEY))).open("1200", sealedBefore),
                "a dropped key opens nothing");
    }

    /** Offsets written before the shared key ring: Base64 of IV and ciphertext, the gids as AAD. */
    @Test
    void opensSecretsSealedByEarlierVersions() throws Exception {
        byte[] iv = new byte[12];
        iv[3] = 7;
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(OLD_KEY, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD("asana-webhook:42:1200".getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(secret.value().getBytes(StandardCharsets.UTF_8));
        String blob = Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(iv).put(sealed).array());

        WebhookSecretStore store = new WebhookSecretStore("42", KeyRing.of(Map.of("1", OLD_KEY)));
        assertEquals(Optional.of(secret), store.open("1200", new WebhookSecretStore.Sealed("1", blob)));
    }

    @Test
    void theConfigPutsTheCurrentKeyFirstAndRejectsBadPreviousKeysWithoutEchoingThem() {
        String oldKey = Base64.getEncoder().encodeToString(OLD_KEY);
        String newKey = Base64.getEncoder().encodeToString(NEW_KEY);
        KeyRing keys = config(Map.of("webhook.secret.encryption.key", newKey, "webhook.secret.encryption.key.id", "k2",
                "webhook.secret.encryption.previous.keys", "k1=" + oldKey + ", k0=" + oldKey)).secretKeys();
        assertEquals(List.of("k2", "k1", "k0"), List.copyOf(keys.keyIds()));

        for (String previous : List.of(oldKey, "k1=" + newKey.substring(4), "k2=" + oldKey)) {
            ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("webhook.secret.encryption.key", newKey,
                    "webhook.secret.encryption.key.id", "k2", "webhook.secret.encryption.previous.keys", previous)));
            assertTrue(e.getMessage().contains("key #2"), e.getMessage());
            assertFalse(e.getMessage().contains(oldKey.substring(0, 12)) || e.getMessage().contains(newKey.substring(4, 16)),
                    e.getMessage());
        }
    }

    private static AsanaWebhookSourceConfig config(Map<String, String> secretKeys) {
        Map<String, String> props = new HashMap<>(Map.of("asana.token", "token", "asana.workspace.gid", "1",
                "asana.resource.gid", "42", "webhook.target.url", "https://hooks.example.com/asana/webhook"));
        props.putAll(secretKeys);
        return new AsanaWebhookSourceConfig(props);
    }
}
