package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The app's own id and data on a task (OAuth only). Once set, {@code external:<gid>} addresses the
 * task wherever a task gid is accepted. gid up to 1,024 characters, data up to 32,768.
 */
public record External(String gid, String data) {
    public static final int MAX_GID_LENGTH = 1024;
    public static final int MAX_DATA_LENGTH = 32768;

    public External {
        if (gid == null || gid.isEmpty() || gid.length() > MAX_GID_LENGTH) {
            throw new IllegalArgumentException("external gid must have 1.." + MAX_GID_LENGTH + " characters");
        }
        if (data != null && data.length() > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("external data is longer than " + MAX_DATA_LENGTH);
        }
    }

    static External from(JsonNode node) {
        if (node == null || !node.isObject() || !node.hasNonNull("gid")) {
            return null;
        }
        return new External(node.get("gid").asText(), JsonFields.text(node, "data"));
    }
}
