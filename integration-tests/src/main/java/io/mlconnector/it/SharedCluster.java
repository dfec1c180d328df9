package io.mlconnector.it;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link KafkaConnectCluster} for the whole test run: started on first use, stopped
 * when the run ends, whether the tests passed or not. Use with {@code @ExtendWith(SharedCluster.class)}
 * and a {@code KafkaConnectCluster} parameter.
 */
public final class SharedCluster implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaConnectCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> start(), Running.class)
                .cluster;
    }

    private static Running start() {
        KafkaConnectCluster cluster = KafkaConnectCluster.forProject(workDir("shared")).reachSimulators().build();
        try {
            cluster.start();
        } catch (Exception | AssertionError e) { // a start-up wait that timed out is an AssertionError
            cluster.close();
            throw new IllegalStateException("the shared Kafka + Connect cluster did not start", e);
        }
        System.out.printf("Kafka + Connect cluster ready in %d ms: %s, REST %s, logs in %s%n",
                cluster.startupTime().toMillis(), cluster.bootstrapServers(), cluster.connectUrl(), cluster.workDir());
        return new Running(cluster);
    }

    /** A fresh directory under {@code mlconnector.work} (failsafe sets it to target/it-cluster). */
    public static Path workDir(String name) {
        String base = System.getProperty("mlconnector.work", "target/it-cluster");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        return Path.of(base, name + "-" + stamp);
    }

    private record Running(KafkaConnectCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
