package io.mlconnector.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** Validate asks the ledger's and the audit log's Kafka clusters; one that does not answer fails on its own setting. */
class InforSinkValidateTest {

    @Test
    void kafkaSettingsThatNameNoClusterFailOnTheirOwnSettingsWithTheFix() throws Exception {
        String dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = "127.0.0.1:" + socket.getLocalPort();
        }
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 10))) {
            Map<String, String> props = new HashMap<>();
            props.put("ion.credentials", sim.ionApiJson());
            props.put("infor.backend", "SYTELINE");
            props.put("syteline.mongoose.config", sim.tenant() + "_DALS");
            props.put("writeback.approvers", "any-member");
            props.put("writeback.rules", "log");
            props.put("writeback.rule.log.when", "completed");
            props.put("writeback.rule.log.action", "audit");
            props.put("ledger.bootstrap.servers", dead);
            props.put("audit.bootstrap.servers", dead);

            Map<String, List<String>> errors = new InforSinkConnector().validate(props).configValues().stream()
                    .filter(v -> !v.errorMessages().isEmpty())
                    .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages, (a, b) -> a, TreeMap::new));

            assertEquals(List.of("audit.bootstrap.servers", "ledger.bootstrap.servers"), List.copyOf(errors.keySet()), errors.toString());
            String ledger = errors.get("ledger.bootstrap.servers").get(0);
            String audit = errors.get("audit.bootstrap.servers").get(0);
            assertTrue(ledger.startsWith("no Kafka broker listens at " + dead), ledger);
            assertTrue(audit.startsWith("no Kafka broker listens at " + dead), audit);
            for (String error : List.of(ledger, audit)) {
                assertTrue(error.contains("Connect cluster's own bootstrap servers") && error.contains("${env:CONNECT_BOOTSTRAP_SERVERS}"), error);
            }
            assertTrue(ledger.contains("under ledger.client.*"), ledger);
            assertTrue(audit.contains("under audit.producer.*"), audit);
        }
    }
}
