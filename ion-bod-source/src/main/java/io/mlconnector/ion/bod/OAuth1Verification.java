package io.mlconnector.ion.bod;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Two-legged OAuth 1.0a with HMAC-SHA1 (RFC 5849), the way ION authenticates to a direct "Infor application (IMS)"
 * connection point with the consumer key and secret configured on it (reference section 2). The exact profile ION
 * uses is not documented; this one signs with the consumer secret alone (no token secret), reads the protocol
 * parameters from the {@code Authorization} header only, and leaves the multipart body out of the signature, as
 * RFC 5849 3.4.1.3 does for any body that is not form-urlencoded. An {@code oauth_token} or {@code oauth_body_hash},
 * if sent, is signed over like any other protocol parameter but not otherwise checked.
 *
 * <p>The signed URL is the public one ION called, not the one the worker sees: a TLS-terminating load balancer may
 * sit between them. It is the configured public base URL followed by the request path below the listener path.
 *
 * <p>Replays are refused: a nonce is remembered, with its timestamp, for as long as that timestamp is within the
 * allowed skew. Only nonces of correctly signed requests are remembered, so only the secret's holder can fill the
 * memory; when it is full of live nonces, requests are refused rather than a nonce forgotten.
 *
 * <p>Over 400 lines: RFC 5849's base string, parameter encoding and nonce memory, kept with the check they serve.
 */
final class OAuth1Verification implements ImsAuthentication {

    /** How far {@code oauth_timestamp} may be from this worker's clock, either way. */
    static final Duration DEFAULT_ALLOWED_SKEW = Duration.ofSeconds(300);
    /** Nonces remembered at most: about 160 requests a second for a 2 x 300 s window. */
    static final int DEFAULT_MAX_REMEMBERED_NONCES = 100_000;

    static final String SIGNATURE_METHOD = "HMAC-SHA1";

    private static final String HMAC_SHA1 = "HmacSHA1";

    /** A decoded parameter name and value. */
    record Parameter(String name, String value) {
    }

    private final byte[] consumerKey;
    private final SecretKeySpec signingKey;
    private final String publicBaseUri;
    private final String listenerPath;
    private final Clock clock;
    private final long allowedSkewSeconds;
    private final SeenNonces seenNonces;

    /** With the default skew and nonce memory. */
    OAuth1Verification(String consumerKey, char[] consumerSecret, String publicBaseUrl, String listenerPath,
            Clock clock) {
        this(consumerKey, consumerSecret, publicBaseUrl, listenerPath, clock, DEFAULT_ALLOWED_SKEW,
                DEFAULT_MAX_REMEMBERED_NONCES);
    }

    /**
     * @param consumerKey the OAuth consumer key configured on the ION connection point
     * @param consumerSecret its secret; copied, so the caller may clear its array
     * @param publicBaseUrl the URL ION calls for this endpoint's root, e.g. {@code https://connect.example.com/ims}
     * @param listenerPath the path this worker serves that root at, e.g. {@code /ims}, or {@code ""} or {@code /}
     * @param allowedSkew how far a request's timestamp may be from {@code clock}; whole seconds, at least one, as
     *     {@code oauth_timestamp} counts seconds
     * @param maxRememberedNonces how many nonces may be remembered at once
     */
    OAuth1Verification(String consumerKey, char[] consumerSecret, String publicBaseUrl, String listenerPath,
            Clock clock, Duration allowedSkew, int maxRememberedNonces) {
        if (consumerKey == null || consumerKey.isEmpty()) {
            throw new IllegalArgumentException("the OAuth consumer key must be non-empty");
        }
        if (consumerSecret == null || consumerSecret.length == 0) {
            throw new IllegalArgumentException("the OAuth consumer secret must be non-empty");
        }
        if (allowedSkew.toSeconds() < 1) {
            throw new IllegalArgumentException("the allowed clock skew must be at least one second");
        }
        if (maxRememberedNonces <= 0) {
            throw new IllegalArgumentException("the nonce memory must hold at least one nonce");
        }
        this.consumerKey = consumerKey.getBytes(StandardCharsets.UTF_8);
        byte[] key = signingKey(consumerSecret, new char[0]);
        this.signingKey = new SecretKeySpec(key, HMAC_SHA1);
        Arrays.fill(key, (byte) 0);
        this.publicBaseUri = configuredBaseUri(publicBaseUrl);
        this.listenerPath = normalisedListenerPath(listenerPath);
        this.clock = clock;
        this.allowedSkewSeconds = allowedSkew.toSeconds();
        this.seenNonces = new SeenNonces(maxRememberedNonces);
    }

    @Override
    public void verify(Request request) throws ImsRefusal {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            throw ImsRefusal.unauthorized("missing OAuth Authorization header");
        }
        List<Parameter> protocol = authorizationParameters(authorization);
        Map<String, String> oauth = new HashMap<>();
        for (Parameter parameter : protocol) {
            if (oauth.put(parameter.name(), parameter.value()) != null) {
                throw ImsRefusal.unauthorized("OAuth parameter " + parameter.name() + " appears more than once");
            }
        }

        String presentedKey = oauth.get("oauth_consumer_key");
        if (presentedKey == null
                || !MessageDigest.isEqual(presentedKey.getBytes(StandardCharsets.UTF_8), consumerKey)) {
            throw ImsRefusal.unauthorized("unknown oauth_consumer_key");
        }
        if (!SIGNATURE_METHOD.equals(oauth.get("oauth_signature_method"))) {
            throw ImsRefusal.unauthorized("oauth_signature_method must be " + SIGNATURE_METHOD);
        }
        String version = oauth.get("oauth_version");
        if (version != null && !version.equals("1.0")) {
            throw ImsRefusal.unauthorized("oauth_version must be 1.0");
        }
        String timestampText = oauth.get("oauth_timestamp");
        if (timestampText == null || !timestampText.matches("[0-9]{1,18}")) {
            throw ImsRefusal.unauthorized("missing or invalid oauth_timestamp");
        }
        long timestamp = Long.parseLong(timestampText);
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > allowedSkewSeconds) {
            throw ImsRefusal.unauthorized("oauth_timestamp is outside the allowed clock skew");
        }
        String nonce = oauth.get("oauth_nonce");
        if (nonce == null || nonce.isEmpty()) {
            throw ImsRefusal.unauthorized("missing oauth_nonce");
        }
        String signatureText = oauth.get("oauth_signature");
        if (signatureText == null) {
            throw ImsRefusal.unauthorized("missing oauth_signature");
        }
        byte[] presentedSignature;
        try {
            presentedSignature = Base64.getDecoder().decode(signatureText);
        } catch (IllegalArgumentException e) {
            throw ImsRefusal.unauthorized("oauth_signature is not base64");
        }

        List<Parameter> parameters = new ArrayList<>(protocol);
        for (Parameter parameter : queryParameters(request.rawQuery())) {
            if (oauth.containsKey(parameter.name())) {
                throw ImsRefusal.unauthorized("OAuth parameter " + parameter.name() + " appears more than once");
            }
            parameters.add(parameter);
        }
        String baseString = signatureBaseString(request.method(), signedUri(request.path()), parameters);
        byte[] expected = hmacSha1(signingKey, baseString);
        if (!MessageDigest.isEqual(presentedSignature, expected)) {
            throw ImsRefusal.unauthorized("oauth_signature does not match");
        }

        SeenNonces.Outcome outcome = seenNonces.remember(timestampText + ":" + nonce,
                timestamp + allowedSkewSeconds, now);
        if (outcome == SeenNonces.Outcome.REPLAYED) {
            throw ImsRefusal.unauthorized("oauth_nonce was already used");
        }
        if (outcome == SeenNonces.Outcome.FULL) {
            throw ImsRefusal.unauthorized("too many recent oauth_nonce values to remember; try again later");
        }
    }

    /** The public URL ION signed: the base URL and the request path below the listener path. */
    private String signedUri(String rawPath) throws ImsRefusal {
        String relative;
        if (listenerPath.isEmpty()) {
            relative = rawPath;
        } else if (rawPath.equals(listenerPath)) {
            relative = "";
        } else if (rawPath.startsWith(listenerPath + "/")) {
            relative = rawPath.substring(listenerPath.length());
        } else {
            throw ImsRefusal.unauthorized("the request path is outside the IMS listener path");
        }
        if (!relative.isEmpty() && !relative.startsWith("/")) {
            throw ImsRefusal.unauthorized("the request path is not absolute");
        }
        String uri = publicBaseUri + relative;
        return uri.indexOf('/', uri.indexOf("://") + 3) < 0 ? uri + "/" : uri;
    }

    /**
     * RFC 5849 3.4.1.2: scheme and host lower-cased, the port only when not the scheme's default, the path as sent;
     * no query or fragment. An empty path is {@code /}.
     */
    static String baseStringUri(String url) {
        URI uri = parse(url);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return origin(uri) + path;
    }

    /** The configured public base URL, normalised as RFC 5849 3.4.1.2 says, without a trailing slash. */
    private static String configuredBaseUri(String url) {
        URI uri = parse(url);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the public base URL must have no user info, query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return origin(uri) + path;
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("the URL must be http or https: " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the URL has no host name: " + url);
        }
        return uri;
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String normalisedListenerPath(String path) {
        String normalised = path == null ? "" : path;
        while (normalised.endsWith("/")) {
            normalised = normalised.substring(0, normalised.length() - 1);
        }
        if (!normalised.isEmpty() && !normalised.startsWith("/")) {
            throw new IllegalArgumentException("the listener path must start with /: " + path);
        }
        return normalised;
    }

    /**
     * RFC 5849 3.4.1: {@code METHOD&encoded-uri&encoded-normalised-parameters}, where the parameters are sorted by
     * encoded name, then encoded value, and {@code oauth_signature} is left out.
     */
    static String signatureBaseString(String method, String baseStringUri, List<Parameter> parameters) {
        List<String[]> encoded = new ArrayList<>();
        for (Parameter parameter : parameters) {
            if (!parameter.name().equals("oauth_signature")) {
                encoded.add(new String[] {percentEncode(parameter.name()), percentEncode(parameter.value())});
            }
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder normalised = new StringBuilder();
        for (String[] parameter : encoded) {
            if (normalised.length() > 0) {
                normalised.append('&');
            }
            normalised.append(parameter[0]).append('=').append(parameter[1]);
        }
        return method.toUpperCase(Locale.ROOT) + "&" + percentEncode(baseStringUri) + "&"
                + percentEncode(normalised.toString());
    }

    /**
     * RFC 5849 3.5.1: the {@code OAuth} scheme's comma-separated {@code name="value"} pairs, percent-decoded, without
     * {@code realm}. Unquoted values are tolerated; a {@code +} stays a plus.
     */
    static List<Parameter> authorizationParameters(String header) throws ImsRefusal {
        String text = header.strip();
        if (text.length() < 6 || !text.regionMatches(true, 0, "OAuth", 0, 5)
                || (text.charAt(5) != ' ' && text.charAt(5) != '\t')) {
            throw ImsRefusal.unauthorized("Authorization scheme is not OAuth");
        }
        List<Parameter> parameters = new ArrayList<>();
        int at = 6;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ' ' || c == '\t' || c == ',') {
                at++;
                continue;
            }
            int equals = text.indexOf('=', at);
            if (equals < 0) {
                throw ImsRefusal.unauthorized("malformed OAuth Authorization header");
            }
            String name = percentDecode(text.substring(at, equals).strip(), false);
            at = equals + 1;
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
            String rawValue;
            if (at < text.length() && text.charAt(at) == '"') {
                int close = text.indexOf('"', at + 1);
                if (close < 0) {
                    throw ImsRefusal.unauthorized("malformed OAuth Authorization header");
                }
                rawValue = text.substring(at + 1, close);
                at = close + 1;
            } else {
                int end = at;
                while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != ' '
                        && text.charAt(end) != '\t') {
                    end++;
                }
                rawValue = text.substring(at, end);
                at = end;
            }
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
            if (at < text.length() && text.charAt(at) != ',') {
                throw ImsRefusal.unauthorized("malformed OAuth Authorization header");
            }
            if (name.isEmpty()) {
                throw ImsRefusal.unauthorized("malformed OAuth Authorization header");
            }
            if (!name.equals("realm")) {
                parameters.add(new Parameter(name, percentDecode(rawValue, false)));
            }
        }
        return parameters;
    }

    /** RFC 5849 3.4.1.3.1: the query read as {@code application/x-www-form-urlencoded}, so {@code +} is a space. */
    static List<Parameter> queryParameters(String rawQuery) throws ImsRefusal {
        List<Parameter> parameters = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.add(new Parameter(percentDecode(name, true), percentDecode(value, true)));
        }
        return parameters;
    }

    /** RFC 5849 3.6: UTF-8, every byte but ALPHA, DIGIT, {@code - . _ ~} as {@code %XX} with upper-case hex. */
    static String percentEncode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * RFC 5849 3.4.2: {@code encode(consumer secret) & encode(token secret)}, as bytes that the caller clears. This
     * verifier passes an empty token secret.
     */
    static byte[] signingKey(char[] consumerSecret, char[] tokenSecret) {
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        appendPercentEncoded(key, BasicVerification.utf8(consumerSecret));
        key.write('&');
        appendPercentEncoded(key, BasicVerification.utf8(tokenSecret));
        return key.toByteArray();
    }

    static byte[] hmacSha1(SecretKeySpec key, String baseString) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(key);
            return mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e);
        }
    }

    private static void appendPercentEncoded(ByteArrayOutputStream out, byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.write(c);
            } else {
                out.write('%');
                out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.write(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        Arrays.fill(bytes, (byte) 0);
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Strict: every {@code %} needs two hex digits, and the bytes must be UTF-8. */
    private static String percentDecode(String text, boolean plusIsSpace) throws ImsRefusal {
        if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hexDigit(text.charAt(i + 2));
                if (low < 0) {
                    throw ImsRefusal.unauthorized("a signed parameter has a malformed percent-encoding");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c >= 0x20 && c < 0x7f) {
                bytes.write(c);
            } else {
                throw ImsRefusal.unauthorized("a signed parameter has a character that is not percent-encoded");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ImsRefusal.unauthorized("a signed parameter is not percent-encoded UTF-8");
        }
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "OAuth1Verification[" + SIGNATURE_METHOD + ", publicBaseUri=" + publicBaseUri + ", listenerPath="
                + (listenerPath.isEmpty() ? "/" : listenerPath) + "]";
    }

    /**
     * The nonces of accepted requests, each with the instant after which its timestamp is refused anyway. Bounded:
     * when full of nonces that have not expired, it says so instead of forgetting one.
     */
    static final class SeenNonces {

        enum Outcome { NEW, REPLAYED, FULL }

        private record Seen(String key, long expiresAtSecond) {
        }

        private final int capacity;
        private final Set<String> keys = new HashSet<>();
        private final PriorityQueue<Seen> byExpiry = new PriorityQueue<>(Comparator.comparingLong(Seen::expiresAtSecond));

        SeenNonces(int capacity) {
            this.capacity = capacity;
        }

        /** Remembers {@code key} until {@code expiresAtSecond} has passed, unless it is already remembered. */
        synchronized Outcome remember(String key, long expiresAtSecond, long nowSecond) {
            while (!byExpiry.isEmpty() && byExpiry.peek().expiresAtSecond() < nowSecond) {
                keys.remove(byExpiry.poll().key());
            }
            if (keys.contains(key)) {
                return Outcome.REPLAYED;
            }
            if (keys.size() >= capacity) {
                return Outcome.FULL;
            }
            keys.add(key);
            byExpiry.add(new Seen(key, expiresAtSecond));
            return Outcome.NEW;
        }

        synchronized int size() {
            return keys.size();
        }
    }
}
