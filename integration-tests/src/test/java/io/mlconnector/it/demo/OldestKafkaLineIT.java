package io.mlconnector.it.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.ProjectLayout;
import io.mlconnector.it.SharedCluster;
import org.junit.jupiter.api.Test;

/**
 * The full loop of {@link FullLoopIT} on a stock Kafka 3.9 broker and Connect worker (kafka-runtime-3.9), the
 * oldest line the plugins claim: all four plugins loaded from their archives on a worker without plugin metrics
 * (KIP-877 came in 4.1), each doing its part of the loop.
 */
class OldestKafkaLineIT {

    @Test
    void theFullLoopRunsOnAKafka39Worker() throws Exception {
        try (KafkaConnectCluster cluster = KafkaConnectCluster.forProject(SharedCluster.workDir("kafka-3.9"),
                ProjectLayout.locate().oldestKafkaLib()).reachSimulators().build()) {
            cluster.start();
            String version = cluster.rest().root().path("version").asText();
            assertTrue(version.startsWith("3.9."), "the worker runs Kafka " + version);
            FullLoopIT.loop(cluster);
        }
    }
}
