package io.mlconnector.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.it.Await;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.asana.PurchaseOrderRecords;
import io.mlconnector.it.demo.Pipeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Bad input a user or an upstream system would give the pipeline. Configuration mistakes must be
 * refused by {@code PUT /connector-plugins/.../config/validate} on the setting at fault; records the
 * sinks cannot use must reach their dead letter queue with the reason, and the rest must still flow.
 */
final class BadInput {

    /**
     * @param cases                how many bad inputs were tried
     * @param missed               bad inputs neither refused on their field nor dead-lettered with a reason
     * @param expectedUnauthorized 401s the wrong-credential cases drew from the simulators on purpose
     */
    record Outcome(long cases, long missed, long expectedUnauthorized, String detail) {
    }

    private static final String ASANA_DLQ = "ml.dlq.asana-sink";
    private static final String INFOR_DLQ = "ml.dlq.infor-sink";

    private final KafkaConnectCluster cluster;
    private final PipelineRun run;
    private final List<String> missed = new ArrayList<>();
    private long cases;

    BadInput(KafkaConnectCluster cluster, PipelineRun run) {
        this.cluster = cluster;
        this.run = run;
    }

    Outcome check() throws Exception {
        String ionapi = run.systems().ion().ionApiJson();
        JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ionapi);
        for (String source : List.of(Pipeline.SOURCE, Pipeline.INFOR_SINK)) {
            refused(source, "ion.credentials", "not JSON", "{\"ti\": ");
            refused(source, "ion.credentials", "an empty document", "{}");
            refused(source, "ion.credentials", "no token endpoint", without(parsed, "pu", "ot"));
            refused(source, "ion.credentials", "an unknown tenant URL", ionapi.replace(parsed.path("iu").asText(),
                    "http://127.0.0.1:1/unreachable"));
        }
        long before = run.unauthorizedAnswers();
        refused(Pipeline.SOURCE, "ion.credentials", "a wrong client secret",
                ionapi.replace(parsed.path("cs").asText(), "not-the-client-secret"));
        refused(Pipeline.ASANA_SINK, "asana.token", "a revoked token", "revoked-token-0000");
        long expectedUnauthorized = run.unauthorizedAnswers() - before;

        refused(Pipeline.ASANA_SINK, "asana.project.gid", "an unknown project GID", "1209999999999999");
        refused(Pipeline.WEBHOOK_SOURCE, "asana.resource.gid", "an unknown resource GID", "1209999999999998");
        refused(Pipeline.ASANA_SINK, "custom.fields", "an unknown custom field", "Nonexistent=${amount}");
        refused(Pipeline.ASANA_SINK, "custom.fields", "text into a number field", "Amount=about ${amount}");
        refused(Pipeline.WEBHOOK_SOURCE, "webhook.secret.encryption.key", "a short key", "c2hvcnQ=");

        deadLettered();
        return new Outcome(cases, missed.size(), expectedUnauthorized,
                cases + " bad inputs" + (missed.isEmpty() ? ", each refused on its field or dead-lettered with its reason"
                        : "; not caught: " + missed));
    }

    private void refused(String connector, String setting, String what, String value) {
        cases++;
        Map<String, String> config = new LinkedHashMap<>(run.pipeline().config(connector));
        config.put(setting, value);
        config.put("name", run.name(connector));
        JsonNode answer = cluster.rest().validate(config.get("connector.class"), config);
        run.recordRestAnswer(answer);
        for (JsonNode field : answer.path("configs")) {
            if (setting.equals(field.path("value").path("name").asText()) && !field.path("value").path("errors").isEmpty()) {
                return;
            }
        }
        missed.add(connector + " " + setting + " with " + what);
    }

    /** Records the sinks cannot map go to their DLQ with the reason; good records around them still flow. */
    private void deadLettered() throws Exception {
        Map.Entry<String, String> good = ReliabilitySuiteIT.purchaseOrder("GOOD-1");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(PurchaseOrderRecords.purchaseOrderWithoutNumber("BAD-1").getKey(),
                PurchaseOrderRecords.purchaseOrderWithoutNumber("BAD-1").getValue());
        bad.put(ReliabilitySuiteIT.purchaseOrder("BAD-2").getKey(), "{\"schema\": {\"type\": \"struct\"");
        bad.put(ReliabilitySuiteIT.purchaseOrder("BAD-3").getKey(),
                ReliabilitySuiteIT.purchaseOrder("BAD-3").getValue().replace("\"currency\":\"EUR\",", ""));
        List<Map.Entry<String, String>> records = new ArrayList<>(bad.entrySet());
        records.add(good);
        cluster.topics().produceAll(PipelineRun.PURCHASE_ORDERS, records);
        cases += bad.size();
        List<ConsumerRecord<String, String>> dead = cluster.topics().read(ASANA_DLQ, bad.size(), Duration.ofSeconds(60));
        for (String key : bad.keySet()) {
            if (dead.stream().noneMatch(r -> key.equals(r.key()) && hasReason(r))) {
                missed.add("Asana sink record " + key + " not dead-lettered with a reason");
            }
        }
        Await.until("the good record's task", Duration.ofSeconds(60),
                () -> run.tasksByPurchaseOrder().containsKey("GOOD-1"));

        cases++;
        cluster.topics().produce(PipelineRun.TASK_EVENTS, "{\"schema\":null,\"payload\":\"BAD-4\"}", "{\"payload\": [");
        List<ConsumerRecord<String, String>> deadEvents = cluster.topics().read(INFOR_DLQ, 1, Duration.ofSeconds(60));
        if (deadEvents.stream().noneMatch(r -> r.key() != null && r.key().contains("BAD-4") && hasReason(r))) {
            missed.add("Infor sink record BAD-4 not dead-lettered with a reason");
        }
    }

    private static boolean hasReason(ConsumerRecord<String, String> record) {
        var header = record.headers().lastHeader("__connect.errors.exception.message");
        if (header == null) {
            header = record.headers().lastHeader("__connect.errors.exception.class.name");
        }
        return header != null && !new String(header.value(), StandardCharsets.UTF_8).isBlank();
    }

    private static String without(JsonNode ionapi, String... fields) {
        var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) ionapi).deepCopy();
        for (String field : fields) {
            copy.remove(field);
        }
        return copy.toString();
    }
}
