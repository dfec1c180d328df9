package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.SimResponse;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The simulator's own control API under {@code /_sim/} (documented in {@code AsanaSimulatorMain}'s usage text):
 * seeding, tokens and OAuth grants, changes made as a user in the UI, and what Asana does on its own (deleting a
 * failing webhook, expiring sync tokens). The same operations as {@link AsanaSimulator}'s public methods.
 */
final class ControlRoutes {
    private final AsanaSimulator sim;
    private final AsanaState state;
    private final Rendering render;

    ControlRoutes(AsanaSimulator sim, AsanaState state, Rendering render) {
        this.sim = sim;
        this.state = state;
        this.render = render;
    }

    void register(SimulatorHttpServer server) {
        server.controlRoute("POST", "/_sim/workspaces", r -> control(() -> state.addWorkspace(
                r.json().path("name").asText("Workspace"), r.json().path("premium").asBoolean(true))));
        server.controlRoute("POST", "/_sim/users", r -> control(() -> state.addUser(
                r.json().path("name").asText("User"), r.json().path("email").asText(UUID.randomUUID() + "@example.com"))));
        server.controlRoute("POST", "/_sim/tokens", r -> control(() -> {
            JsonNode body = r.json();
            AsanaState.require(state.users, body.path("user").asText(), "user");
            sim.addToken(body.path("token").asText(), body.path("user").asText(), body.path("oauth").asBoolean(false));
            return Json.MAPPER.createObjectNode().put("token", "accepted");
        }));
        server.controlRoute("POST", "/_sim/oauth/grants", r -> control(() -> Json.MAPPER.createObjectNode()
                .put("refresh_token", sim.addRefreshToken(AsanaState.require(state.users, r.json().path("user").asText(),
                        "user").get("gid").asText()))
                .put("client_id", sim.oauthClientId()).put("client_secret", sim.oauthClientSecret())
                .put("token_url", sim.tokenUrl()).put("authorize_url", sim.authorizeUrl())));
        server.controlRoute("POST", "/_sim/oauth/consent", r -> control(() -> {
            sim.consentAs(r.json().path("user").asText());
            return Json.MAPPER.createObjectNode().put("consenting_user", r.json().path("user").asText());
        }));
        server.controlRoute("POST", "/_sim/projects", r -> control(() -> state.addProject(
                r.json().path("workspace").asText(), r.json().path("name").asText("Project"))));
        server.controlRoute("POST", "/_sim/sections", r -> control(() -> state.addSection(
                r.json().path("project").asText(), r.json().path("name").asText("Section"))));
        server.controlRoute("POST", "/_sim/custom_fields", r -> control(() -> {
            JsonNode b = r.json();
            List<String> options = new ArrayList<>();
            b.path("enum_options").forEach(o -> options.add(o.asText()));
            List<String> projects = new ArrayList<>();
            b.path("projects").forEach(o -> projects.add(o.asText()));
            String gid = sim.addCustomField(b.path("workspace").asText(), b.path("name").asText(),
                    b.path("resource_subtype").asText(), b.hasNonNull("precision") ? b.get("precision").asInt() : null,
                    b.path("format").asText(null), b.path("currency_code").asText(null), options, projects);
            return render.field(state.customFields.get(gid));
        }));
        server.controlRoute("POST", "/_sim/seed", r -> control(() -> Json.MAPPER.valueToTree(
                sim.seedPurchaseOrderProject(r.json().path("token").asText()))));
        server.controlRoute("POST", "/_sim/projects/([^/]+)/tasks", r -> control(() -> Json.MAPPER.valueToTree(
                sim.seedTasks(r.group(1), AsanaState.require(state.users, r.json().path("user").asText(), "user")
                        .get("gid").asText(), r.json().path("count").asInt(1)))));
        server.controlRoute("POST", "/_sim/tasks/([^/]+)/change", r -> control(() -> {
            JsonNode b = r.json();
            AsanaState.require(state.users, b.path("user").asText(), "user");
            return changed(r.group(1), b.path("user").asText(), b.path("data"));
        }));
        server.controlRoute("POST", "/_sim/tasks/([^/]+)/complete", r -> control(() -> {
            JsonNode b = r.json();
            AsanaState.require(state.users, b.path("user").asText(), "user");
            return changed(r.group(1), b.path("user").asText(), Json.MAPPER.createObjectNode()
                    .put("completed", b.path("completed").asBoolean(true)));
        }));
        server.controlRoute("DELETE", "/_sim/webhooks/([^/]+)", r -> sim.deleteWebhookAsAsana(r.group(1))
                ? SimResponse.empty(204) : AsanaError.notFound("webhook").response());
        server.controlRoute("POST", "/_sim/events/expire", r -> {
            sim.expireSyncTokens();
            return SimResponse.empty(204);
        });
        server.controlRoute("GET", "/_sim/state", r -> {
            synchronized (state) {
                return SimResponse.json(200, Map.of("workspaces", state.workspaces.size(), "projects",
                        state.projects.size(), "tasks", state.tasks.size(), "custom_fields", state.customFields.size(),
                        "stories", state.stories.size()));
            }
        });
    }

    /** The task after a change made as {@code userGid} in the UI (events and webhooks fire). */
    private JsonNode changed(String taskGid, String userGid, JsonNode data) {
        return state.atomically(() -> render.task(state.updateTask(taskGid, data, userGid, true)));
    }

    private interface ControlAction {
        JsonNode run();
    }

    private static SimResponse control(ControlAction action) {
        try {
            return SimResponse.json(200, action.run());
        } catch (AsanaError e) {
            return e.response();
        }
    }
}
