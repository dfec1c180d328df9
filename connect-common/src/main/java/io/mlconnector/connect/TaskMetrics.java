package io.mlconnector.connect;

import java.util.LinkedHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a task's gauges with the worker's metrics (JMX group "plugins", tagged with connector and
 * task). Plugin metrics arrived in Kafka 4.1 (KIP-877); on older workers the gauges are skipped with
 * one log line and the task runs as usual.
 */
public final class TaskMetrics {

    private static final Logger log = LoggerFactory.getLogger(TaskMetrics.class);

    private final PluginMetrics metrics;

    private TaskMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** @param context e.g. {@code context::pluginMetrics} of a SourceTaskContext or SinkTaskContext */
    public static TaskMetrics from(Supplier<PluginMetrics> context) {
        try {
            return new TaskMetrics(context.get());
        } catch (LinkageError olderWorker) {
            log.info("This worker predates plugin metrics (Kafka 4.1); the connector's own metrics are off");
            return new TaskMetrics(null);
        }
    }

    /** Adds a gauge read on each metrics report; the worker removes it when the task stops. */
    public TaskMetrics gauge(String name, String description, Supplier<? extends Number> value) {
        if (metrics != null) {
            metrics.addMetric(metrics.metricName(name, description, new LinkedHashMap<>()),
                    (Gauge<Number>) (config, now) -> value.get());
        }
        return this;
    }
}
