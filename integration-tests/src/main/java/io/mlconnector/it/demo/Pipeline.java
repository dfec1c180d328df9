package io.mlconnector.it.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.ExampleConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The four connectors of the approval loop, registered from config-examples exactly as a user would
 * PUT them, with only hosts, ports and the secrets directory changed.
 */
public final class Pipeline {

    public static final String SOURCE = "infor-source-m3";
    public static final String ASANA_SINK = "asana-sink-purchase-orders";
    public static final String WEBHOOK_SOURCE = "asana-webhook-source";
    public static final String INFOR_SINK = "infor-sink-m3-approvals";
    public static final List<String> CONNECTORS = List.of(SOURCE, ASANA_SINK, WEBHOOK_SOURCE, INFOR_SINK);

    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    private final String suffix;

    /**
     * @param secretsDir where the ConfigProvider files live instead of /etc/ml-connector/
     * @param locations  per example, the host/port substitutions it needs
     */
    public Pipeline(Path secretsDir, Map<String, UnaryOperator<ExampleConfig>> locations) {
        this(secretsDir, locations, "");
    }

    /**
     * @param suffix appended to every connector name, so a run starts without the stored offsets and
     *               consumer groups of an earlier one
     */
    public Pipeline(Path secretsDir, Map<String, UnaryOperator<ExampleConfig>> locations, String suffix) {
        this.suffix = suffix;
        for (String name : CONNECTORS) {
            ExampleConfig example = ExampleConfig.load(name + ".json").secretsDir(secretsDir);
            configs.put(name, new LinkedHashMap<>(
                    locations.getOrDefault(name, UnaryOperator.identity()).apply(example).toMap()));
        }
    }

    /** The config of one of {@link #CONNECTORS}; changes to it are registered. */
    public Map<String, String> config(String connector) {
        return configs.get(connector);
    }

    /** The name one of {@link #CONNECTORS} is registered under. */
    public String name(String connector) {
        return connector + suffix;
    }

    public List<String> names() {
        return CONNECTORS.stream().map(this::name).toList();
    }

    /** Validates every connector through the REST API; returns "connector: setting: error" lines. */
    public List<String> validate(ConnectRest rest) {
        List<String> problems = new ArrayList<>();
        configs.forEach((name, config) -> {
            Map<String, String> named = new LinkedHashMap<>(config);
            named.put("name", name(name));
            JsonNode answer = rest.validate(config.get("connector.class"), named);
            for (JsonNode value : answer.path("configs")) {
                value.path("value").path("errors").forEach(error -> problems.add(name(name) + ": "
                        + value.path("value").path("name").asText() + ": " + error.asText()));
            }
        });
        return problems;
    }

    /** Creates (or updates) every connector; the sinks first, so nothing the sources write waits unread. */
    public void register(ConnectRest rest) {
        for (String name : List.of(INFOR_SINK, ASANA_SINK, WEBHOOK_SOURCE, SOURCE)) {
            rest.putConfig(name(name), configs.get(name));
        }
    }
}
