package io.mlconnector.it.infor.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An ION simulator in the test JVM, the .ionapi file the example configs read through the worker's
 * DirectoryConfigProvider, and ways to read what the connector wrote.
 */
public record InforUnderTest(KafkaConnectCluster cluster, IonSimulator sim, Path secretsDir) implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final String PREFIX = "infor.ACME_TST.";
    static final List<String> TOPICS = List.of(PREFIX + "purchase-orders", PREFIX + "supplier-invoices",
            PREFIX + "suppliers", PREFIX + "gl-accounts", PREFIX + "data-errors");

    public static InforUnderTest start(KafkaConnectCluster cluster, IonSimulatorConfig config) throws Exception {
        IonSimulator sim = IonSimulator.start(config);
        Path dir = Files.createDirectories(cluster.workDir().resolve("infor-secrets-" + UUID.randomUUID()));
        Files.createDirectories(dir.resolve("ionapi"));
        Files.writeString(dir.resolve("ionapi").resolve(sim.tenant() + ".ionapi"), sim.ionApiJson());
        cluster.topics().recreate(1, TOPICS.toArray(String[]::new));
        return new InforUnderTest(cluster, sim, dir);
    }

    /** The example, verbatim but for where the .ionapi file lives (the file itself names the simulator). */
    public Map<String, String> exampleConfig(String example) {
        return ExampleConfig.load(example).secretsDir(secretsDir).toMap();
    }

    /** Every record of the topic so far, read committed, once the end offset stops moving. */
    List<ConsumerRecord<String, String>> readAll(String topic) throws Exception {
        long end = endOffset(topic);
        return cluster.topics().read(topic, (int) end, Duration.ofSeconds(5 + end / 20_000));
    }

    public long endOffset(String topic) throws Exception {
        return cluster.topics().endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until the topic's end offset reaches {@code count}; returns when it did. */
    public Instant awaitEndOffset(String topic, long count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (endOffset(topic) < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(topic + " has " + endOffset(topic) + " records, not " + count + ", after " + timeout);
            }
            Thread.sleep(200);
        }
        return Instant.now();
    }

    /** Waits until the topic holds {@code distinct} different keys (reading from {@code from} on). */
    Map<String, Integer> awaitDistinct(String topic, long from, int distinct, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Map<String, Integer> seen = versions(readAll(topic).stream().filter(r -> r.offset() >= from).toList());
            if (seen.size() >= distinct || Instant.now().isAfter(deadline)) {
                return seen;
            }
            Thread.sleep(2_000);
        }
    }

    /** Key ({@code company/number}) to how many times it was written. */
    public static Map<String, Integer> versions(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> count = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            count.merge(keyOf(r), 1, Integer::sum);
        }
        return count;
    }

    static String keyOf(ConsumerRecord<String, String> r) {
        JsonNode key = payload(r.key());
        return key.get("company").asText() + "/" + key.get("number").asText();
    }

    static JsonNode payload(String json) {
        try {
            return JSON.readTree(json).get("payload");
        } catch (Exception e) {
            throw new AssertionError("not JSON with a schema envelope: " + json, e);
        }
    }

    static Map<String, List<ConsumerRecord<String, String>>> byKey(List<ConsumerRecord<String, String>> records) {
        return records.stream().collect(Collectors.groupingBy(InforUnderTest::keyOf));
    }

    /**
     * A partition exactly as GET /connectors/{name}/offsets shows it. Connect finds offsets by the serialized
     * partition, so a PATCH must list its keys in the stored order: users copy it from the GET, and so does this.
     */
    static JsonNode partition(ConnectRest rest, String connector, String entity, String company, String division) {
        for (JsonNode entry : rest.offsets(connector).path("offsets")) {
            JsonNode p = entry.get("partition");
            if (p.path("entity").asText().equals(entity) && p.path("company").asText().equals(company)
                    && p.path("division").asText().equals(division)) {
                return p;
            }
        }
        throw new AssertionError("no stored offset for " + entity + " of " + company + "/" + division);
    }

    /** A call to the simulator's control API. */
    JsonNode control(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        sim.close();
    }
}
