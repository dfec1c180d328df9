package io.mlconnector.infor;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The content of an .ionapi file (API Gateway → Authorized Apps → Download Credentials).
 *
 * <p>Required: {@code ti, ci, cs, iu, pu, ot}. {@code saak}/{@code sask} come together (password grant); without
 * them the provider uses the client-credentials grant that newer Backend Service apps offer. {@code cn, dt, oa, or,
 * ev, v, ru} are optional. {@link #toString()} shows no secret.
 */
public final class IonApiCredentials {

    private final String tenant;
    private final String clientName;
    private final String dt;
    private final String clientId;
    private final String clientSecret;
    private final String ionApiUrl;
    private final String authServerUrl;
    private final String authorizationPath;
    private final String tokenPath;
    private final String revokePath;
    private final String ev;
    private final String version;
    private final String serviceAccountAccessKey;
    private final String serviceAccountSecretKey;
    private final String redirectUri;

    private IonApiCredentials(JsonNode n) {
        tenant = required(n, "ti");
        clientName = optional(n, "cn");
        dt = optional(n, "dt");
        clientId = required(n, "ci");
        clientSecret = required(n, "cs");
        ionApiUrl = url(n, "iu");
        authServerUrl = url(n, "pu");
        authorizationPath = optional(n, "oa");
        tokenPath = required(n, "ot");
        revokePath = optional(n, "or");
        ev = optional(n, "ev");
        version = optional(n, "v");
        serviceAccountAccessKey = optional(n, "saak");
        serviceAccountSecretKey = optional(n, "sask");
        redirectUri = optional(n, "ru");
        if ((serviceAccountAccessKey == null) != (serviceAccountSecretKey == null)) {
            throw new IonApiFileException(serviceAccountAccessKey == null ? "saak" : "sask",
                    "is missing while its partner is present: a service account needs both keys");
        }
    }

    /** Parses the whole .ionapi file content. */
    public static IonApiCredentials parse(String content) {
        if (content == null || content.isBlank()) {
            throw new IonApiFileException("ti", "is missing: the .ionapi content is empty");
        }
        JsonNode root;
        try {
            // Strict on duplicate keys: a config that wraps a provider reference must not override its iu or pu.
            root = Json.STRICT_READER.readTree(content);
        } catch (IOException e) {
            // The parser's message may quote the content, which holds secrets; say only where it broke.
            throw new IonException(".ionapi content is not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IonException(".ionapi content must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                throw new IonApiFileException(e.getKey(), "must be a string");
            }
        }
        return new IonApiCredentials(root);
    }

    public static IonApiCredentials read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String optional(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            // D1 prints SAAK/SASK in upper case; accept that spelling too.
            v = n.get(key.toUpperCase(java.util.Locale.ROOT));
        }
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static String required(JsonNode n, String key) {
        String v = optional(n, key);
        if (v == null) {
            throw new IonApiFileException(key, "is missing or empty");
        }
        return v;
    }

    private static String url(JsonNode n, String key) {
        String v = required(n, key);
        try {
            URI uri = new URI(v);
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IonApiFileException(key, "must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new IonApiFileException(key, "is not a valid URL");
        }
        return v;
    }

    /** {@code pu + ot}: a plain join, as Infor's samples do ({@code pu} ends in '/'). */
    public String tokenUrl() {
        return authServerUrl + tokenPath;
    }

    /** {@code pu + or}; null when the file has no {@code or}. */
    public String revokeUrl() {
        return revokePath == null ? null : authServerUrl + revokePath;
    }

    /** {@code iu + "/" + ti}, without a trailing slash. */
    public String apiBaseUrl() {
        String iu = ionApiUrl.endsWith("/") ? ionApiUrl.substring(0, ionApiUrl.length() - 1) : ionApiUrl;
        return iu + "/" + tenant;
    }

    /** Every URL these credentials are sent to: the API, the token endpoint and, when given, the revoke endpoint. */
    public List<String> urls() {
        return revokePath == null ? List.of(apiBaseUrl(), tokenUrl()) : List.of(apiBaseUrl(), tokenUrl(), revokeUrl());
    }

    public boolean hasServiceAccount() {
        return serviceAccountAccessKey != null;
    }

    public String tenant() {
        return tenant;
    }

    public String clientName() {
        return clientName;
    }

    public String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    String serviceAccountAccessKey() {
        return serviceAccountAccessKey;
    }

    String serviceAccountSecretKey() {
        return serviceAccountSecretKey;
    }

    public String ionApiUrl() {
        return ionApiUrl;
    }

    public String authServerUrl() {
        return authServerUrl;
    }

    public String authorizationPath() {
        return authorizationPath;
    }

    public String tokenPath() {
        return tokenPath;
    }

    public String revokePath() {
        return revokePath;
    }

    /** Undocumented {@code dt}, {@code ev} and {@code v}: kept for diagnostics, never used. */
    public String dt() {
        return dt;
    }

    public String ev() {
        return ev;
    }

    public String version() {
        return version;
    }

    public String redirectUri() {
        return redirectUri;
    }

    @Override
    public String toString() {
        return "IonApiCredentials{tenant=" + tenant + ", client=" + clientName + ", ci=" + clientId
                + ", iu=" + ionApiUrl + ", pu=" + authServerUrl + ", serviceAccount=" + hasServiceAccount() + "}";
    }
}
