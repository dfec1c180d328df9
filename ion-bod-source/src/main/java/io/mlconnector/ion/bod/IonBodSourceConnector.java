package io.mlconnector.ion.bod;

import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.SettingException;
import io.mlconnector.connect.TransactionBoundary;
import io.mlconnector.connect.http.ListenerSettings;
import io.mlconnector.infor.records.Entity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Receives the purchase-order and supplier-invoice BODs an ION document flow pushes over IMS, and writes the
 * records the Infor CloudSuite source writes. One task: it owns the one endpoint behind ION's IMS endpoint URL.
 */
public class IonBodSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new IonBodSourceConfig(props);
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return IonBodSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(new HashMap<>(props));
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return IonBodSourceConfig.configDef();
    }

    /** Each document's newest version commits with its record: exactly once under a worker that supports it. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * A document's stored version may be removed (a null offset), so that its next delivery is written whatever
     * its variation, or set, as {@code {"variation": n, "message_id": "..."}}. Other partitions are not this
     * connector's.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        String tenant = new IonBodSourceConfig(connectorConfig).tenant();
        offsets.forEach((partition, offset) -> {
            if (!isDocument(tenant, partition)) {
                throw new ConnectException("source partition " + partition + " is not a document of this connector's: "
                        + "expected protocol \"" + BodRecords.PARTITION_PROTOCOL + "\", tenant \"" + tenant
                        + "\", an entity it takes, a company and a number");
            }
            if (offset != null && (!(offset.get(DocumentVersions.Version.VARIATION) == null
                    || offset.get(DocumentVersions.Version.VARIATION) instanceof Number)
                    || !(offset.get(DocumentVersions.Version.MESSAGE_ID) == null
                    || offset.get(DocumentVersions.Version.MESSAGE_ID) instanceof String))) {
                throw new ConnectException("offset " + offset + " of " + partition + ": expected {\"variation\": a "
                        + "number or null, \"message_id\": a string or null}");
            }
        });
        return true;
    }

    private static boolean isDocument(String tenant, Map<String, ?> partition) {
        return partition != null && BodRecords.PARTITION_PROTOCOL.equals(partition.get("protocol"))
                && tenant.equals(partition.get("tenant"))
                && IonBodSourceConfig.DOCUMENT_ENTITIES.values().stream().map(Entity::id)
                        .anyMatch(id -> id.equals(partition.get("entity")))
                && partition.get("company") instanceof String && partition.get("number") instanceof String;
    }

    /**
     * The ConfigDef's checks, the settings the chosen authentication needs (each on its own name), and interval
     * transactions that would commit after a delivery stops waiting. ION itself cannot be asked: it calls us.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        LiveValidation validation = LiveValidation.of(super.validate(connectorConfigs));
        IonBodSourceConfig.missingForAuthentication(connectorConfigs).forEach(
                name -> validation.error(name, IonBodSourceConfig.missingReason(name, connectorConfigs)));
        TransactionBoundary.outlastsDeliveries(connectorConfigs, ListenerSettings.REQUEST_TIMEOUT,
                IonBodSourceConfig.REQUEST_TIMEOUT_MS)
                .ifPresent(reason -> validation.error(ListenerSettings.REQUEST_TIMEOUT, reason));
        if (!validation.hasStaticErrors()) {
            try {
                new IonBodSourceConfig(connectorConfigs);
            } catch (SettingException e) {
                validation.error(e.setting(), e.reason());
            }
        }
        return validation.result();
    }
}
