package io.mlconnector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness survives what crash tests do to it, and secrets stay behind their ConfigProvider. */
@ExtendWith(SharedCluster.class)
class WorkerRestartIT {

    @Test
    void connectorConfigSurvivesKillMinusNineAndKeepsItsSecretPlaceholder(KafkaConnectCluster cluster)
            throws Exception {
        String token = "asana-pat-9c41-never-in-rest";
        try (AsanaSimulator asana = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            Map<String, Object> seeded = asana.seedPurchaseOrderProject(token);
            Path secrets = cluster.workDir().resolve("asana-secrets.properties");
            Files.writeString(secrets, "token=" + token + "\n");
            String placeholder = "${file:" + secrets + ":token}";
            Map<String, String> config = Map.of(
                    "connector.class", "io.mlconnector.asana.sink.AsanaSinkConnector",
                    "tasks.max", "1",
                    "topics", "infor.restart.purchase-orders",
                    "asana.token", placeholder,
                    "asana.base.url", asana.apiUrl(),
                    "asana.workspace.gid", (String) seeded.get("workspace"),
                    "asana.project.gid", (String) seeded.get("project"),
                    "upsert.key.custom.field", "PO number",
                    "ledger.bootstrap.servers", cluster.bootstrapServers());
            cluster.rest().putConfig("restart-probe", config);
            cluster.rest().awaitRunning("restart-probe", 1, Duration.ofSeconds(60));
            long pidBefore = cluster.workerPid();

            cluster.killWorker();
            cluster.startWorker();

            assertNotEquals(pidBefore, cluster.workerPid());
            cluster.rest().awaitRunning("restart-probe", 1, Duration.ofSeconds(60));
            JsonNode stored = cluster.rest().config("restart-probe");
            assertEquals(placeholder, stored.path("asana.token").asText(), stored.toString());
            assertFalse(stored.toString().contains(token), "the config answer holds the resolved secret");
            JsonNode tasks = cluster.rest().tasks("restart-probe");
            assertFalse(tasks.toString().contains(token), "the task configs hold the resolved secret: " + tasks);
            assertFalse(Files.readString(cluster.workerLog()).contains(token), "the worker log holds the secret");
            cluster.rest().delete("restart-probe");
        }
    }
}
