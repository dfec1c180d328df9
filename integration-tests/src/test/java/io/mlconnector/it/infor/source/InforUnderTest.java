package io.mlconnector.it.infor.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.Await;
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
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** SyteLine's RecordDate, local to the tenant's zone. */
    private static final DateTimeFormatter IDO_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS");

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

    /** Every record of the topic so far, read committed. */
    List<ConsumerRecord<String, String>> readAll(String topic) {
        return cluster.topics().readToEnd(topic, Duration.ofSeconds(30));
    }

    public long endOffset(String topic) throws Exception {
        return cluster.topics().endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until the topic's end offset reaches {@code count}; returns when it did. */
    public Instant awaitEndOffset(String topic, long count, Duration timeout) throws Exception {
        Await.until(topic + " to hold " + count + " records", timeout, () -> endOffset(topic) >= count,
                () -> endOffset(topic) + " records");
        return Instant.now();
    }

    /** Waits until the topic holds {@code distinct} different keys (reading from {@code from} on). */
    Map<String, Integer> awaitDistinct(String topic, long from, int distinct, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        // cheap first: each key needs a record
        awaitEndOffset(topic, from + distinct, timeout);
        return Await.value(distinct + " different keys in " + topic + " from offset " + from,
                Duration.between(Instant.now(), deadline), () -> Optional.of(versionsFrom(topic, from))
                        .filter(seen -> seen.size() >= distinct),
                () -> versionsFrom(topic, from).size() + " keys");
    }

    private Map<String, Integer> versionsFrom(String topic, long from) {
        return versions(readAll(topic).stream().filter(r -> r.offset() >= from).toList());
    }

    /**
     * A change made upstream after the changes a test checks, to fence them off: the record of {@code key} stamped
     * {@code changedAt} (M3's LMTS, SyteLine's RecordDate, as the record's changed_at, in epoch milliseconds). The
     * source reads each of its partitions in change order, so anything it writes about earlier changes, a duplicate
     * included, is on the topic before the barrier of that partition.
     */
    public record Barrier(String key, long changedAt) {
        public boolean is(ConsumerRecord<String, String> record) {
            return keyOf(record).equals(key) && payload(record.value()).path("changed_at").asLong() == changedAt;
        }
    }

    /**
     * Saves the first row of {@code table} (MPHEAD, FAPIBH) in each division the M3 example reads, unchanged, as a user
     * pressing save would: M3 stamps it changed, so the source reads it again. One barrier per source partition.
     */
    public List<Barrier> m3Barriers(String table, String numberField) throws Exception {
        List<Barrier> barriers = new ArrayList<>();
        for (String division : exampleConfig("infor-source-m3.json").get("m3.divisions").split(",")) {
            String company = division.substring(0, division.indexOf('/'));
            String divi = division.substring(division.indexOf('/') + 1);
            JsonNode row = control("GET", "/_sim/m3/" + table + "?CONO=" + company + "&DIVI=" + divi + "&limit=1", null)
                    .get(0);
            String number = row.get(numberField).asText();
            JsonNode saved = control("PATCH", "/_sim/m3/" + table, Map.of("key", Map.of("CONO", company, "DIVI", divi,
                    numberField, number), "set", Map.of()));
            barriers.add(new Barrier(company + "/" + number, saved.get("LMTS").asLong()));
        }
        return barriers;
    }

    /** As {@link #m3Barriers}, for an IDO (SLPos) at each site the SyteLine example reads. */
    List<Barrier> syteLineBarriers(String ido, String numberProperty) throws Exception {
        Map<String, String> example = exampleConfig("infor-source-syteline.json");
        ZoneId zone = ZoneId.of(example.get("infor.timezone"));
        List<Barrier> barriers = new ArrayList<>();
        for (String site : example.get("syteline.sites").split(",")) {
            JsonNode row = control("GET", "/_sim/ido/" + site + "/" + ido, null).get(0);
            JsonNode saved = control("PATCH", "/_sim/ido/" + site + "/" + ido + "/" + row.get("RowPointer").asText(),
                    Map.of());
            long changedAt = LocalDateTime.parse(saved.get("RecordDate").asText(), IDO_STAMP).atZone(zone).toInstant()
                    .toEpochMilli();
            barriers.add(new Barrier(site + "/" + saved.get(numberProperty).asText(), changedAt));
        }
        return barriers;
    }

    /**
     * Waits until every barrier's record is on the topic and returns the records from offset {@code from} up to the
     * last barrier, the barriers left out: all the source wrote about the changes before them.
     */
    public List<ConsumerRecord<String, String>> readUpTo(String topic, long from, List<Barrier> barriers) throws Exception {
        List<ConsumerRecord<String, String>> read = cluster.topics().readThroughBarriers(topic, barriers.size(),
                r -> r.offset() >= from && barriers.stream().anyMatch(b -> b.is(r)), Duration.ofSeconds(60));
        List<ConsumerRecord<String, String>> before = new ArrayList<>();
        Set<Barrier> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : read) {
            if (r.offset() < from) {
                continue;
            }
            Optional<Barrier> barrier = barriers.stream().filter(b -> b.is(r)).findFirst();
            if (barrier.isEmpty()) {
                before.add(r);
            } else if (!seen.add(barrier.get())) {
                throw new AssertionError("the barrier " + barrier.get() + " was written twice");
            } else if (seen.size() == barriers.size()) {
                return before;
            }
        }
        throw new AssertionError("only the barriers " + seen + " of " + barriers + " were read");
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
