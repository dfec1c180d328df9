package io.mlconnector.asana.webhook;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaException;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.RateLimiter;
import io.mlconnector.asana.SyncTokenExpiredException;
import io.mlconnector.asana.UnauthorizedException;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.SettingException;
import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.PluginVersion;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Receives an Asana resource's task changes by signed webhook and writes them to Kafka, with an
 * events-API catch-up for what a webhook does not deliver. One task: it owns the one endpoint behind
 * the webhook's target URL.
 */
public class AsanaWebhookSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public ConfigDef config() {
        return AsanaWebhookSourceConfig.configDef();
    }

    @Override
    public void start(Map<String, String> props) {
        new AsanaWebhookSourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return AsanaWebhookSourceTask.class;
    }

    /** One task per webhook target, whatever tasks.max says: two would fight over the webhook and its secret. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
        props = null;
    }

    /**
     * The ConfigDef's checks, then, when those pass, a live check: the token works, the workspace's
     * webhooks can be listed, and the resource has an events stream.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        LiveValidation validation = LiveValidation.of(super.validate(connectorConfigs));
        ConnectionSettings.asanaGrantProblem(connectorConfigs).ifPresent(e -> validation.error(e.setting(), e.reason()));
        if (validation.hasStaticErrors()) {
            return validation.result();
        }
        BiConsumer<String, String> error = validation::error;
        AsanaWebhookSourceConfig config;
        try {
            config = new AsanaWebhookSourceConfig(connectorConfigs);
        } catch (SettingException e) {
            error.accept(e.setting(), e.reason());
            return validation.result();
        }
        try (AsanaClient client = AsanaClients.create(config)) {
            checkAgainstAsana(config, client, error);
        } catch (RateLimiter.BudgetConflictException e) {
            error.accept(ConnectionSettings.ASANA_RATE_LIMIT, e.getMessage());
        }
        return validation.result();
    }

    private static void checkAgainstAsana(AsanaWebhookSourceConfig config, AsanaClient client,
            BiConsumer<String, String> error) {
        try {
            client.listWebhooks(config.getString(AsanaWebhookSourceConfig.WORKSPACE), config.resource());
        } catch (UnauthorizedException e) {
            error.accept(ConnectionSettings.asanaCredentialSetting(config), "Asana does not accept these credentials: "
                    + e.getMessage());
            return;
        } catch (NotFoundException e) {
            error.accept(AsanaWebhookSourceConfig.WORKSPACE, "no workspace with this GID is visible to the token");
            return;
        } catch (AsanaException | AsanaIOException e) {
            error.accept(AsanaWebhookSourceConfig.BASE_URL, "cannot reach Asana: " + e.getMessage());
            return;
        }
        try {
            client.getEvents(config.resource(), null);
        } catch (SyncTokenExpiredException expected) {
            // Asana's normal answer to a first events call: the resource exists and has a stream.
        } catch (NotFoundException e) {
            error.accept(AsanaWebhookSourceConfig.RESOURCE, "no resource with this GID is visible to the token");
        } catch (AsanaException | AsanaIOException e) {
            error.accept(AsanaWebhookSourceConfig.RESOURCE, "cannot read the resource's events: " + e.getMessage());
        }
    }
}
