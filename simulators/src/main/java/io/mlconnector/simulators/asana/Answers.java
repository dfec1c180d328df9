package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Asana's answer envelopes: {@code {"data": ...}} for one object (200, or 201 with a Location for a created one)
 * and offset-paged lists, each object cut to the request's opt_fields ({@link Projection}).
 */
final class Answers {
    private static final String API = AsanaSimulator.API;

    private Answers() {
    }

    /** The request body's {@code data} object, as every write takes its input. */
    static JsonNode data(SimRequest request) {
        return request.json().path("data");
    }

    static SimResponse single(SimRequest request, ObjectNode full) {
        return SimResponse.json(200, Map.of("data", project(request, full, false)));
    }

    static SimResponse created(SimRequest request, ObjectNode full) {
        String type = full.get("resource_type").asText();
        String collection = type.endsWith("y") ? type.substring(0, type.length() - 1) + "ies" : type + "s";
        return SimResponse.json(201, Map.of("data", project(request, full, false)))
                .header("Location", API + "/" + collection + "/" + full.get("gid").asText());
    }

    /** {@code {"data": {}}}: what an action without a result answers. */
    static SimResponse emptyData() {
        return SimResponse.json(200, Map.of("data", Map.of()));
    }

    /** The object cut to opt_fields; without them whole, or compact where the operation answers compact objects. */
    static ObjectNode project(SimRequest request, ObjectNode full, boolean compactByDefault) {
        Projection projection = Projection.parse(request.query().get("opt_fields"));
        if (projection != null) {
            return projection.apply(full);
        }
        return compactByDefault ? Projection.compact(full) : full;
    }

    /** Offset pagination: limit 1-100 (validated by the spec), opaque offset, next_page null on the last page. */
    static SimResponse page(SimRequest request, List<ObjectNode> all) {
        return page(request, all, Function.identity());
    }

    /** As above, rendering only the items the page shows. */
    static <T> SimResponse page(SimRequest request, List<T> all, Function<T, ObjectNode> render) {
        Map<String, String> q = request.query();
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        int start = 0;
        if (q.containsKey("offset")) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(q.get("offset")), StandardCharsets.UTF_8);
                start = Integer.parseInt(decoded.substring("page:".length()));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw AsanaError.badRequest("offset: Your pagination token is invalid");
            }
        }
        ArrayNode data = Json.MAPPER.createArrayNode();
        all.stream().skip(start).limit(limit).forEach(item -> data.add(project(request, render.apply(item), true)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", data);
        int next = start + limit;
        if (next < all.size()) {
            String offset = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("page:" + next).getBytes(StandardCharsets.UTF_8));
            String path = request.rawPath().substring(API.length()) + "?limit=" + limit + "&offset=" + offset;
            body.putObject("next_page").put("offset", offset).put("path", path)
                    .put("uri", "https://app.asana.com" + API + path);
        } else {
            body.putNull("next_page");
        }
        return SimResponse.json(200, body);
    }
}
