package io.mlconnector.it.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.Await;
import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.secrets.KeyRing;
import io.mlconnector.secrets.SecretEnvelope;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Infor source and the Asana sink on a real worker, their .ionapi file and Asana token supplied only as
 * {@code ${mlsecret:...}} references: records flow from the ION simulator through Kafka into the Asana
 * simulator, while the REST API and the config topic hold ciphertext only.
 */
@ExtendWith(SharedCluster.class)
class EncryptedCredentialsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "encrypted-infor-source-it";
    private static final String SINK = "encrypted-asana-sink-it";
    private static final String PREFIX = "infor.ACME_TST.";
    private static final int ORDERS = 40;

    @Test
    void connectorsRunOnEncryptedCredentialsAndOnlyCiphertextIsStored(KafkaConnectCluster cluster) throws Exception {
        KeyRing keys = cluster.secretKeys();
        ConnectRest rest = cluster.rest();
        cluster.topics().recreate(1, PREFIX + "purchase-orders", PREFIX + "supplier-invoices", PREFIX + "suppliers",
                PREFIX + "gl-accounts", PREFIX + "data-errors", "ml.task-ledger");
        try (IonSimulator ion = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(ORDERS, 10, 10));
             AsanaSimulator asana = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            String token = "pat-" + UUID.randomUUID();
            Map<String, Object> project = asana.seedPurchaseOrderProject(token);
            JsonNode ionapi = JSON.readTree(ion.ionApiJson());
            List<String> secrets = List.of(token, ionapi.get("cs").asText(), ionapi.get("sask").asText());

            // the whole .ionapi encrypted into a file, as `encrypt --in ACME_TST.ionapi` writes it
            Path dir = Files.createDirectories(cluster.workDir().resolve("mlsecret-" + UUID.randomUUID()));
            Files.writeString(dir.resolve("ACME_TST.ionapi.enc"), SecretEnvelope.seal(keys, ion.ionApiJson()) + "\n");
            Files.writeString(dir.resolve("asana.properties"), "workspace.gid=" + project.get("workspace") + "\n"
                    + "project.gid=" + project.get("project") + "\nrate.limit.per.minute=100000\n");

            Map<String, String> source = ExampleConfig.load("infor-source-m3.json").toMap();
            source.put("ion.credentials", "${mlsecret:" + dir + ":ACME_TST.ionapi.enc}");
            Map<String, String> sink = ExampleConfig.load("asana-sink-purchase-orders.json")
                    .location("https://app.asana.com/api/1.0", asana.apiUrl()).kafka(cluster.bootstrapServers())
                    .secretsDir(dir).toMap();
            sink.put("asana.token", "${mlsecret:" + SecretEnvelope.seal(keys, token) + "}");

            Instant started = Instant.now();
            try {
                rest.putConfig(SOURCE, source);
                rest.putConfig(SINK, sink);
                rest.awaitRunning(SOURCE, 3, Duration.ofSeconds(60));
                rest.awaitRunning(SINK, 2, Duration.ofSeconds(60));
                awaitCalls(asana, "asana.createTask", ORDERS, Duration.ofSeconds(60));
                System.out.printf("Encrypted credentials: %d orders from ION into Asana in %d ms%n",
                        ORDERS, Duration.between(started, Instant.now()).toMillis());

                String stored = rest.config(SOURCE) + "\n" + rest.config(SINK) + "\n" + rest.tasks(SOURCE) + "\n"
                        + rest.tasks(SINK) + "\n" + configTopic(cluster);
                assertTrue(stored.contains("${mlsecret:" + dir + ":ACME_TST.ionapi.enc}"), "the file reference is stored");
                assertTrue(stored.contains("${mlsecret:mlenc1.it1."), "the inline reference is stored");
                for (String secret : secrets) {
                    assertFalse(stored.contains(secret), "plaintext in the REST answers or the config topic");
                }
            } finally {
                rest.delete(SINK);
                rest.delete(SOURCE);
            }
        }
    }

    @Test
    void aValueSealedWithAnotherKeyIsRefusedNamingItsKeyId(KafkaConnectCluster cluster) {
        String foreign = SecretEnvelope.seal(KeyRing.parse(KeyRing.generateKeyLine("elsewhere"), "test"), "sask-of-elsewhere");
        Map<String, String> config = ExampleConfig.load("infor-source-m3.json").toMap();
        config.put("ion.credentials", "${mlsecret:" + foreign + "}");

        ConnectRest.ConnectRestException refused = assertThrows(ConnectRest.ConnectRestException.class,
                () -> cluster.rest().putConfig("encrypted-wrong-key-it", config));
        // Connect resolves references while it validates the PUT and answers a provider's ConfigException with 500
        assertEquals(500, refused.status(), refused.body());
        assertTrue(refused.body().contains("no key 'elsewhere' in the key ring (it holds it1)"), refused.body());
        assertFalse(refused.body().contains("sask-of-elsewhere"), refused.body());
    }

    private static void awaitCalls(AsanaSimulator asana, String operation, long count, Duration timeout)
            throws InterruptedException {
        Await.until(operation + " called " + count + " times", timeout, () -> asana.log().calls(operation) >= count,
                () -> asana.log().calls(operation) + " calls");
    }

    /** Every connector and task config the worker stored, as text. */
    private static String configTopic(KafkaConnectCluster cluster) throws Exception {
        List<ConsumerRecord<String, String>> records = cluster.topics().readToEnd("_connect-configs", Duration.ofSeconds(30));
        return records.stream().map(ConsumerRecord::value).filter(Objects::nonNull).collect(Collectors.joining("\n"));
    }
}
