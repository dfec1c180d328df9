package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /events}: a resource's events after a sync token, 100 a call with {@code has_more}; an unknown or
 * expired token is answered 412 with a fresh one, as Asana does.
 */
final class EventRoutes {
    private static final int EVENTS_PER_CALL = 100;

    private final AsanaState state;
    /** Sync token → {resource gid, last event seq}. */
    private final Map<String, String[]> syncTokens = new ConcurrentHashMap<>();

    EventRoutes(AsanaState state) {
        this.state = state;
    }

    void register(ApiGate gate) {
        gate.route("GET", "/events", "getEvents", false, this::events);
    }

    /** Forgets every sync token, so the next events call answers 412 (as when Asana expires them). */
    void expireSyncTokens() {
        syncTokens.clear();
    }

    private SimResponse events(SimRequest request, Caller caller, Map<String, String> path) {
        String resource = request.query().get("resource");
        if (!state.exists(resource)) {
            throw AsanaError.notFound("resource");
        }
        String sync = request.query().get("sync");
        String[] position = sync == null ? null : syncTokens.get(sync);
        if (position == null || !position[0].equals(resource)) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putArray("errors").addObject().put("message", "Sync token invalid or too old. If you are attempting"
                    + " to keep resources in sync, you must fetch the full dataset for this query now and use the"
                    + " new sync token for the next sync.");
            body.put("sync", newSyncToken(resource, state.events().lastSeq()));
            return SimResponse.json(412, body);
        }
        List<EventLog.Event> found = state.events().after(resource, Long.parseLong(position[1]), EVENTS_PER_CALL);
        boolean more = found.size() > EVENTS_PER_CALL;
        List<EventLog.Event> batch = more ? found.subList(0, EVENTS_PER_CALL) : found;
        long last = batch.isEmpty() ? Long.parseLong(position[1]) : batch.get(batch.size() - 1).seq();
        Projection projection = Projection.parse(request.query().get("opt_fields"));
        ArrayNode data = Json.MAPPER.createArrayNode();
        batch.forEach(e -> data.add(projection == null ? e.json() : projection.apply(e.json())));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", data);
        body.put("sync", newSyncToken(resource, last)).put("has_more", more);
        return SimResponse.json(200, body);
    }

    private String newSyncToken(String resource, long seq) {
        String token = UUID.randomUUID().toString().replace("-", "");
        syncTokens.put(token, new String[] {resource, String.valueOf(seq)});
        return token;
    }
}
