package io.mlconnector.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class ListenerSettingsTest {

    private static final ListenerSettings.Endpoint ENDPOINT = new ListenerSettings.Endpoint("ION", 8091, "/ims/service",
            "Base path.", 8_388_608, 20_000L, "", "waits for Kafka", 32, "docs/x.md");

    private static ConfigDef def() {
        ConfigDef def = new ConfigDef();
        int last = ListenerSettings.define(def, "Endpoint", 0, ENDPOINT, order -> {
            def.define("own.setting", Type.INT, 1, Importance.LOW, "In between.", "Endpoint", ++order,
                    ConfigDef.Width.SHORT, "Own");
            return order;
        });
        assertEquals(14, last, "13 listener settings and one of the connector's own");
        return def;
    }

    @Test
    void theEndpointsDefaultsAndTheConnectorsOwnSettingTakeTheirPlaces() {
        ConfigDef def = def();
        AbstractConfig config = new AbstractConfig(def, Map.of());
        assertEquals(new ListenerLimits(256, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(20),
                8_388_608, 32, 64), ListenerSettings.limits(config));
        assertEquals(8091, ListenerSettings.address(config).getPort());
        assertEquals("/ims/service", config.getString(ListenerSettings.PATH));
        assertEquals(5, def.configKeys().get("own.setting").orderInGroup, "right after the body limit");
        assertTrue(def.configKeys().get(ListenerSettings.PORT).documentation.contains("ION's requests"));
        assertNull(ListenerSettings.tls(config), "no keystore: plain HTTP");
    }

    @Test
    void aKeystoreThatCannotBeReadFailsNamingItsPathButNotItsPassword() {
        AbstractConfig config = new AbstractConfig(def(), Map.of(ListenerSettings.KEYSTORE_PATH, "/nonexistent/ks.p12",
                ListenerSettings.KEYSTORE_PASSWORD, "hunter2-secret"));
        ConnectException e = assertThrows(ConnectException.class, () -> ListenerSettings.tls(config));
        assertTrue(e.getMessage().contains("/nonexistent/ks.p12"), e.getMessage());
        assertTrue(List.of(e.getMessage()).stream().noneMatch(m -> m.contains("hunter2")));
    }
}
