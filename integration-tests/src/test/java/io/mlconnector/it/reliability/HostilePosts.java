package io.mlconnector.it.reliability;

import io.mlconnector.asana.WebhookSignature;
import io.mlconnector.it.Await;
import io.mlconnector.it.KafkaConnectCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * POSTs at the webhook endpoint what an attacker or a broken proxy would send: forged and missing
 * signatures, replays of a genuine delivery, bodies over the size limit, and signed bodies that are
 * not Asana's JSON. Only the genuine deliveries may become records.
 */
final class HostilePosts {

    /**
     * @param posts          POSTs sent, genuine ones included
     * @param extraRecords   records beyond the genuine deliveries (a replay or forgery got through)
     * @param misanswered    hostile POSTs not refused with the expected status
     * @param genuineMissing genuine deliveries that did not become a record
     */
    record Outcome(long posts, long extraRecords, long misanswered, long genuineMissing, String detail) {
    }

    private static final int MAX_BODY_BYTES = 1_048_576;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String secret;
    private final String user;
    private final Random random = new Random(20261127);
    private final Map<String, int[]> tally = new LinkedHashMap<>();
    private long posts;
    private long misanswered;

    HostilePosts(String endpoint, String secret, String user) {
        this.endpoint = URI.create(endpoint);
        this.secret = secret;
        this.user = user;
    }

    Outcome send(KafkaConnectCluster cluster, String topic, String taskGid, int each) throws Exception {
        long before = cluster.topics().size(topic);
        byte[] genuine = event(taskGid, Instant.now());
        expect("genuine", post(genuine, WebhookSignature.compute(secret, genuine)), Set.of(200));
        Await.until("the genuine delivery in Kafka", Duration.ofSeconds(30), () -> size(cluster, topic) >= before + 1);

        for (int i = 0; i < each; i++) {
            byte[] body = event(taskGid, Instant.now().plusMillis(i + 1));
            expect("forged", post(body, WebhookSignature.compute("guessed-" + i, body)), Set.of(401));
            expect("unsigned", post(body, null), Set.of(401));
            expect("replayed", post(genuine, WebhookSignature.compute(secret, genuine)), Set.of(200));
            byte[] fuzzed = fuzz(genuine, i);
            expect("fuzzed", post(fuzzed, WebhookSignature.compute(secret, fuzzed)), Set.of(400));
        }
        byte[] oversized = new byte[MAX_BODY_BYTES + 1];
        Arrays.fill(oversized, (byte) ' ');
        for (int i = 0; i < Math.min(each, 20); i++) {
            // 413 is sent before the body is read; the connection then closes under a client still
            // sending, which it may see as a reset (-1) instead: refused either way, and nothing read
            expect("oversized", post(oversized, WebhookSignature.compute(secret, oversized)), Set.of(413, -1));
        }
        // The endpoint still takes genuine deliveries after all that. This one is also the barrier: a POST is answered
        // only once Kafka has what it produced, so when this last one is answered, anything a hostile POST before it
        // let through is on the topic too.
        byte[] after = event(taskGid, Instant.now().plusSeconds(60));
        expect("genuine", post(after, WebhookSignature.compute(secret, after)), Set.of(200));
        Await.until("the last genuine delivery in Kafka", Duration.ofSeconds(30), () -> size(cluster, topic) >= before + 2);

        long records = size(cluster, topic) - before;
        StringBuilder detail = new StringBuilder();
        tally.forEach((kind, counts) -> detail.append(detail.length() == 0 ? "" : ", ")
                .append(counts[0]).append(' ').append(kind).append(" (").append(counts[1]).append(" as expected)"));
        detail.append("; records: ").append(records).append(" (2 genuine)");
        return new Outcome(posts, Math.max(0, records - 2), misanswered, Math.max(0, 2 - records), detail.toString());
    }

    private void expect(String kind, int status, Set<Integer> expected) {
        posts++;
        int[] counts = tally.computeIfAbsent(kind, k -> new int[2]);
        counts[0]++;
        if (expected.contains(status)) {
            counts[1]++;
        } else {
            misanswered++;
            System.out.println("hostile POSTs: a " + kind + " POST was answered " + status + ", expected " + expected);
        }
    }

    private int post(byte[] body, String signature) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hook-Signature", signature);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** An Asana task-changed delivery, as the simulator and Asana send it. */
    private byte[] event(String taskGid, Instant createdAt) {
        return ("{\"events\":[{\"user\":{\"gid\":\"" + user + "\",\"resource_type\":\"user\"},\"created_at\":\""
                + createdAt + "\",\"action\":\"changed\",\"resource\":{\"gid\":\"" + taskGid
                + "\",\"resource_type\":\"task\",\"resource_subtype\":\"default_task\"},\"parent\":null,"
                + "\"change\":{\"field\":\"name\",\"action\":\"changed\"}}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** A signed body that is not a delivery: cut short, noise, wrong shapes, or nested past any sane depth. */
    private byte[] fuzz(byte[] genuine, int round) {
        return switch (round % 6) {
            case 0 -> Arrays.copyOf(genuine, 1 + random.nextInt(genuine.length - 2));
            case 1 -> {
                byte[] noise = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(noise);
                noise[0] = '{';
                yield noise;
            }
            case 2 -> "{\"events\":\"none\"}".getBytes(StandardCharsets.UTF_8);
            case 3 -> "{\"events\":[1,true,\"x\"]}".getBytes(StandardCharsets.UTF_8);
            case 4 -> ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] broken = genuine.clone();
                broken[random.nextInt(broken.length)] = 0;
                yield broken;
            }
        };
    }

    private static long size(KafkaConnectCluster cluster, String topic) {
        try {
            return cluster.topics().size(topic);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
