package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.asana.AsanaSimulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * Validate asks the ledger's Kafka cluster too, and a wrong one fails on ledger.bootstrap.servers only; an OAuth
 * grant is checked on the setting that is missing or wrong.
 */
class AsanaSinkValidateTest {

    @Test
    void anOAuthGrantIsCheckedOnTheSettingThatIsWrong() throws Exception {
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            Map<String, Object> seeded = sim.seedPurchaseOrderProject("pat-" + UUID.randomUUID());
            Map<String, String> props = new HashMap<>();
            props.put("asana.token.type", "OAUTH");
            props.put("asana.base.url", sim.apiUrl());
            props.put("asana.workspace.gid", (String) seeded.get("workspace"));
            props.put("asana.project.gid", (String) seeded.get("project"));
            props.put("custom.fields", "PO number=${number},Amount=${amount},Supplier=${supplier_name}");
            props.put("ledger.bootstrap.servers", deadBroker());

            Map<String, List<String>> accessTokenOnly = errors(props, Map.of("asana.token", "an-access-token"));
            assertTrue(accessTokenOnly.get("asana.oauth.refresh.token").get(0).startsWith(
                    "OAuth needs the refresh token, because an access token expires"), accessTokenOnly.toString());

            String refresh = sim.addRefreshToken((String) seeded.get("user"));
            Map<String, List<String>> noSecret = errors(props, Map.of("asana.oauth.refresh.token", refresh,
                    "asana.oauth.client.id", sim.oauthClientId(), "asana.oauth.token.url", sim.tokenUrl()));
            assertTrue(noSecret.containsKey("asana.oauth.client.secret"), noSecret.toString());

            Map<String, String> grant = Map.of("asana.oauth.refresh.token", refresh,
                    "asana.oauth.client.id", sim.oauthClientId(), "asana.oauth.client.secret", sim.oauthClientSecret(),
                    "asana.oauth.token.url", sim.tokenUrl());
            assertEquals(List.of("ledger.bootstrap.servers"), List.copyOf(errors(props, grant).keySet()),
                    "a working grant leaves only the dead ledger cluster to fix");
            assertEquals(1, sim.log().calls("asana.oauth_token", 200));

            Map<String, String> foreign = new HashMap<>(grant);
            foreign.put("asana.oauth.token.url", "https://collector.example/-/oauth_token");
            assertTrue(errors(props, foreign).get("asana.oauth.token.url").get(0).contains("not an Asana host"));
            assertEquals(1, sim.log().calls("asana.oauth_token"), "the secret went nowhere");
        }
    }

    private static Map<String, List<String>> errors(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(base);
        props.putAll(extra);
        return new AsanaSinkConnector().validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    private static String deadBroker() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void aLedgerClusterThatDoesNotAnswerFailsOnItsSettingWithTheFix() throws Exception {
        String dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = "127.0.0.1:" + socket.getLocalPort();
        }
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            String token = "pat-" + UUID.randomUUID();
            Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
            Map<String, String> props = new HashMap<>();
            props.put("asana.token", token);
            props.put("asana.base.url", sim.apiUrl());
            props.put("asana.workspace.gid", (String) seeded.get("workspace"));
            props.put("asana.project.gid", (String) seeded.get("project"));
            props.put("custom.fields", "PO number=${number},Amount=${amount},Supplier=${supplier_name}");
            props.put("upsert.key.custom.field", "PO number");
            props.put("upsert.key.template", "${number}");
            props.put("ledger.bootstrap.servers", dead);

            Map<String, List<String>> errors = new AsanaSinkConnector().validate(props).configValues().stream()
                    .filter(v -> !v.errorMessages().isEmpty())
                    .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));

            assertEquals(List.of("ledger.bootstrap.servers"), List.copyOf(errors.keySet()), errors.toString());
            String error = errors.get("ledger.bootstrap.servers").get(0);
            assertTrue(error.startsWith("no Kafka broker listens at " + dead), error);
            assertTrue(error.contains("Connect cluster's own bootstrap servers") && error.contains("${env:CONNECT_BOOTSTRAP_SERVERS}")
                    && error.contains("ledger.client.*"), error);
        }
    }
}
