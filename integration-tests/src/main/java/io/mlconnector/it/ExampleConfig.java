package io.mlconnector.it;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connector config from {@code config-examples/}, read as a user would copy it. Tests change only
 * where things live (hosts, ports, the directory of the ConfigProvider files), never the settings.
 */
public final class ExampleConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the examples keep the files their {@code ${file:...}} placeholders read. */
    public static final String SECRETS_DIR = "/etc/ml-connector/";

    private String text;

    private ExampleConfig(String text) {
        this.text = text;
    }

    public static ExampleConfig load(String fileName) {
        Path file = ProjectLayout.locate().home().resolve("config-examples").resolve(fileName);
        try {
            return new ExampleConfig(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Writes {@code asana.properties} into {@code dir}: what the Asana examples read from it through the
     * FileConfigProvider (see config-examples/asana.properties.example).
     */
    public static void writeAsanaProperties(Path dir, String token, String workspaceGid, String projectGid,
                                            int ratePerMinute) {
        writeAsanaProperties(dir, token, workspaceGid, projectGid, projectGid, ratePerMinute);
    }

    /** As above, with the accounts payable project the invoice example writes to. */
    public static void writeAsanaProperties(Path dir, String token, String workspaceGid, String projectGid,
                                            String apProjectGid, int ratePerMinute) {
        Path file = dir.resolve("asana.properties");
        try {
            Files.writeString(file, "token=" + token + "\nworkspace.gid=" + workspaceGid + "\nproject.gid=" + projectGid
                    + "\nap.project.gid=" + apProjectGid + "\nrate.limit.per.minute=" + ratePerMinute + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes {@code approvers.properties}: the Asana user gids the Infor sink examples accept approvals from. */
    public static void writeApprovers(Path dir, String... userGids) {
        Path file = dir.resolve("approvers.properties");
        try {
            Files.writeString(file, "approver.gids=" + String.join(",", userGids) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Where the examples' Kafka clients (audit log, task ledger) connect: the worker's environment, through its
     * EnvVarConfigProvider (config-examples/connect-distributed.properties).
     */
    public static final String EXAMPLE_KAFKA = "${env:CONNECT_BOOTSTRAP_SERVERS}";

    /** Points the examples' own Kafka clients (audit log, task ledger) at this cluster. */
    public ExampleConfig kafka(String bootstrapServers) {
        return location(EXAMPLE_KAFKA, bootstrapServers);
    }

    /** Replaces a host/port base (e.g. the public API URL) by the simulator's. */
    public ExampleConfig location(String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalArgumentException("the example does not mention " + from);
        }
        text = text.replace(from, to);
        return this;
    }

    /** Points the {@code ${file:/etc/ml-connector/...}} placeholders at another directory. */
    public ExampleConfig secretsDir(Path dir) {
        return location(SECRETS_DIR, dir.toAbsolutePath() + "/");
    }

    public Map<String, String> toMap() {
        try {
            return JSON.readValue(text, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not a flat JSON object of strings", e);
        }
    }
}
