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
 * The connectors of the approval loop, registered from config-examples exactly as a user would PUT them,
 * with only hosts, ports and the secrets directory changed: the purchase-order queue, the accounts
 * payable queue (invoice tasks, their payments, AP's webhook) and the ION push intake when the systems say where
 * they live.
 */
public final class Pipeline {

    public static final String SOURCE = "infor-source-m3";
    public static final String ASANA_SINK = "asana-sink-purchase-orders";
    public static final String WEBHOOK_SOURCE = "asana-webhook-source";
    public static final String INFOR_SINK = "infor-sink-m3-approvals";
    public static final String INVOICE_SINK = "asana-sink-supplier-invoices";
    public static final String PAYMENTS_SINK = "asana-sink-invoice-payments";
    public static final String AP_WEBHOOK_SOURCE = "asana-webhook-source-invoices";
    public static final String ION_PUSH = "ion-bod-source-m3";
    /** Every connector, in the order they are registered: sinks first, so nothing a source writes waits unread. */
    public static final List<String> CONNECTORS = List.of(INFOR_SINK, ASANA_SINK, INVOICE_SINK, PAYMENTS_SINK,
            WEBHOOK_SOURCE, AP_WEBHOOK_SOURCE, SOURCE, ION_PUSH);
    /** These run only where the locations name them: the accounts payable queue, and ION's push. */
    public static final List<String> OPTIONAL = List.of(INVOICE_SINK, PAYMENTS_SINK, AP_WEBHOOK_SOURCE, ION_PUSH);

    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    private final String suffix;

    /**
     * @param secretsDir where the ConfigProvider files live instead of /etc/ml-connector/
     * @param locations  per example, the host/port substitutions it needs; the {@link #OPTIONAL} connectors run
     *                   only when it names them
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
            if (OPTIONAL.contains(name) && !locations.containsKey(name)) {
                continue;
            }
            ExampleConfig example = ExampleConfig.load(name + ".json").secretsDir(secretsDir);
            configs.put(name, new LinkedHashMap<>(
                    locations.getOrDefault(name, UnaryOperator.identity()).apply(example).toMap()));
        }
    }

    /** The connectors this pipeline runs, in the order they are registered. */
    public List<String> connectors() {
        return List.copyOf(configs.keySet());
    }

    /** The config of one of {@link #connectors}; changes to it are registered. */
    public Map<String, String> config(String connector) {
        return configs.get(connector);
    }

    /** The name one of {@link #CONNECTORS} is registered under. */
    public String name(String connector) {
        return connector + suffix;
    }

    public List<String> names() {
        return connectors().stream().map(this::name).toList();
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

    /** Creates (or updates) every connector, in {@link #CONNECTORS} order. */
    public void register(ConnectRest rest) {
        configs.forEach((name, config) -> rest.putConfig(name(name), config));
    }
}
