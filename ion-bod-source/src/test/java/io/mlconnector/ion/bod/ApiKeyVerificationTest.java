package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyVerificationTest {

    private static final String KEY = "k-3f9a\u00e9-0042";

    private final ApiKeyVerification verification = new ApiKeyVerification("X-Api-Key", KEY.toCharArray());

    @Test
    void acceptsTheKeyInTheConfiguredHeaderWhateverItsCase() {
        assertDoesNotThrow(() -> verification.verify(withHeader("x-api-key", KEY)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k-3f9a\u00e9-004", "k-3f9a\u00e9-00421", "K-3F9A\u00c9-0042", " k-3f9a\u00e9-0042"})
    void refusesAnyOtherValue(String value) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(withHeader("X-Api-Key", value)));
        assertEquals(401, refusal.status());
        assertEquals("the X-Api-Key header does not hold the API key", refusal.getMessage());
    }

    @Test
    void refusesAMissingHeaderOrTheKeyInAnotherHeader() {
        ImsRefusal refusal = assertThrows(ImsRefusal.class,
                () -> verification.verify(withHeader("Authorization", KEY)));
        assertEquals(401, refusal.status());
        assertEquals("missing X-Api-Key header", refusal.getMessage());
    }

    @Test
    void neverPrintsTheKey() {
        assertFalse(verification.toString().contains(KEY));
    }

    @Test
    void refusesUnusableConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyVerification("X Api", KEY.toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyVerification("X-Api-Key", new char[0]));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyVerification(null, KEY.toCharArray()));
    }

    private static ImsAuthentication.Request withHeader(String name, String value) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put(name, value);
        return new ImsAuthentication.Request("POST", "/service/v3/multipartMessage", null, headers::get);
    }
}
