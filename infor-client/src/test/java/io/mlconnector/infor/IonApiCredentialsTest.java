package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IonApiCredentialsTest {

    static final String CLIENT_SECRET = "Zx9-example-secret";
    static final String SA_SECRET = "example-service-account-secret";

    /** The illustrative file of infor.md section 1, plus ru. */
    static final String FILE = """
            {
              "ti": "ACME_TST",
              "cn": "kafka-po-connector",
              "dt": "12",
              "ci": "ACME_TST~q1w2e3r4t5y6",
              "cs": "Zx9-example-secret",
              "iu": "https://mingle-ionapi.eu1.inforcloudsuite.com",
              "pu": "https://mingle-sso.eu1.inforcloudsuite.com:443/ACME_TST/as/",
              "oa": "authorization.oauth2",
              "ot": "token.oauth2",
              "or": "revoke_token.oauth2",
              "ev": "U00000000",
              "v": "1.0",
              "saak": "ACME_TST#AbCdEf0123",
              "sask": "example-service-account-secret",
              "ru": "https://localhost/callback"
            }
            """;

    @Test
    void readsEveryKeyAndBuildsTheUrlsAsInforDoes() {
        IonApiCredentials c = IonApiCredentials.parse(FILE);
        assertEquals("ACME_TST", c.tenant());
        assertEquals("kafka-po-connector", c.clientName());
        assertEquals("12", c.dt());
        assertEquals("ACME_TST~q1w2e3r4t5y6", c.clientId());
        assertEquals(CLIENT_SECRET, c.clientSecret());
        assertEquals("authorization.oauth2", c.authorizationPath());
        assertEquals("U00000000", c.ev());
        assertEquals("1.0", c.version());
        assertEquals("ACME_TST#AbCdEf0123", c.serviceAccountAccessKey());
        assertEquals(SA_SECRET, c.serviceAccountSecretKey());
        assertEquals("https://localhost/callback", c.redirectUri());
        assertEquals("https://mingle-sso.eu1.inforcloudsuite.com:443/ACME_TST/as/token.oauth2", c.tokenUrl());
        assertEquals("https://mingle-sso.eu1.inforcloudsuite.com:443/ACME_TST/as/revoke_token.oauth2", c.revokeUrl());
        assertEquals("https://mingle-ionapi.eu1.inforcloudsuite.com/ACME_TST", c.apiBaseUrl());
        assertTrue(c.hasServiceAccount());
    }

    @Test
    void toStringShowsNoSecret() {
        String text = IonApiCredentials.parse(FILE).toString();
        assertFalse(text.contains(CLIENT_SECRET));
        assertFalse(text.contains(SA_SECRET));
        assertFalse(text.contains("AbCdEf0123"), "the service-account access key is a credential too");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ti", "ci", "cs", "iu", "pu", "ot"})
    void aMissingRequiredKeyIsNamed(String key) {
        String without = FILE.replaceAll("\"" + key + "\": \"[^\"]*\",?", "");
        IonApiFileException e = assertThrows(IonApiFileException.class, () -> IonApiCredentials.parse(without));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"));
        assertNoSecret(e.getMessage());
    }

    @Test
    void malformedKeysAreNamedWithoutEchoingValues() {
        IonApiFileException url = assertThrows(IonApiFileException.class,
                () -> IonApiCredentials.parse(FILE.replace("https://mingle-ionapi.eu1.inforcloudsuite.com", "mingle-ionapi")));
        assertEquals("iu", url.key());
        IonApiFileException number = assertThrows(IonApiFileException.class,
                () -> IonApiCredentials.parse(FILE.replace("\"cs\": \"" + CLIENT_SECRET + "\"", "\"cs\": 12")));
        assertEquals("cs", number.key());
        IonApiFileException half = assertThrows(IonApiFileException.class,
                () -> IonApiCredentials.parse(FILE.replace("\"sask\": \"" + SA_SECRET + "\",", "")));
        assertEquals("sask", half.key());
        IonException notJson = assertThrows(IonException.class, () -> IonApiCredentials.parse(FILE.replace("\"cs\":", "\"cs\"")));
        assertNoSecret(notJson.getMessage());
        assertNoSecret(half.getMessage());
        assertThrows(IonApiFileException.class, () -> IonApiCredentials.parse("  "));
        assertThrows(IonException.class, () -> IonApiCredentials.parse("[1,2]"));
    }

    @Test
    void acceptsUpperCaseServiceAccountKeysAndFilesWithoutServiceAccount() {
        IonApiCredentials upper = IonApiCredentials.parse(FILE.replace("\"saak\"", "\"SAAK\"").replace("\"sask\"", "\"SASK\""));
        assertTrue(upper.hasServiceAccount());
        String clientCredentialsOnly = FILE.replaceAll("\"(saak|sask|or)\": \"[^\"]*\",", "");
        IonApiCredentials cc = IonApiCredentials.parse(clientCredentialsOnly);
        assertFalse(cc.hasServiceAccount());
        assertNull(cc.revokeUrl());
    }

    static void assertNoSecret(String text) {
        assertFalse(text.contains(CLIENT_SECRET), text);
        assertFalse(text.contains(SA_SECRET), text);
    }
}
