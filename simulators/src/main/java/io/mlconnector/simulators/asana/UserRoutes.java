package io.mlconnector.simulators.asana;

import static io.mlconnector.simulators.asana.Answers.page;
import static io.mlconnector.simulators.asana.Answers.single;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Users ({@code me} is the token's owner) and the workspaces. */
final class UserRoutes {
    private final AsanaState state;

    UserRoutes(AsanaState state) {
        this.state = state;
    }

    void register(ApiGate gate) {
        gate.route("GET", "/users/" + ApiGate.ID, "getUser", false, (r, c, p) -> {
            String gid = p.get("user_gid");
            return single(r, AsanaState.require(state.users, gid.equals("me") ? c.user() : gid, "user"));
        });
        gate.route("GET", "/workspaces", "getWorkspaces", false, (r, c, p) -> page(r, workspaces()));
    }

    private List<ObjectNode> workspaces() {
        synchronized (state) {
            return new ArrayList<>(state.workspaces.values());
        }
    }
}
