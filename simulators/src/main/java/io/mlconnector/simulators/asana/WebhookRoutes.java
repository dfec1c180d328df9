package io.mlconnector.simulators.asana;

import static io.mlconnector.simulators.asana.Answers.data;
import static io.mlconnector.simulators.asana.Answers.page;
import static io.mlconnector.simulators.asana.Answers.single;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.SimResponse;

/**
 * Webhooks, each seen only by the user who made it: create (the handshake runs inside the call, and the answer
 * carries {@code X-Hook-Secret} in its body), list, read, delete. Delivery is {@link WebhookDispatcher}'s.
 */
final class WebhookRoutes {
    private static final String ID = ApiGate.ID;

    private final AsanaState state;
    private final WebhookDispatcher webhooks;

    WebhookRoutes(AsanaState state, WebhookDispatcher webhooks) {
        this.state = state;
        this.webhooks = webhooks;
    }

    void register(ApiGate gate) {
        gate.route("POST", "/webhooks", "createWebhook", true, (r, c, p) -> {
            JsonNode data = data(r);
            Object[] made = webhooks.create(data.get("resource").asText(), data.get("target").asText(),
                    data.get("filters"), c.user());
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.set("data", Answers.project(r, (ObjectNode) made[0], false));
            body.put("X-Hook-Secret", (String) made[1]);
            return SimResponse.json(201, body);
        });
        gate.route("GET", "/webhooks", "getWebhooks", false, (r, c, p) -> {
            AsanaState.require(state.workspaces, r.query().get("workspace"), "workspace");
            return page(r, webhooks.list(c.user(), r.query().get("resource")));
        });
        gate.route("GET", "/webhooks/" + ID, "getWebhook", false,
                (r, c, p) -> single(r, webhooks.get(p.get("webhook_gid"), c.user())));
        gate.route("DELETE", "/webhooks/" + ID, "deleteWebhook", true, (r, c, p) -> {
            webhooks.delete(p.get("webhook_gid"), c.user());
            return Answers.emptyData();
        });
    }
}
