package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

/** Metrics registration works where the worker has plugin metrics, and is skipped, not fatal, where it has not. */
class TaskMetricsTest {

    @Test
    void aContextWithoutPluginMetricsTurnsTheGaugesOff() {
        AtomicInteger read = new AtomicInteger();
        // a worker's context of Kafka 3.9: no pluginMetrics() (here: not a task context at all)
        TaskMetrics metrics = TaskMetrics.from(new Object()).gauge("g", "a gauge", read::incrementAndGet);
        assertEquals(0, read.get());
        assertTrue(metrics != null);
    }

    @Test
    void aContextWhosePluginMetricsFailsTurnsTheGaugesOffToo() {
        // a SinkTaskContext whose pluginMetrics() throws as a 3.9 worker's would: NoSuchMethodError
        SinkTaskContext older = (SinkTaskContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SinkTaskContext.class}, (proxy, method, args) -> {
                    throw new NoSuchMethodError(method.getName());
                });
        TaskMetrics.from(older).gauge("g", "a gauge", () -> 1);
    }

    @Test
    void aMetricStillHeldByThePreviousInstanceOfTheTaskDoesNotFailTheNewOne() {
        try (Metrics worker = new Metrics()) {
            Map<String, String> tags = Map.of("connector", "c", "task", "0");
            PluginMetricsImpl previous = new PluginMetricsImpl(worker, tags);
            PluginMetricsImpl restarted = new PluginMetricsImpl(worker, tags);
            TaskMetrics.from(contextWith(previous)).gauge("g", "a gauge", () -> 1);
            // The previous instance is still in a call and has not stopped: its "g" is still registered.
            TaskMetrics.from(contextWith(restarted)).gauge("g", "a gauge", () -> 2).gauge("h", "another", () -> 3);
            assertEquals(1, worker.metric(previous.metricName("g", "a gauge", new LinkedHashMap<>())).metricValue());
            assertEquals(3, worker.metric(restarted.metricName("h", "another", new LinkedHashMap<>())).metricValue());
        }
    }

    private static SinkTaskContext contextWith(PluginMetricsImpl metrics) {
        return (SinkTaskContext) Proxy.newProxyInstance(TaskMetricsTest.class.getClassLoader(),
                new Class<?>[] {SinkTaskContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("pluginMetrics")) {
                        return metrics;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
