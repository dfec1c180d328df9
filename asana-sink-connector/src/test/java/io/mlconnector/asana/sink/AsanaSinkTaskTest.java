package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.common.FaultRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink task's put() against the Asana simulator: transient failures are retried, never dropped. */
class AsanaSinkTaskTest {

    private final AsanaSimulator sim = start();
    private final AsanaSinkTask task = new AsanaSinkTask((settings, clientId) -> new MemoryLedger());

    @AfterEach
    void stop() {
        task.stop();
        java.util.List<String> problems = sim.answerProblems();
        sim.close();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), problems, "answers that broke the spec");
    }

    @Test
    void aTransientFailureAddingAnEnumOptionRedeliversTheRecordInsteadOfDroppingIt() {
        String token = "pat-" + UUID.randomUUID();
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
        task.initialize(new Context());
        task.start(settings(token, seeded));
        sim.server().faults().add(FaultRule.status("asana.createEnumOptionForCustomField", 503, 1));

        List<SinkRecord> batch = List.of(
                PurchaseOrderRecords.purchaseOrder("4000000001", "100.00", "A supplier new to the field"));
        assertThrows(RetriableException.class, () -> task.put(batch));
        assertEquals(0, sim.taskCount());

        task.put(batch);
        assertEquals(1, sim.taskCount(), "the redelivered record became its task");
    }

    @Test
    void aTombstoneOfADeletedDocumentLeavesItsTaskAndGoesNowhere() {
        String token = "pat-" + UUID.randomUUID();
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
        task.initialize(new Context());
        task.start(settings(token, seeded));
        SinkRecord order = PurchaseOrderRecords.purchaseOrder("4000000002", "100.00", "Nord");
        task.put(List.of(order));
        assertEquals(1, sim.taskCount());

        SinkRecord tombstone = new SinkRecord(order.topic(), 0, null, order.key(), null, null, 2);
        task.put(List.of(tombstone));
        assertEquals(1, sim.taskCount(), "the task stays; no exception, so nothing went to the dead letter queue");
    }

    private static AsanaSimulator start() {
        try {
            return AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)).withAnswerChecks());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, String> settings(String token, Map<String, Object> seeded) {
        Map<String, String> props = new HashMap<>();
        props.put("asana.token", token);
        props.put("asana.base.url", sim.apiUrl());
        props.put("asana.workspace.gid", (String) seeded.get("workspace"));
        props.put("asana.project.gid", (String) seeded.get("project"));
        props.put("custom.fields", "PO number=${number},Amount=${amount},Supplier=${supplier_name}");
        props.put("upsert.key.custom.field", "PO number");
        props.put("upsert.key.template", "${number}");
        props.put("retry.backoff.ms", "100");
        props.put("ledger.bootstrap.servers", "unused:9092");
        return props;
    }


    /** What put() uses of the worker's context: no DLQ, no metrics. */
    private static final class Context implements SinkTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of();
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
