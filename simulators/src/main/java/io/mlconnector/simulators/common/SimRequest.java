package io.mlconnector.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/** One request as a handler sees it: decoded query, headers, body and the route's path groups. */
public final class SimRequest {

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Matcher pathMatch;
    private final String routeName;
    private final boolean nested;
    private final String client;
    private Map<String, String> query;

    SimRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
               Matcher pathMatch, String routeName, boolean nested, String client) {
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        this.headers = Collections.unmodifiableMap(ci);
        this.body = body;
        this.pathMatch = pathMatch;
        this.routeName = routeName;
        this.nested = nested;
        this.client = client;
    }

    /** A request made inside another one (Asana's batch API), see {@link SimulatorHttpServer#serveNested}. */
    public boolean nested() {
        return nested;
    }

    /** The address and port the request came from (for a nested one, those of the request carrying it). */
    public String client() {
        return client;
    }

    public String method() {
        return method;
    }

    /** The path as sent, still percent-encoded and with any {@code ;matrix} parameters. */
    public String rawPath() {
        return rawPath;
    }

    public String rawQuery() {
        return rawQuery;
    }

    /** The route name this request was counted under (see {@link SimulatorHttpServer#route}). */
    public String routeName() {
        return routeName;
    }

    /** Regex group {@code n} of the route's path pattern, percent-decoded; null when the group did not match. */
    public String group(int n) {
        String raw = pathMatch.group(n);
        return raw == null ? null : decode(raw, false);
    }

    /** Decoded query parameters in order; the last value wins for repeated names. */
    public Map<String, String> query() {
        if (query == null) {
            query = parsePairs(rawQuery);
        }
        return query;
    }

    /** Query parameter looked up case-insensitively (Mongoose accepts {@code recordCap} and {@code recordcap}). */
    public String queryIgnoreCase(String name) {
        for (Map.Entry<String, String> e : query().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        return Json.read(body);
    }

    /** The body decoded as {@code application/x-www-form-urlencoded}. */
    public Map<String, String> form() {
        return parsePairs(bodyText());
    }

    /** Parses {@code a=1&b=2} (query or form), decoding {@code +} as a space. */
    public static Map<String, String> parsePairs(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            out.put(name, value);
        }
        return out;
    }

    /** Percent-decodes; {@code plusIsSpace} is true for query/form text and false for path segments. */
    public static String decode(String raw, boolean plusIsSpace) {
        String s = plusIsSpace ? raw : raw.replace("+", "%2B");
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " [" + routeName + "]";
    }
}
