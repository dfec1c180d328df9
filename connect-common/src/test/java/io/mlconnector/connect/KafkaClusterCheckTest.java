package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

/** A connector's own Kafka setting that names no answering cluster fails validate on that setting, with the fix. */
class KafkaClusterCheckTest {

    private static final ConfigDef DEF = new ConfigDef()
            .define("ledger.bootstrap.servers", Type.LIST, Importance.HIGH, "ledger")
            .define("audit.bootstrap.servers", Type.LIST, "", Importance.HIGH, "audit")
            .define("other", Type.STRING, "", Importance.LOW, "other");

    private static final Map<String, String> SETTINGS = Map.of("ledger.bootstrap.servers", "ledger.client.",
            "audit.bootstrap.servers", "audit.producer.");

    private static Map<String, List<String>> validate(Map<String, String> config, Duration timeout) {
        LiveValidation validation = LiveValidation.of(new org.apache.kafka.common.config.Config(DEF.validate(config)));
        KafkaClusterCheck.check(validation, config, SETTINGS, timeout);
        return validation.result().configValues().stream().collect(java.util.stream.Collectors.toMap(
                v -> v.name(), v -> v.errorMessages()));
    }

    /** A 127.0.0.1 port nothing listens on (bound, then released). */
    private static String deadAddress() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static void assertActionable(String error, String servers, String clientPrefix) {
        assertTrue(error.contains(servers), error);
        assertTrue(error.contains("Connect cluster's own bootstrap servers"), error);
        assertTrue(error.contains("${env:CONNECT_BOOTSTRAP_SERVERS}"), error);
        assertTrue(error.contains("config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider"), error);
        assertTrue(error.contains("under " + clientPrefix + "*"), error);
    }

    @Test
    void aPortNothingListensOnFailsOnTheNamedSettingAtOnce() throws Exception {
        String dead = deadAddress();
        long start = System.nanoTime();
        Map<String, List<String>> errors = validate(Map.of("ledger.bootstrap.servers", dead), KafkaClusterCheck.TIMEOUT);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertEquals(1, errors.get("ledger.bootstrap.servers").size(), errors.toString());
        String error = errors.get("ledger.bootstrap.servers").get(0);
        assertTrue(error.startsWith("no Kafka broker listens at " + dead), error);
        assertActionable(error, dead, "ledger.client.");
        assertEquals(List.of(), errors.get("audit.bootstrap.servers"), "an empty setting is not checked");
        assertEquals(List.of(), errors.get("other"));
        assertTrue(millis < 3000, "a refused connection needs no timeout: " + millis + " ms");
    }

    @Test
    void aListenerThatIsNoKafkaFailsAfterTheTimeoutOnEverySettingNamingIt() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + silent.getLocalPort();
            long start = System.nanoTime();
            Map<String, List<String>> errors = validate(Map.of("ledger.bootstrap.servers", address,
                    "audit.bootstrap.servers", " " + address + " "), Duration.ofSeconds(1));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            String ledger = errors.get("ledger.bootstrap.servers").get(0);
            assertTrue(ledger.startsWith("no Kafka cluster answered at " + address + " within 1 s"), ledger);
            assertActionable(ledger, address, "ledger.client.");
            assertActionable(errors.get("audit.bootstrap.servers").get(0), address, "audit.producer.");
            assertTrue(millis < 6000, "the same cluster is asked once, within the timeout: " + millis + " ms");
        }
    }

    @Test
    void aPlaceholderTheWorkerDidNotResolveIsNamedWithoutANetworkCall() {
        Map<String, List<String>> errors = validate(Map.of("ledger.bootstrap.servers", "${env:CONNECT_BOOTSTRAP_SERVERS}"),
                Duration.ofSeconds(1));
        String error = errors.get("ledger.bootstrap.servers").get(0);
        assertTrue(error.startsWith("${env:CONNECT_BOOTSTRAP_SERVERS} was not resolved by the worker"), error);
        assertActionable(error, "${env:CONNECT_BOOTSTRAP_SERVERS}", "ledger.client.");
    }

    @Test
    void anUnknownHostFailsWithoutWaiting() {
        Map<String, List<String>> errors = validate(Map.of("ledger.bootstrap.servers", "kafka-1.invalid:9092"),
                KafkaClusterCheck.TIMEOUT);
        String error = errors.get("ledger.bootstrap.servers").get(0);
        assertTrue(error.startsWith("no Kafka broker listens at kafka-1.invalid:9092 (kafka-1.invalid:9092: unknown host)"), error);
    }
}
