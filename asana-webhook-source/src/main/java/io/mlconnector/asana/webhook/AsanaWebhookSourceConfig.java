package io.mlconnector.asana.webhook;

import io.mlconnector.connect.ConnectionSettings;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Settings of the Asana webhook source connector, which receives task changes by signed webhook. */
public final class AsanaWebhookSourceConfig extends AbstractConfig {

    public static final String RESOURCE = "asana.resource.gid";
    public static final String TARGET_URL = "webhook.target.url";
    public static final String LISTENER_PORT = "listener.port";
    public static final String TOPIC = "topic";

    private static final String GROUP_ENDPOINT = "Webhook endpoint";

    public AsanaWebhookSourceConfig(Map<String, String> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return ConnectionSettings.defineAsana(new ConfigDef())
                .define(RESOURCE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "GID of the project (or workspace) whose task changes the webhook reports.",
                        ConnectionSettings.GROUP_ASANA, 2, Width.MEDIUM, "Resource GID")
                .define(TARGET_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "The public https URL at which Asana reaches this endpoint, usually a "
                                + "load balancer in front of the Connect workers.",
                        GROUP_ENDPOINT, 1, Width.LONG, "Target URL")
                .define(LISTENER_PORT, Type.INT, 8090, ConfigDef.Range.between(1, 65535), Importance.HIGH,
                        "Port on which the task listens for webhook POSTs.",
                        GROUP_ENDPOINT, 2, Width.SHORT, "Listener port")
                .define(TOPIC, Type.STRING, "asana.task-events", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Topic the task events are written to.", GROUP_ENDPOINT, 3, Width.MEDIUM, "Topic");
    }
}
