package io.mlconnector.simulators.asana;

import static io.mlconnector.simulators.asana.Answers.created;
import static io.mlconnector.simulators.asana.Answers.data;
import static io.mlconnector.simulators.asana.Answers.page;
import static io.mlconnector.simulators.asana.Answers.single;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tasks: create, read, update, the task lists of a project or section ({@code GET /tasks} and the nested forms),
 * and a task's stories (comments). A task is answered as the write left it, rendered under the state's lock.
 */
final class TaskRoutes {
    private static final String ID = ApiGate.ID;

    private final AsanaState state;
    private final Rendering render;

    TaskRoutes(AsanaState state, Rendering render) {
        this.state = state;
        this.render = render;
    }

    void register(ApiGate gate) {
        gate.route("POST", "/tasks", "createTask", true,
                (r, c, p) -> created(r, rendered(() -> state.createTask(data(r), c.user(), c.oauth()))));
        gate.route("GET", "/tasks", "getTasks", false, (r, c, p) -> tasks(r));
        gate.route("GET", "/tasks/" + ID, "getTask", false,
                (r, c, p) -> single(r, rendered(() -> state.task(p.get("task_gid"), c.oauth()))));
        gate.route("PUT", "/tasks/" + ID, "updateTask", true, (r, c, p) ->
                single(r, rendered(() -> state.updateTask(p.get("task_gid"), data(r), c.user(), c.oauth()))));
        gate.route("POST", "/tasks/" + ID + "/stories", "createStoryForTask", true, (r, c, p) -> {
            JsonNode data = data(r);
            if (!data.hasNonNull("text") && !data.hasNonNull("html_text")) {
                throw AsanaError.badRequest("text: Missing input");
            }
            String text = data.hasNonNull("text") ? data.get("text").asText() : data.get("html_text").asText();
            return created(r, state.addComment(p.get("task_gid"), text, c.user(), c.oauth()));
        });
        gate.route("GET", "/tasks/" + ID + "/stories", "getStoriesForTask", false,
                (r, c, p) -> page(r, state.stories(p.get("task_gid"), c.oauth())));
        gate.route("GET", "/projects/" + ID + "/tasks", "getTasksForProject", false,
                (r, c, p) -> page(r, state.projectTaskGids(p.get("project_gid"), r.query().get("completed_since")),
                        this::task));
        gate.route("GET", "/sections/" + ID + "/tasks", "getTasksForSection", false,
                (r, c, p) -> page(r, sectionTasks(p.get("section_gid"))));
    }

    /** {@code GET /tasks}: a project's tasks (optionally by completion and modification time) or a section's. */
    private SimResponse tasks(SimRequest r) {
        Map<String, String> q = r.query();
        if (q.containsKey("project")) {
            return page(r, state.projectTaskGids(q.get("project"), q.get("completed_since"),
                    q.get("modified_since")), this::task);
        }
        if (q.containsKey("section")) {
            return page(r, sectionTasks(q.get("section")));
        }
        throw AsanaError.badRequest("project: You must specify a project or tag if you do not specify assignee and workspace");
    }

    private List<ObjectNode> sectionTasks(String sectionGid) {
        return state.atomically(() -> render.tasks(state.sectionTasks(sectionGid)));
    }

    private ObjectNode task(String gid) {
        return rendered(() -> state.task(gid, false));
    }

    /** The task the supplier finds or writes, rendered under the same hold of the state's lock. */
    private ObjectNode rendered(Supplier<TaskRecord> task) {
        return state.atomically(() -> render.task(task.get()));
    }
}
