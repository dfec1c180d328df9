package io.mlconnector.it.demo;

import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The CloudSuite tenant and Asana workspace the demo connects: simulators, or the real services. */
interface DemoSystems extends AutoCloseable {

    /** One line saying what runs, for the console. */
    String describe();

    /** The tenant id, which names the topics (infor.<tenant>.<entity>). */
    String tenant();

    /** Per connector, the host/port substitutions its example config needs here. */
    Map<String, UnaryOperator<ExampleConfig>> locations(KafkaConnectCluster cluster);

    /** Completes the next open approval task as a reviewer would; what it was for, or empty when there is none. */
    Optional<String> approveNextTask();

    @Override
    void close();
}
