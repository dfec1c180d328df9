package io.mlconnector.ion.bod;

import static io.mlconnector.ion.bod.OAuth1VerificationTest.request;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicVerificationTest {

    private static final String USER = "ion-gateway";
    private static final String PASSWORD = "p\u00e4ss:w0rd";

    private final BasicVerification verification = new BasicVerification(USER, PASSWORD.toCharArray());

    @Test
    void acceptsTheUserAndPassword() {
        assertDoesNotThrow(() -> verification.verify(basic(USER + ":" + PASSWORD)));
        assertDoesNotThrow(() -> verification.verify(request("GET", "/ping", null,
                "basic " + encode(USER + ":" + PASSWORD))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ion-gateway:wrong",
        "ion-gateway:p\u00e4ss:w0rd ",
        "ion-gateway:p\u00e4ss:w0r",
        "ion-gateway:",
        "ION-GATEWAY:p\u00e4ss:w0rd",
        "other:p\u00e4ss:w0rd",
        ":p\u00e4ss:w0rd",
        "ion-gatewayp\u00e4ss:w0rd",
    })
    void refusesWrongCredentials(String credentials) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(basic(credentials)));
        assertEquals(401, refusal.status());
        assertFalse(refusal.getMessage().contains(PASSWORD));
    }

    @Test
    void refusesAMissingOrForeignOrUndecodableHeader() {
        assertRefused(request("GET", "/ping", null, null), "missing Basic Authorization header");
        assertRefused(request("GET", "/ping", null, "Bearer " + encode(USER + ":" + PASSWORD)),
                "Authorization scheme is not Basic");
        assertRefused(request("GET", "/ping", null, "Basic"), "Authorization scheme is not Basic");
        assertRefused(request("GET", "/ping", null, "Basic ***"), "Basic credentials are not base64");
        assertRefused(request("GET", "/ping", null, "Basic " + encode("no colon")),
                "Basic credentials have no user:password form");
    }

    @Test
    void keepsNoReferenceToTheCallersArrayAndPrintsNoPassword() {
        char[] password = PASSWORD.toCharArray();
        BasicVerification copy = new BasicVerification(USER, password);
        Arrays.fill(password, 'x');
        assertDoesNotThrow(() -> copy.verify(basic(USER + ":" + PASSWORD)));
        assertFalse(copy.toString().contains(PASSWORD));
    }

    @Test
    void refusesUnusableConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new BasicVerification("a:b", "p".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> new BasicVerification("", "p".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> new BasicVerification("u", new char[0]));
    }

    private void assertRefused(ImsAuthentication.Request request, String message) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(request));
        assertEquals(401, refusal.status());
        assertEquals(message, refusal.getMessage());
    }

    private static ImsAuthentication.Request basic(String credentials) {
        return request("POST", "/service/v3/multipartMessage", null, "Basic " + encode(credentials));
    }

    private static String encode(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
