package io.mlconnector.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fault to inject on the routes matching {@link #route}.
 *
 * <p>JSON form accepted by {@code POST /_sim/faults} (every field but {@code kind} optional):
 * <pre>{@code
 * {"route": "m3.*",            // route-name glob: "*" = every route, "m3.*" = prefix, else exact
 *  "kind": "status",           // status | latency | timeout | malformed
 *  "statuses": [429, 503],     // kind=status: one is picked at random per hit (default [503])
 *  "retryAfterSeconds": 1,     // kind=status: adds a Retry-After header
 *  "millis": 200,              // latency: added delay; timeout: how long the request is held (default 65000)
 *  "count": 5,                 // fire this many times, then the rule is spent (default -1 = unlimited)
 *  "percent": 10}              // chance per matching call, drawn from the injector's seeded Random (default 100)
 * }</pre>
 * A burst of five 429s is {@code {"route":"*","kind":"status","statuses":[429],"count":5}}.
 */
public record FaultRule(String route, Kind kind, List<Integer> statuses, Integer retryAfterSeconds, long millis,
                        int count, double percent) {

    public enum Kind {
        /** Answer with one of {@code statuses} instead of calling the handler. */
        STATUS,
        /** Sleep {@code millis}, then handle the request normally. */
        LATENCY,
        /** Hold the request {@code millis} (past any sane client timeout), then answer 504. */
        TIMEOUT,
        /** Answer 200 with a truncated JSON document. */
        MALFORMED
    }

    public FaultRule {
        route = route == null || route.isBlank() ? "*" : route;
        statuses = statuses == null || statuses.isEmpty() ? List.of(503) : List.copyOf(statuses);
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
        }
    }

    public static FaultRule status(String route, int status, int count) {
        return new FaultRule(route, Kind.STATUS, List.of(status), null, 0, count, 100);
    }

    public static FaultRule fromJson(JsonNode node) {
        String kindText = node.path("kind").asText("");
        if (kindText.isEmpty()) {
            throw new IllegalArgumentException("fault needs a kind: status, latency, timeout or malformed");
        }
        Kind kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        List<Integer> statuses = new ArrayList<>();
        node.path("statuses").forEach(s -> statuses.add(s.asInt()));
        if (node.has("status")) {
            statuses.add(node.get("status").asInt());
        }
        Integer retryAfter = node.hasNonNull("retryAfterSeconds") ? node.get("retryAfterSeconds").asInt() : null;
        long millis = node.path("millis").asLong(kind == Kind.TIMEOUT ? 65_000 : 0);
        return new FaultRule(node.path("route").asText("*"), kind, statuses, retryAfter, millis,
                node.path("count").asInt(-1), node.path("percent").asDouble(100));
    }

    /** True when this rule's route glob covers the given route name. */
    public boolean matches(String routeName) {
        if (route.equals("*")) {
            return true;
        }
        if (route.endsWith("*")) {
            return routeName.startsWith(route.substring(0, route.length() - 1));
        }
        return route.equals(routeName);
    }
}
