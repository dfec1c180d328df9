package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task as the simulator stores it: plain fields, its memberships ({@code [project, section]}) and its custom
 * field values by field gid in their stored form ({@link TaskWrites}). {@link Rendering} turns it into JSON.
 */
final class TaskRecord {
    final String gid;
    final String workspace;
    final Instant createdAt;
    String name = "";
    String notes = "";
    String subtype = "default_task";
    boolean completed;
    Instant completedAt;
    Instant modifiedAt;
    String dueOn;
    String assignee;
    String createdBy;
    String completedBy;
    ObjectNode external;
    final List<String[]> memberships = new ArrayList<>();
    final Map<String, JsonNode> values = new LinkedHashMap<>();

    TaskRecord(String gid, String workspace, Instant createdAt) {
        this.gid = gid;
        this.workspace = workspace;
        this.createdAt = createdAt;
        this.modifiedAt = createdAt;
    }

    List<String> projects() {
        return memberships.stream().map(m -> m[0]).toList();
    }
}
