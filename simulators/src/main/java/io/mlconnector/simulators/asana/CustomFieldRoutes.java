package io.mlconnector.simulators.asana;

import static io.mlconnector.simulators.asana.Answers.created;
import static io.mlconnector.simulators.asana.Answers.data;
import static io.mlconnector.simulators.asana.Answers.page;
import static io.mlconnector.simulators.asana.Answers.single;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Custom fields: a workspace's fields, one field, new enum options, and a project's custom field settings. Each
 * definition as {@link Rendering#field} renders it.
 */
final class CustomFieldRoutes {
    private static final String ID = ApiGate.ID;

    private final AsanaState state;
    private final Rendering render;

    CustomFieldRoutes(AsanaState state, Rendering render) {
        this.state = state;
        this.render = render;
    }

    void register(ApiGate gate) {
        gate.route("GET", "/workspaces/" + ID + "/custom_fields", "getCustomFieldsForWorkspace", false, (r, c, p) -> {
            String workspace = p.get("workspace_gid");
            AsanaState.require(state.workspaces, workspace, "workspace");
            synchronized (state) {
                return page(r, state.customFields.values().stream()
                        .filter(f -> f.get("workspace_gid").asText().equals(workspace)).map(render::field).toList());
            }
        });
        gate.route("GET", "/custom_fields/" + ID, "getCustomField", false, (r, c, p) -> {
            synchronized (state) {
                return single(r, render.field(AsanaState.require(state.customFields, p.get("custom_field_gid"),
                        "custom_field")));
            }
        });
        gate.route("POST", "/custom_fields/" + ID + "/enum_options", "createEnumOptionForCustomField", true, (r, c, p) -> {
            JsonNode data = data(r);
            return created(r, state.addEnumOption(p.get("custom_field_gid"), data.path("name").asText(),
                    data.path("color").asText("none")));
        });
        gate.route("GET", "/projects/" + ID + "/custom_field_settings", "getCustomFieldSettingsForProject", false,
                (r, c, p) -> page(r, state.atomically(() -> render.settings(state.settings(p.get("project_gid"))))));
    }
}
