package io.mlconnector.bench;

import io.mlconnector.it.Await;
import io.mlconnector.it.KafkaConnectCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Waiting on topics and formatting figures, shared by the benchmarks. */
final class Bench {

    private Bench() {
    }

    static long endOffset(KafkaConnectCluster cluster, String topic) throws Exception {
        return cluster.topics().endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until the topic holds {@code count} records; returns when it did, to within 20 ms. */
    static Instant awaitEndOffset(KafkaConnectCluster cluster, String topic, long count, Duration timeout) throws Exception {
        return Await.timed(topic + " to hold " + count + " records", timeout, Duration.ofMillis(20),
                () -> endOffset(cluster, topic) >= count);
    }

    static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    static String millis(double ms) {
        return String.format(Locale.ROOT, "%,.0f ms", ms);
    }
}
