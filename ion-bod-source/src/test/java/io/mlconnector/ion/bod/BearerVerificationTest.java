package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BearerVerificationTest {

    private final BearerVerification bearer = new BearerVerification("gw-token-1".toCharArray());

    private static ImsAuthentication.Request request(String authorization) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("authorization", authorization);
        return new ImsAuthentication.Request("POST", "/ims/service/v3/multipartMessage", null,
                name -> headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void theConfiguredTokenPassesWhateverTheSchemesCase() throws Exception {
        bearer.verify(request("Bearer gw-token-1"));
        bearer.verify(request("bearer gw-token-1"));
    }

    @Test
    void anythingElseIs401WithoutTheTokenInTheMessage() {
        for (String wrong : new String[] {null, "", "Bearer", "Bearer ", "Bearer gw-token-2", "Basic Z3c6dG9rZW4=",
                "Bearer gw-token-1x", "gw-token-1"}) {
            ImsRefusal e = assertThrows(ImsRefusal.class, () -> bearer.verify(request(wrong)), String.valueOf(wrong));
            assertEquals(401, e.status());
            assertFalse(e.getMessage().contains("gw-token-1"), e.getMessage());
        }
    }

    @Test
    void anEmptyTokenIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new BearerVerification(new char[0]));
    }
}
