package io.mlconnector.connect.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the task ledger: the task the Asana sink made for a CloudSuite record, and what it last
 * wrote there. A pending entry (no task gid yet) is written before a create is sent, so a crash that
 * loses the create's answer leaves a mark of the window to look in.
 *
 * @param written             what the sink last wrote, as attribute → fingerprint (see {@link Fingerprint})
 * @param connectorUserGid    the Asana user of the sink's token: changes by this user are never decisions
 * @param assigneeGid         the assignee the sink itself set, or null
 * @param record              null only for a task adopted by a rebuild and not yet seen again in its topic
 */
public record LedgerEntry(String projectGid, String upsertKey, String taskGid, RecordIdentity record,
        String connectorUserGid, String assigneeGid, Map<String, String> written, Instant writtenAt) {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int VERSION = 1;

    public LedgerEntry {
        written = Map.copyOf(written);
    }

    /** A create is under way: its outcome is unknown until the entry with the task's gid follows. */
    public static LedgerEntry pending(String projectGid, String upsertKey, RecordIdentity record,
            String connectorUserGid, Instant at) {
        return new LedgerEntry(projectGid, upsertKey, null, record, connectorUserGid, null, Map.of(), at);
    }

    /**
     * This entry read after {@code earlier} for the same ledger key: an entry that names no record (a task
     * adopted by a rebuild) keeps the record an earlier entry knew for the same task, so a record, once
     * known, is never lost to a rebuild that ran beside the writer that knew it.
     */
    public LedgerEntry after(LedgerEntry earlier) {
        if (record != null || earlier == null || earlier.record() == null || taskGid == null
                || !taskGid.equals(earlier.taskGid())) {
            return this;
        }
        return new LedgerEntry(projectGid, upsertKey, taskGid, earlier.record(), connectorUserGid, assigneeGid, written,
                writtenAt);
    }

    public boolean isPending() {
        return taskGid == null;
    }

    /** The compaction key: one entry per record and project, so a re-created task replaces the old one. */
    public String ledgerKey() {
        return key(projectGid, upsertKey);
    }

    public static String key(String projectGid, String upsertKey) {
        return projectGid + "|" + upsertKey;
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode().put("version", VERSION).put("project_gid", projectGid)
                .put("upsert_key", upsertKey).put("task_gid", taskGid)
                .put("connector_user_gid", connectorUserGid).put("assignee_gid", assigneeGid)
                .put("written_at", writtenAt.toString());
        if (record != null) {
            ObjectNode identity = node.putObject("record");
            record.fields().forEach((name, value) -> identity.put(name, (String) value));
        } else {
            node.putNull("record");
        }
        ObjectNode fingerprints = node.putObject("written");
        written.forEach(fingerprints::put);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses an entry; fails with {@link IllegalArgumentException} on anything that is not one. */
    public static LedgerEntry fromJson(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + new String(bytes, 0, Math.min(bytes.length, 80),
                    StandardCharsets.UTF_8), e);
        }
        if (node == null || node.path("version").asInt() != VERSION || text(node, "project_gid") == null
                || text(node, "upsert_key") == null || text(node, "written_at") == null) {
            throw new IllegalArgumentException("not a version " + VERSION + " ledger entry");
        }
        JsonNode identity = node.path("record");
        RecordIdentity record = identity.isObject() ? new RecordIdentity(text(identity, "backend"),
                text(identity, "tenant"), text(identity, "company"), text(identity, "division"),
                text(identity, "entity"), text(identity, "number")) : null;
        Map<String, String> written = new LinkedHashMap<>();
        node.path("written").fields().forEachRemaining(e -> written.put(e.getKey(), e.getValue().asText()));
        return new LedgerEntry(text(node, "project_gid"), text(node, "upsert_key"), text(node, "task_gid"), record,
                text(node, "connector_user_gid"), text(node, "assignee_gid"), written,
                Instant.parse(text(node, "written_at")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
