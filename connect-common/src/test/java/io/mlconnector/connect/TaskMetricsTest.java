package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
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
}
