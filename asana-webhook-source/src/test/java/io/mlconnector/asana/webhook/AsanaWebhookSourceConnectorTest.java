package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

/** What the connector tells Connect about exactly-once, offset changes and transaction boundaries. */
class AsanaWebhookSourceConnectorTest {

    private static final String RESOURCE = "1200000000000042";

    private final AsanaWebhookSourceConnector connector = new AsanaWebhookSourceConnector();

    @Test
    void exactlyOnceIsSupportedWithTheWorkersTransactionBoundaries() {
        assertEquals(ExactlyOnceSupport.SUPPORTED, connector.exactlyOnceSupport(props()));
    }

    @Test
    void onlyAResetOfItsOwnResourceOffsetIsAccepted() {
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(Map.of("resource", RESOURCE), null);
        assertTrue(connector.alterOffsets(props(), reset));

        ConnectException edited = assertThrows(ConnectException.class, () -> connector.alterOffsets(props(),
                Map.of(Map.of("resource", RESOURCE), Map.of("sync", "forged", "seen", ""))));
        assertTrue(edited.getMessage().startsWith("only a reset of the offset is supported"), edited.getMessage());

        Map<Map<String, ?>, Map<String, ?>> other = new HashMap<>();
        other.put(Map.of("resource", "999"), null);
        ConnectException foreign = assertThrows(ConnectException.class, () -> connector.alterOffsets(props(), other));
        assertTrue(foreign.getMessage().contains("{resource=" + RESOURCE + "}"), foreign.getMessage());
    }

    @Test
    void intervalTransactionsLongerThanTheAcknowledgementTimeoutAreRefusedBeforeAnyCall() {
        Map<String, String> props = props();
        props.put("transaction.boundary", "interval");
        assertTrue(errors(props).get(AsanaWebhookSourceConfig.ACK_TIMEOUT).get(0)
                .contains("every offset.flush.interval.ms of the worker"), errors(props).toString());

        props.put("transaction.boundary.interval.ms", "8000");
        assertTrue(errors(props).get(AsanaWebhookSourceConfig.ACK_TIMEOUT).get(0)
                .contains("every 8000 ms, after this timeout of 8000 ms"), errors(props).toString());

        props.put("transaction.boundary.interval.ms", "500");
        assertTrue(AsanaWebhookSourceConnector.transactionsOutlastAcknowledgement(props).isEmpty());
        props.put("transaction.boundary", "poll");
        props.remove("transaction.boundary.interval.ms");
        assertTrue(AsanaWebhookSourceConnector.transactionsOutlastAcknowledgement(props).isEmpty());
    }

    @Test
    void withoutAWebhookNeitherTargetNorKeyIsNeededAndWithOneBothAre() {
        Map<String, String> events = props();
        events.remove("webhook.target.url");
        events.remove("webhook.secret.encryption.key");
        events.put("delivery.mode", "events");
        AsanaWebhookSourceConfig config = new AsanaWebhookSourceConfig(events);
        assertEquals(AsanaWebhookSourceConfig.DeliveryMode.EVENTS, config.deliveryMode());
        assertNull(config.secretKeys());

        for (String required : List.of("webhook.target.url", "webhook.secret.encryption.key")) {
            Map<String, String> webhook = props();
            webhook.remove(required);
            assertTrue(errors(webhook).get(required).get(0).startsWith("Missing required configuration \"" + required
                    + "\" with delivery.mode=WEBHOOK"),
                    errors(webhook).toString());
        }
    }

    private Map<String, List<String>> errors(Map<String, String> props) {
        return connector.validate(props).configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    private static Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("asana.token", "pat-for-tests");
        // Nothing listens there: a test that reached the live checks would fail on it.
        props.put("asana.base.url", "http://127.0.0.1:9/api/1.0");
        props.put("asana.workspace.gid", "1200000000000001");
        props.put("asana.resource.gid", RESOURCE);
        props.put("webhook.target.url", "https://connect.example.com/asana/webhook");
        props.put("webhook.secret.encryption.key", Base64.getEncoder().encodeToString(new byte[32]));
        return props;
    }
}
