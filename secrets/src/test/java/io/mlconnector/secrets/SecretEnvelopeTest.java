package io.mlconnector.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretEnvelopeTest {

    private static final String IONAPI = "{\"ti\":\"ACME_TST\",\"ci\":\"client\",\"cs\":\"secret}:with$stuff\","
            + "\"saak\":\"key\",\"sask\":\"äöü-sask\"}";

    private final String k1 = KeyRing.generateKeyLine("k1");
    private final String k2 = KeyRing.generateKeyLine("k-2_b");

    @Test
    void roundTripsAndFitsInAConfigReference() {
        KeyRing keys = KeyRing.parse(k1, "test");
        String envelope = SecretEnvelope.seal(keys, IONAPI);

        assertTrue(envelope.matches("mlenc1\\.k1\\.[A-Za-z0-9_-]+"), envelope);
        assertFalse(envelope.contains("sask"));
        assertEquals("k1", SecretEnvelope.keyId(envelope));
        assertEquals(IONAPI, SecretEnvelope.open(keys, envelope));
        assertEquals(IONAPI, SecretEnvelope.open(keys, envelope + "\n"), "as read from a file");
    }

    @Test
    void afterRotationTheOldKeyStillOpensAndTheNewOneSeals() {
        String before = SecretEnvelope.seal(KeyRing.parse(k1, "test"), "token");
        KeyRing rotated = KeyRing.parse(k2 + "\n" + k1, "test");

        assertEquals("token", SecretEnvelope.open(rotated, before));
        assertEquals("k-2_b", SecretEnvelope.keyId(SecretEnvelope.seal(rotated, "token")));
        SecretException e = assertThrows(SecretException.class, () -> SecretEnvelope.open(KeyRing.parse(k2, "test"), before));
        assertTrue(e.getMessage().contains("no key 'k1'"), e.getMessage());
    }

    @Test
    void aRelabelledOrAlteredEnvelopeDoesNotOpen() {
        KeyRing keys = KeyRing.parse(k1, "test");
        String envelope = SecretEnvelope.seal(keys, "token");
        String payload = envelope.substring("mlenc1.k1.".length());
        // the same bytes under another key id of the ring: the key id is authenticated, so this fails
        KeyRing sameKeyTwoIds = KeyRing.parse(k1 + "\nk2" + k1.substring(2), "test");
        assertThrows(SecretException.class, () -> SecretEnvelope.open(sameKeyTwoIds, "mlenc1.k2." + payload));
        char last = payload.charAt(0) == 'A' ? 'B' : 'A';
        assertThrows(SecretException.class, () -> SecretEnvelope.open(keys, "mlenc1.k1." + last + payload.substring(1)));
        for (String bad : new String[] {"token", "mlenc2.k1." + payload, "mlenc1..x", "mlenc1.k1." + payload + ".x", "mlenc1.k1.***"}) {
            SecretException e = assertThrows(SecretException.class, () -> SecretEnvelope.open(keys, bad), bad);
            assertFalse(e.getMessage().contains("token"), e.getMessage());
        }
    }
}
