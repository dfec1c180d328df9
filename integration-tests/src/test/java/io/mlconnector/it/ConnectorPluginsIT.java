package io.mlconnector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The five connectors load from their archives on a stock worker and validate config through REST. */
@ExtendWith(SharedCluster.class)
class ConnectorPluginsIT {

    private static final String VERSION = System.getProperty("mlconnector.version");

    static List<Arguments> connectors() {
        return List.of(
                Arguments.of("io.mlconnector.infor.source.InforSourceConnector", "source",
                        List.of("ion.credentials", "infor.backend")),
                Arguments.of("io.mlconnector.asana.sink.AsanaSinkConnector", "sink",
                        List.of("asana.token", "asana.workspace.gid", "asana.project.gid")),
                Arguments.of("io.mlconnector.asana.webhook.AsanaWebhookSourceConnector", "source",
                        List.of("asana.token", "asana.resource.gid", "webhook.target.url")),
                Arguments.of("io.mlconnector.infor.sink.InforSinkConnector", "sink",
                        List.of("ion.credentials", "infor.backend")),
                Arguments.of("io.mlconnector.ion.bod.IonBodSourceConnector", "source",
                        List.of("ion.tenant", "infor.backend", "ims.endpoint.url", "ims.oauth.consumer.key",
                                "ims.oauth.consumer.secret")));
    }

    @ParameterizedTest
    @MethodSource("connectors")
    void pluginIsListedWithTheProjectVersionAndType(String connectorClass, String type, List<String> required,
                                                    KafkaConnectCluster cluster) {
        JsonNode plugin = find(cluster.rest().connectorPlugins(), connectorClass);
        assertEquals(type, plugin.path("type").asText(), plugin.toString());
        assertEquals(VERSION, plugin.path("version").asText(), plugin.toString());
    }

    @ParameterizedTest
    @MethodSource("connectors")
    void emptyConfigFailsValidationOnEachRequiredField(String connectorClass, String type, List<String> required,
                                                       KafkaConnectCluster cluster) {
        Map<String, String> config = new HashMap<>(Map.of("connector.class", connectorClass));
        if (type.equals("sink")) {
            config.put("topics", "ml.validation");
        }
        JsonNode answer = cluster.rest().validate(connectorClass, config);

        assertTrue(answer.path("error_count").asInt() >= required.size(), answer.toString());
        for (String name : required) {
            List<String> errors = errors(answer, name);
            assertFalse(errors.isEmpty(), name + " should have an error: " + answer);
            assertTrue(errors.get(0).contains("Missing required configuration \"" + name + "\""), errors.toString());
        }
    }

    @Test
    void anInvalidValueIsReportedOnItsFieldAndSecretsAreNotEchoed(KafkaConnectCluster cluster) {
        String connectorClass = "io.mlconnector.infor.source.InforSourceConnector";
        String secret = "sask-that-must-not-leak-1f3a";
        JsonNode answer = cluster.rest().validate(connectorClass, Map.of(
                "connector.class", connectorClass,
                "ion.credentials", "{\"ti\":\"TENANT\",\"sask\":\"" + secret + "\"}",
                "infor.backend", "LN"));

        List<String> backendErrors = errors(answer, "infor.backend");
        assertEquals(1, backendErrors.size(), answer.toString());
        assertTrue(backendErrors.get(0).contains("LN"), backendErrors.toString());
        assertTrue(errors(answer, "ion.credentials").isEmpty(), answer.toString());
        assertFalse(answer.toString().contains(secret), "the validate answer echoes a secret: " + answer);
    }

    private static JsonNode find(JsonNode plugins, String connectorClass) {
        for (JsonNode plugin : plugins) {
            if (plugin.path("class").asText().equals(connectorClass)) {
                return plugin;
            }
        }
        throw new AssertionError(connectorClass + " is not among the worker's plugins: " + plugins);
    }

    private static List<String> errors(JsonNode validation, String name) {
        for (JsonNode config : validation.path("configs")) {
            JsonNode value = config.path("value");
            if (value.path("name").asText().equals(name)) {
                return StreamSupport.stream(value.path("errors").spliterator(), false).map(JsonNode::asText).toList();
            }
        }
        throw new AssertionError("no config value named " + name + " in " + validation);
    }
}
