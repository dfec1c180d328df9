package io.mlconnector.asana.webhook;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaException;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.RateLimiter;
import io.mlconnector.asana.SyncTokenExpiredException;
import io.mlconnector.asana.UnauthorizedException;
import io.mlconnector.asana.connect.AsanaClients;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.TransactionBoundary;
import io.mlconnector.connect.lifecycle.ManagedSourceConnector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;

/**
 * Receives an Asana resource's task changes by signed webhook and writes them to Kafka, with an
 * events-API catch-up for what a webhook does not deliver. One task: it owns the one endpoint behind
 * the webhook's target URL.
 */
public class AsanaWebhookSourceConnector extends ManagedSourceConnector<AsanaWebhookSourceConfig> {

    public AsanaWebhookSourceConnector() {
        super(AsanaWebhookSourceConfig.configDef(), AsanaWebhookSourceConfig::new, AsanaWebhookSourceTask.class);
    }

    /** One task per webhook target, whatever tasks.max says: two would fight over the webhook and its secret. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // one task, whatever tasks.max: it spends the connector's whole share of the token's budget
        Map<String, String> taskProps = new HashMap<>(settings());
        taskProps.put(ConnectionSettings.ASANA_RATE_LIMIT_TASKS, "1");
        return List.of(taskProps);
    }

    /**
     * A record's event identity is stored in the source offset that Connect commits in the record's own transaction,
     * and a delivery is answered 200 only from {@link AsanaWebhookSourceTask#commitRecord}, which an exactly-once
     * worker calls after that commit: an event Asana sends again after a crash is either in Kafka and known, or in
     * neither. Transaction boundaries stay the worker's (SourceConnector's default: it cannot define them).
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Only a reset is accepted (DELETE .../offsets, or a null offset for the resource): the offset holds the sealed
     * webhook secret and the events-API sync token, which only the task can write. After a reset the task registers
     * a new webhook and reads events from then on.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        String resource = new AsanaWebhookSourceConfig(connectorConfig).resource();
        offsets.forEach((partition, offset) -> {
            if (!SourceOffset.isOwn(resource, partition)) {
                throw new ConnectException("source partition " + partition + " is not this connector's; its are "
                        + SourceOffset.partition(resource) + " and its dedupe slots");
            }
            if (offset != null) {
                throw new ConnectException("only a reset of the offset is supported (DELETE the connector's offsets): "
                        + "it holds the sealed webhook secret and the events-API sync token, which only the task writes");
            }
        });
        return true;
    }

    @Override
    protected void checkAcrossSettings(Map<String, String> settings, LiveValidation validation) {
        ConnectionSettings.asanaGrantProblem(settings).ifPresent(e -> validation.error(e.setting(), e.reason()));
        transactionsOutlastAcknowledgement(settings).ifPresent(
                reason -> validation.error(AsanaWebhookSourceConfig.ACK_TIMEOUT, reason));
        AsanaWebhookSourceConfig.missingForWebhooks(settings).forEach(
                name -> validation.error(name, AsanaWebhookSourceConfig.missingForWebhooksReason(name)));
    }

    /** The token works, the workspace's webhooks can be listed, and the resource has an events stream. */
    @Override
    protected void checkLive(AsanaWebhookSourceConfig config, Map<String, String> settings,
            LiveValidation validation) {
        try (AsanaClient client = AsanaClients.create(config)) {
            checkAgainstAsana(config, client, validation::error);
        } catch (RateLimiter.BudgetConflictException e) {
            validation.error(ConnectionSettings.ASANA_RATE_LIMIT, e.getMessage());
        }
    }

    /** With exactly-once and interval transactions, whether deliveries would time out waiting for them. */
    static Optional<String> transactionsOutlastAcknowledgement(Map<String, String> props) {
        return TransactionBoundary.outlastsDeliveries(props, AsanaWebhookSourceConfig.ACK_TIMEOUT, 8000L);
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
