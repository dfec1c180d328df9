package io.mlconnector.simulators.ion.ims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** RFC 5849 vectors for the pieces of the signer; the full signature is verified independently in ImsSenderTest. */
class OAuth1SignerTest {

    @Test
    void baseStringUriIsNormalisedPerSection3412() {
        assertEquals("http://example.com/r%20v/X", OAuth1Signer.baseUri(URI.create("HTTP://EXAMPLE.COM:80/r%20v/X?id=123")));
        assertEquals("https://www.example.net:8080/", OAuth1Signer.baseUri(URI.create("https://www.example.net:8080/?q=1")));
        assertEquals("https://h.example/ims/service/v3/multipartMessage",
                OAuth1Signer.baseUri(URI.create("https://h.example:443/ims/service/v3/multipartMessage")));
        assertEquals("http://127.0.0.1:8080/ims", OAuth1Signer.baseUri(URI.create("http://127.0.0.1:8080/ims")));
    }

    @Test
    void percentEncodingIsSection36() {
        assertEquals("abcXYZ019-._~", OAuth1Signer.percentEncode("abcXYZ019-._~"));
        assertEquals("%20%2A%2B%26%3D%25%2F%3A", OAuth1Signer.percentEncode(" *+&=%/:"));
        assertEquals("%C3%96%E5%8C%97", OAuth1Signer.percentEncode("Ö北"));
    }

    @Test
    void queryParametersAndOAuthParametersAreSortedByEncodedValueAndTheRealmAndSignatureLeftOut() {
        Map<String, String> oauth = new TreeMap<>(Map.of("oauth_consumer_key", "k", "oauth_nonce", "n",
                "oauth_signature_method", "HMAC-SHA1", "oauth_timestamp", "1", "oauth_version", "1.0",
                "realm", "r", "oauth_signature", "x"));
        String base = OAuth1Signer.baseString("post", URI.create("http://H.example/p?b=2&a=1+1&a=%3D"), oauth);
        assertEquals("POST&http%3A%2F%2Fh.example%2Fp&a%3D%253D%26a%3D1%25201%26b%3D2%26oauth_consumer_key%3Dk"
                + "%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_version%3D1.0", base);
    }

    @Test
    void theHeaderCarriesTheReferenceParametersInOrderAndTheRealmIsOptional() {
        URI uri = URI.create("http://127.0.0.1:1/ims/service/ping");
        String h = new OAuth1Signer("key one", "secret").authorization("GET", uri, 1_700_000_000L, "abc");
        assertTrue(h.matches("OAuth realm=\"\", oauth_consumer_key=\"key%20one\", oauth_nonce=\"abc\", "
                + "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_version=\"1.0\", "
                + "oauth_signature=\"[A-Za-z0-9%]+\""), h);
        assertTrue(ImsTestSupport.validSignature("GET", uri.toString(), h, "secret"));
        String wrong = new OAuth1Signer("key one", "secret").authorization("GET", uri, 1_700_000_000L, "abc", "other");
        assertFalse(ImsTestSupport.validSignature("GET", uri.toString(), wrong, "secret"));
        String noRealm = new OAuth1Signer("k", "s", OAuth1Signer.SignatureMethod.HMAC_SHA256, null)
                .authorization("GET", uri, 1L, "n");
        assertTrue(noRealm.startsWith("OAuth oauth_consumer_key=\"k\", "), noRealm);
        assertTrue(noRealm.contains("oauth_signature_method=\"HMAC-SHA256\""), noRealm);
    }
}
