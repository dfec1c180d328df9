package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
        WebhookSecretStore store = new WebhookSecretStore("42", Map.of("k1", OLD_KEY));
        WebhookSecretStore.Sealed sealed = store.seal(secret);

        assertFalse(sealed.blob().contains(secret.value()));
        assertEquals(Optional.of(secret), store.open("1200", sealed));
        assertEquals(Optional.empty(), store.open("1201", sealed), "bound to the webhook gid");
        assertEquals(Optional.empty(), new WebhookSecretStore("43", Map.of("k1", OLD_KEY)).open("1200", sealed),
                "bound to the resource");
        assertFalse(secret.toString().contains(secret.value()));
    }

    @Test
    void earlierKeysStillOpenWhatTheySealedAndAskForResealing() {
        WebhookSecretStore.Sealed sealedBefore = new WebhookSecretStore("42", Map.of("k1", OLD_KEY)).seal(secret);
        Map<String, byte[]> rotated = new LinkedHashMap<>();
        rotated.put("k2", NEW_KEY);
        rotated.put("k1", OLD_KEY);
        WebhookSecretStore store = new WebhookSecretStore("42", rotated);

        assertEquals(Optional.of(secret), store.open("1200", sealedBefore));
        assertTrue(store.needsResealing(sealedBefore));
        WebhookSecretStore.Sealed resealed = store.seal(secret);
        assertEquals("k2", resealed.keyId());
        assertFalse(store.needsResealing(resealed));
        assertEquals(Optional.empty(), new WebhookSecretStore("42", Map.of("k2", NEW_KEY)).open("1200", sealedBefore),
                "a dropped key opens nothing");
    }
}
