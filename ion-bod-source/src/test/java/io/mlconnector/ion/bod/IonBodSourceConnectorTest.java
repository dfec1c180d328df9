package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class IonBodSourceConnectorTest {

    private final IonBodSourceConnector connector = new IonBodSourceConnector();

    private static Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("ion.tenant", "ACME_PRD");
        props.put("infor.backend", "M3");
        props.put("ims.endpoint.url", "https://connect.example.com/ims/service");
        props.put("ims.oauth.consumer.key", "ion-key");
        props.put("ims.oauth.consumer.secret", "ion-secret");
        return props;
    }

    private Map<String, List<String>> errors(Map<String, String> props) {
        return connector.validate(props).configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aCompleteConfigValidates() {
        assertEquals(Map.of(), errors(props()));
    }

    @Test
    void eachSettingTheAuthenticationNeedsIsNamedWhenMissing() {
        Map<String, String> oauth = props();
        oauth.remove("ims.endpoint.url");
        oauth.remove("ims.oauth.consumer.secret");
        Map<String, List<String>> errors = errors(oauth);
        assertEquals(List.of("Missing required configuration \"ims.endpoint.url\" with ims.authentication=OAUTH1"),
                errors.get("ims.endpoint.url"));
        assertTrue(errors.containsKey("ims.oauth.consumer.secret"), errors.toString());

        Map<String, String> basic = props();
        basic.put("ims.authentication", "basic");
        basic.put("ims.basic.user", "gateway");
        assertEquals(List.of("Missing required configuration \"ims.basic.password\" with ims.authentication=BASIC"),
                errors(basic).get("ims.basic.password"));
        assertEquals(1, errors(basic).size(), "the OAuth settings are not needed then");
    }

    @Test
    void wrongValuesFailOnTheirOwnSettings() {
        Map<String, String> props = props();
        props.put("ims.documents", "Sync.PurchaseOrder,Sync.SalesOrder");
        props.put("ims.endpoint.url", "ftp://example.com");
        props.put("infor.timezone", "Mars/Olympus");
        Map<String, List<String>> errors = errors(props);
        assertTrue(errors.get("ims.documents").get(0).contains("'Sync.SalesOrder' is not taken"), errors.toString());
        assertTrue(errors.get("ims.endpoint.url").get(0).contains("absolute http(s) URL"), errors.toString());
        assertTrue(errors.containsKey("infor.timezone"), errors.toString());
    }

    @Test
    void anInflatedLimitBelowTheBodyLimitFailsOnItsSetting() {
        Map<String, String> props = props();
        props.put("ims.max.inflated.bytes", "4096");
        assertTrue(errors(props).get("ims.max.inflated.bytes").get(0).contains("listener.max.body.bytes"));
    }

    @Test
    void intervalTransactionsThatOutlastARequestAreRefused() {
        Map<String, String> props = props();
        props.put("transaction.boundary", "interval");
        assertTrue(errors(props).get("listener.request.timeout.ms").get(0).contains("every delivery would be answered 503"));
    }

    @Test
    void documentOffsetsMayBeResetOrSetButOthersAreRefused() {
        Map<String, Object> document = Map.of("protocol", "1", "tenant", "ACME_PRD", "entity", "purchase-orders",
                "company", "100", "number", "4000000001");
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(document, null);
        assertTrue(connector.alterOffsets(props(), offsets));
        offsets.put(document, Map.of("variation", 7, "message_id", "m7"));
        assertTrue(connector.alterOffsets(props(), offsets));

        offsets.put(document, Map.of("variation", "seven"));
        assertThrows(ConnectException.class, () -> connector.alterOffsets(props(), offsets));
        Map<Map<String, ?>, Map<String, ?>> foreign = new HashMap<>();
        foreign.put(Map.of("protocol", "1", "tenant", "OTHER", "entity", "purchase-orders", "company", "1",
                "number", "1"), null);
        ConnectException e = assertThrows(ConnectException.class, () -> connector.alterOffsets(props(), foreign));
        assertTrue(e.getMessage().contains("not a document of this connector's"), e.getMessage());
    }

    @Test
    void oneTaskOwnsTheEndpoint() {
        connector.start(props());
        assertEquals(1, connector.taskConfigs(5).size());
    }
}
