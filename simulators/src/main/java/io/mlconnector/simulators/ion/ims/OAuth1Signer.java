package io.mlconnector.simulators.ion.ims;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Two-legged (zero-legged) OAuth 1.0a request signing per RFC 5849, as reference section 2 describes for a direct
 * "Infor application (IMS)" connection point: a consumer key and secret, no token, HMAC-SHA1 ([C I18] for
 * Infor's other OAuth 1.0a back ends; [G] for IMS itself).
 *
 * <p>The signature base string (RFC 5849 3.4.1) is {@code METHOD&enc(base URI)&enc(normalised parameters)} where
 * the base URI is normalised per 3.4.1.2 (scheme and host lower-case, default port dropped, no query or fragment)
 * and the parameters (3.4.1.3) are the URI's query parameters plus the {@code oauth_*} protocol parameters except
 * {@code oauth_signature} and {@code realm}. A multipart body is never part of it (3.4.1.3.1 only includes
 * {@code application/x-www-form-urlencoded} bodies). The key is {@code enc(consumerSecret) + "&"} (empty token
 * secret).
 *
 * <p>The header (3.5.1): {@code OAuth realm="", oauth_consumer_key="..", oauth_nonce="..",
 * oauth_signature_method="HMAC-SHA1", oauth_timestamp="..", oauth_version="1.0", oauth_signature=".."}, every
 * value percent-encoded per 3.6 and quoted. Unconfirmed by the reference, hence settable: the {@code realm}
 * (default {@code ""}, {@code null} leaves it out) and the method ({@link SignatureMethod#HMAC_SHA1} by default;
 * API Gateway's target-endpoint OAuth 1.0a lets the algorithm be chosen, [C I17], so HMAC-SHA256 is offered).
 */
public final class OAuth1Signer {

    /** The {@code oauth_signature_method} value and the JCA MAC algorithm. */
    public enum SignatureMethod {
        HMAC_SHA1("HMAC-SHA1", "HmacSHA1"), HMAC_SHA256("HMAC-SHA256", "HmacSHA256");

        public final String oauthName;
        final String jcaName;

        SignatureMethod(String oauthName, String jcaName) {
            this.oauthName = oauthName;
            this.jcaName = jcaName;
        }
    }

    private final String consumerKey;
    private final String consumerSecret;
    private final SignatureMethod method;
    private final String realm;

    /** HMAC-SHA1 with {@code realm=""}. */
    public OAuth1Signer(String consumerKey, String consumerSecret) {
        this(consumerKey, consumerSecret, SignatureMethod.HMAC_SHA1, "");
    }

    /** @param realm the header's realm; {@code null} leaves the realm parameter out */
    public OAuth1Signer(String consumerKey, String consumerSecret, SignatureMethod method, String realm) {
        this.consumerKey = Objects.requireNonNull(consumerKey, "consumerKey");
        this.consumerSecret = Objects.requireNonNull(consumerSecret, "consumerSecret");
        this.method = Objects.requireNonNull(method, "method");
        this.realm = realm;
    }

    public String consumerKey() {
        return consumerKey;
    }

    public SignatureMethod method() {
        return method;
    }

    /** The {@code Authorization} header value for this request, signed with the consumer secret. */
    public String authorization(String httpMethod, URI uri, long timestampSeconds, String nonce) {
        return authorization(httpMethod, uri, timestampSeconds, nonce, consumerSecret);
    }

    /** The same, signed with {@code secret} instead: a wrong secret gives a well-formed but bad signature. */
    public String authorization(String httpMethod, URI uri, long timestampSeconds, String nonce, String secret) {
        Map<String, String> oauth = new TreeMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_signature_method", method.oauthName);
        oauth.put("oauth_timestamp", Long.toString(timestampSeconds));
        oauth.put("oauth_version", "1.0");
        String signature = sign(method, secret, baseString(httpMethod, uri, oauth));
        StringBuilder header = new StringBuilder("OAuth ");
        if (realm != null) {
            header.append("realm=\"").append(percentEncode(realm)).append("\", ");
        }
        for (String key : List.of("oauth_consumer_key", "oauth_nonce", "oauth_signature_method", "oauth_timestamp",
                "oauth_version")) {
            header.append(key).append("=\"").append(percentEncode(oauth.get(key))).append("\", ");
        }
        header.append("oauth_signature=\"").append(percentEncode(signature)).append('"');
        return header.toString();
    }

    /** RFC 5849 3.4.1.1: {@code METHOD&enc(baseUri)&enc(normalisedParameters)}. */
    public static String baseString(String httpMethod, URI uri, Map<String, String> oauthParameters) {
        List<String[]> params = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.add(new String[]{percentEncode(formDecode(name)), percentEncode(formDecode(value))});
            }
        }
        oauthParameters.forEach((k, v) -> {
            if (!k.equals("oauth_signature") && !k.equals("realm")) {
                params.add(new String[]{percentEncode(k), percentEncode(v)});
            }
        });
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder normalised = new StringBuilder();
        for (String[] p : params) {
            if (normalised.length() > 0) {
                normalised.append('&');
            }
            normalised.append(p[0]).append('=').append(p[1]);
        }
        return httpMethod.toUpperCase(Locale.ROOT) + "&" + percentEncode(baseUri(uri)) + "&" + percentEncode(normalised.toString());
    }

    /** RFC 5849 3.4.1.2: lower-case scheme and host, port only when not the scheme's default, the raw path. */
    public static String baseUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }

    /** RFC 5849 3.6: UTF-8, then every octet except ALPHA, DIGIT, '-', '.', '_', '~' as %XX (upper-case hex). */
    public static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private static String formDecode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    static String sign(SignatureMethod method, String consumerSecret, String baseString) {
        try {
            Mac mac = Mac.getInstance(method.jcaName);
            String key = percentEncode(consumerSecret) + "&";
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), method.jcaName));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(method.jcaName + " unavailable", e);
        }
    }
}
