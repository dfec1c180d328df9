package io.mlconnector.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.asana.PurchaseOrderRecords;
import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import io.mlconnector.it.Await;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole loop on the real worker, configured from config-examples as the demo does: a PO created in
 * the ION simulator becomes an Asana task with its custom fields; completing the task in the Asana
 * simulator comes back by webhook and stamps the PO approved in M3, with an audit record. Then M3 changes the PO and
 * its BOD, pushed over IMS to the ION BOD source, updates the same task. Prints the latency of each leg.
 */
@ExtendWith(SharedCluster.class)
class FullLoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPurchaseOrderBecomesATaskAndItsApprovalReachesM3(KafkaConnectCluster cluster) throws Exception {
        loop(cluster);
    }

    /** The loop on this cluster, from creating the topics to deleting the connectors. */
    static void loop(KafkaConnectCluster cluster) throws Exception {
        cluster.topics().recreate(3, "infor.ACME_TST.purchase-orders", "asana.task-events");
        cluster.topics().recreate(1, "infor.ACME_TST.supplier-invoices", "infor.ACME_TST.suppliers",
                "infor.ACME_TST.gl-accounts", "infor.ACME_TST.payments", "ml.audit", "ml.dlq.asana-sink",
                "ml.dlq.asana-sink-invoices", "ml.dlq.asana-sink-payments", "ml.dlq.infor-sink", "ml.task-ledger",
                "asana.webhook-source.checkpoints", "asana.ap-webhook-source.checkpoints");
        Path secrets = Files.createDirectories(cluster.workDir().resolve("full-loop-" + UUID.randomUUID()));
        try (SimulatedSystems systems = SimulatedSystems.start(secrets, 20)) {
            Pipeline pipeline = new Pipeline(secrets, systems.locations(cluster));
            // the example polls every minute; the loop's own latency is what this test measures
            pipeline.config(Pipeline.SOURCE).put("purchase-orders.poll.interval.ms", "5000");
            assertEquals(List.of(), pipeline.validate(cluster.rest()));
            pipeline.register(cluster.rest());
            try {
                Properties asana = new Properties();
                asana.load(Files.newBufferedReader(secrets.resolve("asana.properties")));
                AsanaClient reviewer = AsanaClient.builder(AsanaCredentials.personalAccessToken(asana.getProperty("token")))
                        .baseUrl(systems.asana().apiUrl()).budget(1500, Duration.ofMinutes(1)).build();
                String project = asana.getProperty("project.gid");
                Await.until("the seeded purchase orders to reach Asana", Duration.ofMinutes(3),
                        () -> systems.asana().taskCount() >= 10);

                Instant created = Instant.now();
                String po = createPurchaseOrder(systems);
                Await.value("PO " + po + " in Kafka", Duration.ofSeconds(60),
                        () -> cluster.topics().readToEnd("infor.ACME_TST.purchase-orders", Duration.ofSeconds(30)).stream()
                                .filter(r -> r.value().contains("\"" + po + "\"")).findFirst());
                Instant recorded = Instant.now();
                Task task = Await.value("the Asana task of PO " + po, Duration.ofSeconds(60),
                        () -> reviewer.projectTasks(project).filter(t -> po.equals(PurchaseOrderRecords.number(text(t, "PO number")))).findFirst());
                Instant tasked = Instant.now();
                assertEquals(0, new BigDecimal("4321.50").compareTo(field(task, "Amount").numberValue()));
                assertEquals("EUR", field(task, "Currency").enumValue().name());
                assertTrue(task.name().contains(po), task.name());

                systems.complete(task.gid());
                Instant completed = Instant.now();
                Await.value("the completion event in Kafka", Duration.ofSeconds(60),
                        () -> cluster.topics().readToEnd("asana.task-events", Duration.ofSeconds(30)).stream()
                                .filter(r -> r.key() != null && r.key().contains(task.gid()) && r.value().contains("\"completed\""))
                                .findFirst());
                Instant evented = Instant.now();
                Await.until("PO " + po + " approved in M3", Duration.ofSeconds(60), () -> approved(systems, po));
                Instant written = Instant.now();
                JsonNode audit = Await.value("the audit record of PO " + po, Duration.ofSeconds(30),
                        () -> cluster.topics().readToEnd("ml.audit", Duration.ofSeconds(30)).stream()
                                .map(r -> parse(r.value())).filter(a -> po.equals(a.path("reference").asText())).findFirst());
                assertEquals("APPLIED", audit.path("outcome").asText());
                assertEquals(task.gid(), audit.path("asana_task_gid").asText());
                // One plugin holds both Infor connectors, so their validations and tasks share one token per tenant.
                assertEquals(1, systems.ion().log().counter("oauth.logins"), "ION logins by the Infor source and sink");

                // M3's BOD processor publishes the PO's change over IMS: the task follows before the next poll
                systems.changePurchaseOrderAmount("100", po, new BigDecimal("5000.25"));
                Instant pushedAt = Instant.now();
                assertEquals(1, systems.publishPurchaseOrder(po).acknowledged(), "the BOD acknowledged");
                Await.value("the pushed amount on the task of PO " + po, Duration.ofSeconds(30),
                        () -> Optional.ofNullable(reviewer.getTask(task.gid()))
                                .filter(t -> new BigDecimal("5000.25").compareTo(field(t, "Amount").numberValue()) == 0));
                Instant followed = Instant.now();
                assertTrue(cluster.topics().readToEnd("infor.ACME_TST.purchase-orders", Duration.ofSeconds(30)).stream()
                        .anyMatch(r -> r.value() != null && r.value().contains("\"" + po + "\"")
                                && r.headers().lastHeader("ion.message.id") != null), "a record of the pushed BOD");

                Map<String, Duration> legs = new LinkedHashMap<>();
                legs.put("PO created in M3 -> record in Kafka (poll interval 5 s)", Duration.between(created, recorded));
                legs.put("record in Kafka -> Asana task with custom fields", Duration.between(recorded, tasked));
                legs.put("task completed in Asana -> event in Kafka (webhook)", Duration.between(completed, evented));
                legs.put("event in Kafka -> PO approved in M3 + audit record", Duration.between(evented, written));
                legs.put("PO changed in M3 -> BOD pushed over IMS -> task updated", Duration.between(pushedAt, followed));
                legs.forEach((leg, took) -> System.out.printf("full loop: %-62s %6d ms%n", leg, took.toMillis()));
            } finally {
                for (String connector : pipeline.connectors()) {
                    cluster.rest().delete(connector);
                }
            }
        }
    }

    private static String createPurchaseOrder(SimulatedSystems systems) throws Exception {
        String supplier = get(systems, "m3/CIDMAS?CONO=100&limit=1").get(0).path("SUNO").asText();
        Map<String, String> head = Map.of("CONO", "100", "DIVI", "AAA", "SUNO", supplier,
                "PUDT", LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE), "PUSL", "15", "PUST", "20",
                "COAM", "4321.50", "CUCD", "EUR", "BUYE", "DEMO");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(systems.ion().baseUrl() + "/_sim/m3/MPHEAD")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(head))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, response.body());
        return parse(response.body()).path("PUNO").asText();
    }

    private static boolean approved(SimulatedSystems systems, String po) throws Exception {
        return get(systems, "m3/CUGEX1?FILE=MPHEAD&PK01=" + po).stream()
                .anyMatch(row -> "APPROVED".equals(row.path("A030").asText()));
    }

    private static List<JsonNode> get(SimulatedSystems systems, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(systems.ion().baseUrl() + "/_sim/" + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> rows = new ArrayList<>();
        parse(response.body()).forEach(rows::add);
        return rows;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static String text(Task task, String field) {
        return task.customFields().stream().filter(f -> field.equals(f.name())).map(CustomFieldValue::textValue)
                .findFirst().orElse(null);
    }

    private static CustomFieldValue field(Task task, String name) {
        return task.customFields().stream().filter(f -> name.equals(f.name())).findFirst()
                .orElseThrow(() -> new AssertionError(task.gid() + " has no custom field " + name));
    }
}
