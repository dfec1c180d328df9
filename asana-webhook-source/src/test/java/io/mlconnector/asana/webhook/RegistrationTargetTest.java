package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistrationTargetTest {

    @Test
    void theTokenIsAddedAsAQueryParameterWhateverTheTargetAlreadyCarries() {
        assertEquals("https://hooks.example.com/asana?registration=t1",
                RegistrationTarget.withToken("https://hooks.example.com/asana", "t1"));
        assertEquals("https://hooks.example.com/asana?tenant=a&registration=t1",
                RegistrationTarget.withToken("https://hooks.example.com/asana?tenant=a", "t1"));
        assertEquals("https://hooks.example.com/asana?registration=t1#x",
                RegistrationTarget.withToken("https://hooks.example.com/asana#x", "t1"));
    }

    @Test
    void aRegisteredTargetMatchesTheConfiguredOneWhateverItsToken() {
        String configured = "https://hooks.example.com/asana?tenant=a";
        assertTrue(RegistrationTarget.sameTarget(RegistrationTarget.withToken(configured, "old"), configured));
        assertTrue(RegistrationTarget.sameTarget(configured, configured), "registered before tokens existed");
        assertFalse(RegistrationTarget.sameTarget("https://hooks.example.com/asana?tenant=b&registration=x", configured));
        assertFalse(RegistrationTarget.sameTarget(null, configured));
        assertEquals("https://hooks.example.com/asana", RegistrationTarget.withoutToken(
                "https://hooks.example.com/asana?registration=x"));
    }
}
