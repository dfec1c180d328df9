package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OAuth1VerificationTest {

    private static final String KEY = "ion-consumer-key";
    private static final String SECRET = "s3cr&t s\u00e9cret+/=";
    private static final String PUBLIC_BASE = "https://connect.example.com/ims";
    private static final String PATH = "/ims/service/v3/multipartMessage";
    private static final String PUBLIC_URL = "https://connect.example.com/ims/service/v3/multipartMessage";
    private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");

    private final HandClock clock = new HandClock(NOW);
    private final OAuth1TestSigner signer = new OAuth1TestSigner(KEY, SECRET);
    private int nonces;

    // ---- RFC 5849 vectors ----

    @Test
    void reproducesTheSignatureBaseStringOfRfc5849Section341() throws ImsRefusal {
        String authorization = "OAuth realm=\"Example\", oauth_consumer_key=\"9djdj82h48djs9d2\", "
                + "oauth_token=\"kkk9d7dh3k39sjv7\", oauth_signature_method=\"HMAC-SHA1\", "
                + "oauth_timestamp=\"137131201\", oauth_nonce=\"7d8f3e4a\", "
                + "oauth_signature=\"bYT5CMsGcbgUdFHObYMEfcx6bsw%3D\"";
        List<OAuth1Verification.Parameter> parameters = new ArrayList<>();
        parameters.addAll(OAuth1Verification.queryParameters("b5=%3D%253D&a3=a&c%40=&a2=r%20b"));
        parameters.addAll(OAuth1Verification.queryParameters("c2&a3=2+q")); // the example's form body
        parameters.addAll(OAuth1Verification.authorizationParameters(authorization));

        String baseString = OAuth1Verification.signatureBaseString("POST",
                OAuth1Verification.baseStringUri("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"),
                parameters);

        assertEquals("POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
                + "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
                + "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
                + "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
                + "9d7dh3k39sjv7", baseString);
    }

    @Test
    void reproducesTheSignatureOfRfc5849Section12() throws ImsRefusal {
        // GET /photos?file=vacation.jpg&size=original, signed with consumer and token secret
        String authorization = "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", "
                + "oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", "
                + "oauth_timestamp=\"137131202\", oauth_nonce=\"chapoH\", "
                + "oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\"";
        List<OAuth1Verification.Parameter> parameters = new ArrayList<>(
                OAuth1Verification.authorizationParameters(authorization));
        parameters.addAll(OAuth1Verification.queryParameters("file=vacation.jpg&size=original"));
        String baseString = OAuth1Verification.signatureBaseString("GET",
                OAuth1Verification.baseStringUri("http://photos.example.net/photos"), parameters);
        byte[] key = OAuth1Verification.signingKey("kd94hf93k423kf44".toCharArray(),
                "pfkkdhi9sl3r4s00".toCharArray());

        byte[] signature = OAuth1Verification.hmacSha1(new SecretKeySpec(key, "HmacSHA1"), baseString);

        assertEquals("MdpQcU8iPSUjWoN/UDMsK2sui9I=", Base64.getEncoder().encodeToString(signature));
    }

    @ParameterizedTest
    @CsvSource({
        "http://EXAMPLE.COM:80/r%20v/X?id=123, http://example.com/r%20v/X",   // RFC 5849 3.4.1.2
        "https://www.example.net:8080/?q=1, https://www.example.net:8080/",   // RFC 5849 3.4.1.2
        "HTTPS://Connect.Example.COM:443/ims, https://connect.example.com/ims",
        "http://connect.example.com:8080/ims, http://connect.example.com:8080/ims",
        "http://connect.example.com:443/ims, http://connect.example.com:443/ims",
        "https://connect.example.com:80, https://connect.example.com:80/",
        "https://connect.example.com, https://connect.example.com/",
    })
    void normalisesTheBaseStringUriAsRfc5849Section3412Says(String url, String expected) {
        assertEquals(expected, OAuth1Verification.baseStringUri(url));
    }

    @ParameterizedTest
    @CsvSource({"r b,r%20b", "=%3D,%3D%253D", "c@,c%40", "~-._azAZ09,~-._azAZ09", "+*/,%2B%2A%2F",
        "\u00fc\u20ac,%C3%BC%E2%82%AC"})
    void percentEncodesAsRfc5849Section36Says(String text, String expected) {
        assertEquals(expected, OAuth1Verification.percentEncode(text));
        assertEquals(expected, OAuth1TestSigner.encode(text), "the test signer agrees");
    }

    @Test
    void theKeyIsTheEncodedConsumerSecretAndAnAmpersand() {
        assertArrayEquals("a%26b%20c%C3%A9&".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                OAuth1Verification.signingKey("a&b c\u00e9".toCharArray(), new char[0]));
    }

    // ---- accepting ----

    @Test
    void acceptsARequestSignedForThePublicUrlBehindALoadBalancer() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        assertDoesNotThrow(() -> verification.verify(signed("POST", PATH, null)));
    }

    @Test
    void signsWithTheConfiguredUrlNormalisedNotAsWritten() {
        // default port and case in the configuration; the signer signed the normalised form
        OAuth1Verification verification = verification("HTTPS://Connect.Example.COM:443/ims/", "/ims/");
        assertDoesNotThrow(() -> verification.verify(signed("POST", PATH, null)));
    }

    @Test
    void keepsANonDefaultPublicPort() {
        OAuth1Verification verification = verification("https://connect.example.com:8443/ims", "/ims");
        String url = "https://connect.example.com:8443/ims/service/ping";
        assertDoesNotThrow(() -> verification.verify(request("GET", "/ims/service/ping", null,
                signer.header("GET", url, NOW.getEpochSecond(), nonce()))));
        // the same request signed without the port is not this URL
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(request("GET",
                "/ims/service/ping", null, signer.header("GET", "https://connect.example.com/ims/service/ping",
                        NOW.getEpochSecond(), nonce()))));
        assertEquals("oauth_signature does not match", refusal.getMessage());
    }

    @Test
    void joinsAPublicPathToARootListener() {
        // the load balancer strips /ims; the worker serves the IMS root at /
        OAuth1Verification verification = verification(PUBLIC_BASE, "/");
        String url = "https://connect.example.com/ims/service/protocol";
        assertDoesNotThrow(() -> verification.verify(request("GET", "/service/protocol", null,
                signer.header("GET", url, NOW.getEpochSecond(), nonce()))));
    }

    @Test
    void aRequestForTheListenerRootItselfIsSignedForThePublicRoot() {
        OAuth1Verification verification = verification("https://connect.example.com", "/ims");
        assertDoesNotThrow(() -> verification.verify(request("GET", "/ims", null,
                signer.header("GET", "https://connect.example.com/", NOW.getEpochSecond(), nonce()))));
    }

    @Test
    void signsOverTheQueryParameters() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        String query = "documentName=Sync.PurchaseOrder&logicalId=lid%3A%2F%2Finfor.m3.m3&note=a+b%20c";
        String header = signer.header("POST", PUBLIC_URL + "?" + query, NOW.getEpochSecond(), nonce());
        assertDoesNotThrow(() -> verification.verify(request("POST", PATH, query, header)));

        String other = signer.header("POST", PUBLIC_URL + "?" + query, NOW.getEpochSecond(), nonce());
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(request("POST", PATH,
                query.replace("PurchaseOrder", "SupplierInvoice"), other)));
        assertEquals("oauth_signature does not match", refusal.getMessage());
    }

    @Test
    void oauthVersionMayBeAbsent() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        Map<String, String> oauth = signer.parameters(NOW.getEpochSecond(), nonce());
        oauth.remove("oauth_version");
        assertDoesNotThrow(() -> verification.verify(request("POST", PATH, null,
                signer.header("POST", PUBLIC_URL, oauth))));
    }

    @Test
    void toleratesAnUnquotedValueAndTheSchemeInAnyCase() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        String header = signer.header("POST", PUBLIC_URL, NOW.getEpochSecond(), nonce())
                .replace("OAuth ", "oauth  ").replace("oauth_version=\"1.0\"", "oauth_version=1.0");
        assertDoesNotThrow(() -> verification.verify(request("POST", PATH, null, header)));
    }

    // ---- refusing ----

    @Test
    void refusesATamperedMethodPathOrSecret() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        assertRefused(verification, request("PUT", PATH, null, signer.header("POST", PUBLIC_URL,
                NOW.getEpochSecond(), nonce())), "oauth_signature does not match");
        assertRefused(verification, request("POST", "/ims/service/v3/discovery", null, signer.header("POST",
                PUBLIC_URL, NOW.getEpochSecond(), nonce())), "oauth_signature does not match");
        OAuth1TestSigner impostor = new OAuth1TestSigner(KEY, "another secret");
        assertRefused(verification, request("POST", PATH, null, impostor.header("POST", PUBLIC_URL,
                NOW.getEpochSecond(), nonce())), "oauth_signature does not match");
    }

    @Test
    void refusesAnotherConsumerKey() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        OAuth1TestSigner other = new OAuth1TestSigner("another-key", SECRET);
        assertRefused(verification, request("POST", PATH, null, other.header("POST", PUBLIC_URL,
                NOW.getEpochSecond(), nonce())), "unknown oauth_consumer_key");
        assertRefused(verification, request("POST", PATH, null, new OAuth1TestSigner(KEY + "x", SECRET)
                .header("POST", PUBLIC_URL, NOW.getEpochSecond(), nonce())), "unknown oauth_consumer_key");
    }

    @ParameterizedTest
    @CsvSource({
        "oauth_signature_method, PLAINTEXT, oauth_signature_method must be HMAC-SHA1",
        "oauth_signature_method, HMAC-SHA256, oauth_signature_method must be HMAC-SHA1",
        "oauth_signature_method, hmac-sha1, oauth_signature_method must be HMAC-SHA1",
        "oauth_version, 2.0, oauth_version must be 1.0",
        "oauth_timestamp, 12ab, missing or invalid oauth_timestamp",
        "oauth_timestamp, -5, missing or invalid oauth_timestamp",
        "oauth_nonce, '', missing oauth_nonce",
    })
    void refusesABadProtocolParameterNamingIt(String name, String value, String message) {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        Map<String, String> oauth = signer.parameters(NOW.getEpochSecond(), nonce());
        oauth.put(name, value);
        assertRefused(verification, request("POST", PATH, null, signer.header("POST", PUBLIC_URL, oauth)), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oauth_consumer_key", "oauth_signature_method", "oauth_timestamp", "oauth_nonce"})
    void refusesAMissingProtocolParameter(String name) {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        Map<String, String> oauth = signer.parameters(NOW.getEpochSecond(), nonce());
        oauth.remove(name);
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(
                request("POST", PATH, null, signer.header("POST", PUBLIC_URL, oauth))));
        assertEquals(401, refusal.status());
        assertTrue(refusal.getMessage().contains(name), refusal.getMessage());
    }

    @Test
    void refusesAMissingSignature() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        String header = signer.header("POST", PUBLIC_URL, NOW.getEpochSecond(), nonce());
        String unsigned = header.substring(0, header.indexOf(", oauth_signature="));
        assertRefused(verification, request("POST", PATH, null, unsigned), "missing oauth_signature");
        assertRefused(verification, request("POST", PATH, null, unsigned + ", oauth_signature=\"%%%\""),
                "a signed parameter has a malformed percent-encoding");
        assertRefused(verification, request("POST", PATH, null, unsigned + ", oauth_signature=\"not*base64\""),
                "oauth_signature is not base64");
    }

    @Test
    void acceptsTimestampsAtTheEdgeOfTheSkewAndRefusesOneSecondBeyond() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        long now = NOW.getEpochSecond();
        assertDoesNotThrow(() -> verification.verify(signedAt(now - 300)));
        assertDoesNotThrow(() -> verification.verify(signedAt(now + 300)));
        assertRefused(verification, signedAt(now - 301), "oauth_timestamp is outside the allowed clock skew");
        assertRefused(verification, signedAt(now + 301), "oauth_timestamp is outside the allowed clock skew");
    }

    @Test
    void theSkewIsConfigurable() {
        OAuth1Verification verification = new OAuth1Verification(KEY, SECRET.toCharArray(), PUBLIC_BASE, "/ims",
                clock, Duration.ofSeconds(30), 10);
        assertDoesNotThrow(() -> verification.verify(signedAt(NOW.getEpochSecond() - 30)));
        assertRefused(verification, signedAt(NOW.getEpochSecond() - 31),
                "oauth_timestamp is outside the allowed clock skew");
    }

    @Test
    void refusesAReplayedNonce() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        ImsAuthentication.Request request = signed("POST", PATH, null);
        assertDoesNotThrow(() -> verification.verify(request));
        assertRefused(verification, request, "oauth_nonce was already used");

        clock.advance(Duration.ofSeconds(299));
        assertRefused(verification, request, "oauth_nonce was already used");
        clock.advance(Duration.ofSeconds(2));
        assertRefused(verification, request, "oauth_timestamp is outside the allowed clock skew");
    }

    @Test
    void theSameNonceWithAnotherTimestampIsAnotherRequest() {
        // RFC 5849 3.3: a nonce is unique per timestamp
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        long now = NOW.getEpochSecond();
        assertDoesNotThrow(() -> verification.verify(request("POST", PATH, null,
                signer.header("POST", PUBLIC_URL, now, "same"))));
        assertDoesNotThrow(() -> verification.verify(request("POST", PATH, null,
                signer.header("POST", PUBLIC_URL, now - 1, "same"))));
    }

    @Test
    void whenTheNonceMemoryIsFullOfLiveNoncesItRefusesUntilTheyExpire() {
        OAuth1Verification verification = new OAuth1Verification(KEY, SECRET.toCharArray(), PUBLIC_BASE, "/ims",
                clock, Duration.ofSeconds(300), 2);
        long now = NOW.getEpochSecond();
        assertDoesNotThrow(() -> verification.verify(signedAt(now - 100)));
        assertDoesNotThrow(() -> verification.verify(signedAt(now)));
        ImsAuthentication.Request third = signedAt(now);
        assertRefused(verification, third, "too many recent oauth_nonce values to remember; try again later");

        clock.advance(Duration.ofSeconds(201)); // the first nonce's timestamp is now 301 s old: forgotten
        assertDoesNotThrow(() -> verification.verify(third));
        assertRefused(verification, third, "oauth_nonce was already used");
    }

    @Test
    void badlySignedRequestsDoNotFillTheNonceMemory() {
        OAuth1Verification verification = new OAuth1Verification(KEY, SECRET.toCharArray(), PUBLIC_BASE, "/ims",
                clock, Duration.ofSeconds(300), 1);
        OAuth1TestSigner impostor = new OAuth1TestSigner(KEY, "guess");
        for (int i = 0; i < 5; i++) {
            assertRefused(verification, request("POST", PATH, null, impostor.header("POST", PUBLIC_URL,
                    NOW.getEpochSecond(), nonce())), "oauth_signature does not match");
        }
        assertDoesNotThrow(() -> verification.verify(signed("POST", PATH, null)));
    }

    @Test
    void concurrentReplaysOfOneRequestLetExactlyOneThrough() throws Exception {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        ImsAuthentication.Request request = signed("POST", PATH, null);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Boolean> attempt = () -> {
                    start.await();
                    try {
                        verification.verify(request);
                        return true;
                    } catch (ImsRefusal refusal) {
                        assertEquals("oauth_nonce was already used", refusal.getMessage());
                        return false;
                    }
                };
                outcomes.add(pool.submit(attempt));
            }
            start.countDown();
            int accepted = 0;
            for (Future<Boolean> outcome : outcomes) {
                accepted += outcome.get() ? 1 : 0;
            }
            assertEquals(1, accepted);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer abc",
        "OAuth",
        "Basic dXNlcjpwYXNz",
        "OAuthoauth_consumer_key=\"x\"",
        "OAuth oauth_consumer_key=\"unterminated",
        "OAuth oauth_consumer_key",
        "OAuth oauth_consumer_key=\"a\" oauth_nonce=\"b\"",
        "OAuth =\"a\"",
        "OAuth oauth_consumer_key=\"%E2%82\"",
        "OAuth oauth_consumer_key=\"\u00e9\"",
    })
    void refusesAMalformedAuthorizationHeader(String header) {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        ImsRefusal refusal = assertThrows(ImsRefusal.class,
                () -> verification.verify(request("POST", PATH, null, header)));
        assertEquals(401, refusal.status());
        assertEquals(401, refusal.code());
    }

    @Test
    void refusesAMissingAuthorizationHeader() {
        assertRefused(verification(PUBLIC_BASE, "/ims"), request("POST", PATH, null, null),
                "missing OAuth Authorization header");
    }

    @Test
    void refusesAProtocolParameterSentTwice() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        String header = signer.header("POST", PUBLIC_URL, NOW.getEpochSecond(), nonce());
        assertRefused(verification, request("POST", PATH, null, header + ", oauth_nonce=\"other\""),
                "OAuth parameter oauth_nonce appears more than once");
        assertRefused(verification, request("POST", PATH, "oauth_nonce=other", header),
                "OAuth parameter oauth_nonce appears more than once");
    }

    @Test
    void refusesAPathOutsideTheListenerPath() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        for (String path : new String[] {"/other/service/ping", "/imsx/service/ping", "/"}) {
            assertRefused(verification, request("GET", path, null,
                    signer.header("GET", PUBLIC_URL, NOW.getEpochSecond(), nonce())),
                    "the request path is outside the IMS listener path");
        }
    }

    @Test
    void refusesAMalformedQuery() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        assertRefused(verification, request("POST", PATH, "a=%G1", signer.header("POST", PUBLIC_URL + "?a=b",
                NOW.getEpochSecond(), nonce())), "a signed parameter has a malformed percent-encoding");
    }

    @Test
    void noRefusalNamesTheSecretOrTheExpectedSignature() {
        OAuth1Verification verification = verification(PUBLIC_BASE, "/ims");
        Map<String, String> oauth = signer.parameters(NOW.getEpochSecond(), nonce());
        String expectedSignature = signer.signature("POST", PUBLIC_URL, oauth);
        List<ImsAuthentication.Request> wrong = List.of(
                request("PUT", PATH, null, signer.header("POST", PUBLIC_URL, oauth)),
                request("POST", PATH, null, new OAuth1TestSigner(KEY, "x").header("POST", PUBLIC_URL, oauth)),
                request("POST", PATH, null, new OAuth1TestSigner("k", SECRET).header("POST", PUBLIC_URL,
                        NOW.getEpochSecond(), nonce())));
        for (ImsAuthentication.Request request : wrong) {
            ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(request));
            assertFalse(refusal.getMessage().contains(SECRET), refusal.getMessage());
            assertFalse(refusal.getMessage().contains(expectedSignature), refusal.getMessage());
            assertFalse(refusal.getMessage().contains(OAuth1TestSigner.encode(SECRET)), refusal.getMessage());
        }
        assertFalse(verification.toString().contains(SECRET));
        assertFalse(verification.toString().contains(KEY));
        assertFalse(verification.toString().contains(OAuth1TestSigner.encode(SECRET)));
    }

    @Test
    void theCallerMayClearItsSecretArrayAfterwards() {
        char[] secret = SECRET.toCharArray();
        OAuth1Verification verification = new OAuth1Verification(KEY, secret, PUBLIC_BASE, "/ims", clock);
        java.util.Arrays.fill(secret, '\0');
        assertDoesNotThrow(() -> verification.verify(signed("POST", PATH, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://connect.example.com/ims", "connect.example.com/ims", "https:///ims",
        "https://connect.example.com/ims?x=1", "https://connect.example.com/ims#f", "https://u:p@connect.example.com/",
        "https://bad host/"})
    void refusesAPublicBaseUrlItCannotSignFor(String url) {
        assertThrows(IllegalArgumentException.class,
                () -> new OAuth1Verification(KEY, SECRET.toCharArray(), url, "/ims", clock));
    }

    @Test
    void refusesOtherBadConfiguration() {
        assertThrows(IllegalArgumentException.class,
                () -> new OAuth1Verification(KEY, SECRET.toCharArray(), PUBLIC_BASE, "ims", clock));
        assertThrows(IllegalArgumentException.class,
                () -> new OAuth1Verification("", SECRET.toCharArray(), PUBLIC_BASE, "/ims", clock));
        assertThrows(IllegalArgumentException.class,
                () -> new OAuth1Verification(KEY, new char[0], PUBLIC_BASE, "/ims", clock));
        assertThrows(IllegalArgumentException.class, () -> new OAuth1Verification(KEY, SECRET.toCharArray(),
                PUBLIC_BASE, "/ims", clock, Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new OAuth1Verification(KEY, SECRET.toCharArray(),
                PUBLIC_BASE, "/ims", clock, Duration.ofMillis(999), 10));
        assertThrows(IllegalArgumentException.class, () -> new OAuth1Verification(KEY, SECRET.toCharArray(),
                PUBLIC_BASE, "/ims", clock, Duration.ofSeconds(1), 0));
    }

    // ---- helpers ----

    private OAuth1Verification verification(String publicBase, String listenerPath) {
        return new OAuth1Verification(KEY, SECRET.toCharArray(), publicBase, listenerPath, clock);
    }

    private ImsAuthentication.Request signed(String method, String path, String query) {
        String url = PUBLIC_URL + (query == null ? "" : "?" + query);
        return request(method, path, query, signer.header(method, url, NOW.getEpochSecond(), nonce()));
    }

    private ImsAuthentication.Request signedAt(long timestamp) {
        return request("POST", PATH, null, signer.header("POST", PUBLIC_URL, timestamp, nonce()));
    }

    private String nonce() {
        return "nonce-" + ++nonces;
    }

    static ImsAuthentication.Request request(String method, String path, String query, String authorization) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        headers.put("X-TenantId", "ACME_PRD");
        return new ImsAuthentication.Request(method, path, query, headers::get);
    }

    private static void assertRefused(ImsAuthentication verification, ImsAuthentication.Request request,
            String message) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> verification.verify(request));
        assertEquals(401, refusal.status());
        assertEquals(401, refusal.code());
        assertEquals(message, refusal.getMessage());
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now;

        HandClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
