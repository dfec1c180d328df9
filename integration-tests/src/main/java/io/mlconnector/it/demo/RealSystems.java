package io.mlconnector.it.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real CloudSuite M3 tenant and Asana workspace, from the user's credentials:
 * <ul>
 *   <li>{@code ML_IONAPI_FILE}: the tenant's .ionapi file (backend service client with a service account)</li>
 *   <li>{@code ASANA_TOKEN}, {@code ASANA_WORKSPACE_GID}, {@code ASANA_PROJECT_GID}; {@code ASANA_RATE_LIMIT}
 *       (requests per minute, default 150, the free plan's)</li>
 *   <li>{@code ML_WEBHOOK_URL}: the public https URL Asana reaches, forwarded to {@code ML_WEBHOOK_PORT}
 *       (default 8090) on this machine</li>
 *   <li>{@code ML_M3_DIVISIONS}: company/division pairs to read, e.g. {@code 100/AAA,100/BBB}</li>
 *   <li>{@code ASANA_APPROVER_GIDS}: the Asana users whose completions are approvals, comma-separated
 *       (not the token's own user: its changes are never decisions)</li>
 * </ul>
 */
final class RealSystems implements DemoSystems {

    static final String IONAPI_FILE = "ML_IONAPI_FILE";

    private final String tenant;
    private final Map<String, String> env;

    private RealSystems(String tenant, Map<String, String> env) {
        this.tenant = tenant;
        this.env = env;
    }

    static boolean requested(Map<String, String> env) {
        return env.containsKey(IONAPI_FILE) || env.containsKey("ASANA_TOKEN");
    }

    static RealSystems prepare(Map<String, String> env, Path secretsDir) throws IOException {
        for (String name : new String[] {IONAPI_FILE, "ASANA_TOKEN", "ASANA_WORKSPACE_GID", "ASANA_PROJECT_GID",
                "ML_WEBHOOK_URL", "ML_M3_DIVISIONS", "ASANA_APPROVER_GIDS"}) {
            if (env.getOrDefault(name, "").isBlank()) {
                throw new IllegalArgumentException("real systems need " + name + " (see ./demo.sh --help)");
            }
        }
        String ionapi = Files.readString(Path.of(env.get(IONAPI_FILE)));
        String tenant = new ObjectMapper().readTree(ionapi).path("ti").asText();
        if (tenant.isBlank()) {
            throw new IllegalArgumentException(env.get(IONAPI_FILE) + " has no tenant (ti)");
        }
        Files.createDirectories(secretsDir.resolve("ionapi"));
        Files.writeString(secretsDir.resolve("ionapi").resolve(tenant + ".ionapi"), ionapi);
        ExampleConfig.writeAsanaProperties(secretsDir, env.get("ASANA_TOKEN"), env.get("ASANA_WORKSPACE_GID"),
                env.get("ASANA_PROJECT_GID"), Integer.parseInt(env.getOrDefault("ASANA_RATE_LIMIT", "150").trim()));
        ExampleConfig.writeApprovers(secretsDir, env.get("ASANA_APPROVER_GIDS").split("\\s*,\\s*"));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(secretsDir.resolve("asana-webhook-source.properties"),
                "secret.encryption.key=" + Base64.getEncoder().encodeToString(key) + "\n");
        return new RealSystems(tenant, env);
    }

    @Override
    public String describe() {
        return "the real CloudSuite tenant " + tenant + " and Asana project " + env.get("ASANA_PROJECT_GID")
                + "; Asana reaches the webhook at " + env.get("ML_WEBHOOK_URL");
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public Map<String, UnaryOperator<ExampleConfig>> locations(KafkaConnectCluster cluster) {
        String port = env.getOrDefault("ML_WEBHOOK_PORT", "8090");
        Map<String, UnaryOperator<ExampleConfig>> locations = new LinkedHashMap<>();
        locations.put(Pipeline.SOURCE, e -> e.location("ACME_TST", tenant)
                .location("100/AAA,100/BBB,200/CCC", env.get("ML_M3_DIVISIONS")));
        locations.put(Pipeline.ASANA_SINK, e -> e.location("ACME_TST", tenant).kafka(cluster.bootstrapServers()));
        locations.put(Pipeline.WEBHOOK_SOURCE, e -> e.location("https://connect.example.com/asana/webhook",
                env.get("ML_WEBHOOK_URL")).location("\"8090\"", "\"" + port + "\""));
        locations.put(Pipeline.INFOR_SINK, e -> e.location("ACME_TST", tenant)
                .kafka(cluster.bootstrapServers()));
        return locations;
    }

    /** Reviewers complete tasks in Asana itself; the demo only watches. */
    @Override
    public Optional<String> approveNextTask() {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
