package io.mlconnector.connect;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a task's gauges with the worker's metrics (JMX group "plugins", tagged with connector and
 * task). Plugin metrics arrived in Kafka 4.1 (KIP-877); on older workers the gauges are skipped with
 * one log line and the task runs as usual. The worker's {@code pluginMetrics()} is looked up, never
 * linked: a method reference to it fails where it is written, on a worker that lacks it.
 */
public final class TaskMetrics {

    private static final Logger log = LoggerFactory.getLogger(TaskMetrics.class);

    /** A PluginMetrics on workers that have them; typed Object so this class loads on older workers. */
    private final Object metrics;

    private TaskMetrics(Object metrics) {
        this.metrics = metrics;
    }

    /** @param taskContext the task's SourceTaskContext or SinkTaskContext */
    public static TaskMetrics from(Object taskContext) {
        for (Class<?> contextType : List.of(SinkTaskContext.class, SourceTaskContext.class)) {
            if (!contextType.isInstance(taskContext)) {
                continue;
            }
            try {
                Method pluginMetrics = contextType.getMethod("pluginMetrics");
                return new TaskMetrics(pluginMetrics.invoke(taskContext));
            } catch (NoSuchMethodException | LinkageError olderWorker) {
                break;
            } catch (IllegalAccessException | InvocationTargetException e) {
                log.warn("The worker's plugin metrics could not be reached; the connector's own metrics are off", e);
                return new TaskMetrics(null);
            }
        }
        log.info("This worker predates plugin metrics (Kafka 4.1); the connector's own metrics are off");
        return new TaskMetrics(null);
    }

    /**
     * Adds a gauge read on each metrics report; the worker removes it when the task stops. A metric never fails the
     * task: when the worker refuses one, the task runs without it.
     */
    public TaskMetrics gauge(String name, String description, Supplier<? extends Number> value) {
        if (metrics != null) {
            try {
                Kip877.add(metrics, name, description, value);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // A restarted task whose previous instance has not stopped yet (it is still in a call) finds that
                // instance's metrics registered; the worker removes them only when it ends.
                log.warn("The worker refused the task's metric {} ({}); the task runs without it", name, e.getMessage());
            }
        }
        return this;
    }

    /** Loaded only where the worker has plugin metrics. */
    private static final class Kip877 {
        static void add(Object metrics, String name, String description, Supplier<? extends Number> value) {
            PluginMetrics plugin = (PluginMetrics) metrics;
            plugin.addMetric(plugin.metricName(name, description, new LinkedHashMap<>()),
                    (Gauge<Number>) (config, now) -> value.get());
        }
    }
}
