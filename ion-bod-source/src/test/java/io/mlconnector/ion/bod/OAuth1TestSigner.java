package io.mlconnector.ion.bod;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests the way an RFC 5849 client (ION, as far as the reference knows) does, written apart from the main
 * code (JDK URL coding, its own normalisation) so that the two do not share a mistake.
 */
final class OAuth1TestSigner {

    private final String consumerKey;
    private final String consumerSecret;

    OAuth1TestSigner(String consumerKey, String consumerSecret) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
    }

    /** The protocol parameters ION would send, in the order given; change them before {@link #header}. */
    Map<String, String> parameters(long timestamp, String nonce) {
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", Long.toString(timestamp));
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_version", "1.0");
        return oauth;
    }

    /** The Authorization header for the given public URL (with its query) and protocol parameters. */
    String header(String method, String publicUrl, Map<String, String> oauth) {
        String signature = signature(method, publicUrl, oauth);
        StringBuilder header = new StringBuilder("OAuth realm=\"ims\"");
        for (Map.Entry<String, String> entry : oauth.entrySet()) {
            header.append(", ").append(encode(entry.getKey())).append("=\"").append(encode(entry.getValue()))
                    .append('"');
        }
        return header.append(", oauth_signature=\"").append(encode(signature)).append('"').toString();
    }

    String header(String method, String publicUrl, long timestamp, String nonce) {
        return header(method, publicUrl, parameters(timestamp, nonce));
    }

    String signature(String method, String publicUrl, Map<String, String> oauth) {
        URI uri = URI.create(publicUrl);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        String authority = uri.getHost().toLowerCase(Locale.ROOT)
                + ((port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80))
                        ? "" : ":" + port);
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> entry : oauth.entrySet()) {
            pairs.add(encode(entry.getKey()) + "=" + encode(entry.getValue()));
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] nameValue = pair.split("=", 2);
                pairs.add(encode(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8)) + "="
                        + encode(nameValue.length == 2 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : ""));
            }
        }
        pairs.sort((a, b) -> {
            String[] x = a.split("=", 2);
            String[] y = b.split("=", 2);
            int byName = x[0].compareTo(y[0]);
            return byName != 0 ? byName : x[1].compareTo(y[1]);
        });
        String base = method.toUpperCase(Locale.ROOT) + "&" + encode(scheme + "://" + authority + path) + "&"
                + encode(String.join("&", pairs));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((encode(consumerSecret) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5849 3.6 by way of the JDK's form encoder. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
