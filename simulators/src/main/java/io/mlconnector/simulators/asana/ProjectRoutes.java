package io.mlconnector.simulators.asana;

import static io.mlconnector.simulators.asana.Answers.created;
import static io.mlconnector.simulators.asana.Answers.data;
import static io.mlconnector.simulators.asana.Answers.page;

/** A project's sections: list and create them, and move a task into one ({@code POST /sections/{gid}/addTask}). */
final class ProjectRoutes {
    private static final String ID = ApiGate.ID;

    private final AsanaState state;

    ProjectRoutes(AsanaState state) {
        this.state = state;
    }

    void register(ApiGate gate) {
        gate.route("GET", "/projects/" + ID + "/sections", "getSectionsForProject", false, (r, c, p) -> {
            AsanaState.require(state.projects, p.get("project_gid"), "project");
            synchronized (state) {
                return page(r, state.sections.values().stream()
                        .filter(s -> s.path("project").path("gid").asText().equals(p.get("project_gid"))).toList());
            }
        });
        gate.route("POST", "/projects/" + ID + "/sections", "createSectionForProject", true,
                (r, c, p) -> created(r, state.addSection(p.get("project_gid"), data(r).path("name").asText())));
        gate.route("POST", "/sections/" + ID + "/addTask", "addTaskForSection", true, (r, c, p) -> {
            state.addTaskToSection(p.get("section_gid"), data(r).path("task").asText(), c.user());
            return Answers.emptyData();
        });
    }
}
