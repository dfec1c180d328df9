package io.mlconnector.ion.bod;

import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.TransactionBoundary;
import io.mlconnector.connect.http.ListenerSettings;
import io.mlconnector.connect.lifecycle.ManagedSourceConnector;
import io.mlconnector.infor.records.Entity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;

/**
 * Receives the purchase-order and supplier-invoice BODs an ION document flow pushes over IMS, and writes the
 * records the Infor CloudSuite source writes. One task: it owns the one endpoint behind ION's IMS endpoint URL.
 */
public class IonBodSourceConnector extends ManagedSourceConnector<IonBodSourceConfig> {

    public IonBodSourceConnector() {
        super(IonBodSourceConfig.configDef(), IonBodSourceConfig::new, IonBodSourceTask.class);
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(new HashMap<>(settings()));
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
     * The settings the chosen authentication needs (each on its own name), and interval transactions that would
     * commit after a delivery stops waiting. There is no live check: ION cannot be asked, it calls us.
     */
    @Override
    protected void checkAcrossSettings(Map<String, String> settings, LiveValidation validation) {
        IonBodSourceConfig.missingForAuthentication(settings).forEach(
                name -> validation.error(name, IonBodSourceConfig.missingReason(name, settings)));
        TransactionBoundary.outlastsDeliveries(settings, ListenerSettings.REQUEST_TIMEOUT,
                IonBodSourceConfig.REQUEST_TIMEOUT_MS)
                .ifPresent(reason -> validation.error(ListenerSettings.REQUEST_TIMEOUT, reason));
    }
}
