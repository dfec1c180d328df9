package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.http.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A change to a resource, from a webhook delivery or the events API. Events are compact: they say
 * what changed, so fetch the resource for its new state. {@code change} is set for action changed.
 */
public record Event(String action, Resource resource, String resourceSubtype, Resource parent, Resource user,
        Instant createdAt, Change change) {

    /** What changed: the field, how, and the value when the value is an Asana resource. */
    public record Change(String field, String action, Resource newValue, Resource addedValue, Resource removedValue) {
        static Change from(JsonNode node) {
            if (node == null || !node.isObject()) {
                return null;
            }
            return new Change(JsonFields.text(node, "field"), JsonFields.text(node, "action"), Resource.from(node.get("new_value")),
                    Resource.from(node.get("added_value")), Resource.from(node.get("removed_value")));
        }
    }

    /** The events of a webhook delivery body {@code {"events":[...]}}; empty for a heartbeat. */
    public static List<Event> parseDelivery(byte[] rawBody) throws IOException {
        JsonNode events = Json.MAPPER.readTree(rawBody).path("events");
        if (!events.isArray()) {
            throw new IOException("a webhook delivery is an object with an \"events\" array");
        }
        for (JsonNode event : events) {
            // an event we cannot read must fail the delivery (Asana retries it), not vanish from it
            if (!event.path("resource").hasNonNull("gid")) {
                throw new IOException("a webhook event without a resource gid");
            }
        }
        return list(events);
    }

    static List<Event> list(JsonNode array) {
        List<Event> events = new ArrayList<>();
        array.forEach(e -> events.add(from(e)));
        return events;
    }

    static Event from(JsonNode node) {
        JsonNode resource = node.path("resource");
        return new Event(JsonFields.text(node, "action"), Resource.from(resource), JsonFields.text(resource, "resource_subtype"),
                Resource.from(node.get("parent")), Resource.from(node.get("user")), JsonFields.instant(node, "created_at"),
                Change.from(node.get("change")));
    }
}
