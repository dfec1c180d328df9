package io.mlconnector.it;

import java.nio.file.Path;

/**
 * The README's demo command: a single-node Kafka broker and a Connect worker with the four plugins
 * installed, running until Ctrl-C, which stops everything it started.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(System.getProperty("mlconnector.work", ".demo")).resolve("run-" + System.currentTimeMillis());
        KafkaConnectCluster cluster = KafkaConnectCluster.forProject(workDir).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Kafka and Connect ...");
            cluster.close();
        }, "demo-shutdown"));
        System.out.println("Starting a Kafka broker and a Connect worker with the ml-connector plugins ...");
        cluster.start();
        System.out.printf("Ready in %.1f s.%n", cluster.startupTime().toMillis() / 1000.0);
        System.out.println("  Kafka bootstrap servers: " + cluster.bootstrapServers());
        System.out.println("  Connect REST API:        " + cluster.connectUrl());
        System.out.println("  Logs:                    " + cluster.workDir().toAbsolutePath());
        System.out.println("Installed connector plugins:");
        cluster.rest().connectorPlugins().forEach(plugin -> System.out.printf("  %-6s %s %s%n",
                plugin.path("type").asText(), plugin.path("class").asText(), plugin.path("version").asText()));
        System.out.println("Try: curl -s " + cluster.connectUrl() + "/connector-plugins");
        System.out.println("Press Ctrl-C to stop.");
        Thread.currentThread().join();
    }
}
