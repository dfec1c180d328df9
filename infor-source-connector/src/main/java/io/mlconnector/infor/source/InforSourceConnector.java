package io.mlconnector.infor.source;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.lifecycle.ManagedSourceConnector;
import io.mlconnector.infor.IdoLoadRequest;
import io.mlconnector.infor.IonApiCredentials;
import io.mlconnector.infor.IonAuthenticationException;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.IonException;
import io.mlconnector.infor.IonHttpException;
import io.mlconnector.infor.IonLoginLimitException;
import io.mlconnector.infor.MiRequest;
import io.mlconnector.infor.records.Entity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.util.ConnectorUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads new and changed purchase orders, supplier invoices and reference data from Infor CloudSuite. */
public class InforSourceConnector extends ManagedSourceConnector<InforSourceConfig> {

    private static final Logger log = LoggerFactory.getLogger(InforSourceConnector.class);

    private List<SourcePartition> partitions;

    public InforSourceConnector() {
        super(InforSourceConfig.configDef(), InforSourceConfig::new, InforSourceTask.class);
    }

    @Override
    protected void started(InforSourceConfig config) {
        // Only the tenant id is read here: no network in the connector, which taskConfigs may be retried on.
        this.partitions = SourcePartition.all(config, config.credentials().tenant());
    }

    /** Disjoint shares of the entity x company/division (or site) partitions: no two tasks read the same one. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<SourcePartition> share : ConnectorUtils.groupPartitions(partitions, Math.min(maxTasks, partitions.size()))) {
            Map<String, String> task = new HashMap<>(settings());
            task.put(InforSourceTask.UNITS, SourcePartition.encodeUnits(share));
            configs.add(task);
        }
        return configs;
    }

    /** Replaying from a stored bookmark asks the API the same question, so the same records come back. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }

    /**
     * Checks every partition and bookmark a user PATCHes: the partition must name this connector's backend, a
     * configured entity and company/division or site; the offset must be the backend's bookmark, {@code {"since":
     * "yyyy-MM-dd"}} or null (a reset to {@code start.date}). The bookmarks live only in Connect.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        InforSourceConfig config = new InforSourceConfig(connectorConfig);
        String tenant = config.credentials().tenant();
        List<SourcePartition> known = SourcePartition.all(config, tenant);
        offsets.forEach((partitionMap, offset) -> {
            SourcePartition partition = SourcePartition.fromMap(partitionMap);
            if (!known.contains(partition)) {
                throw new ConnectException("source partition " + partitionMap + " is not one this connector reads; it reads "
                        + known.stream().map(p -> p.toMap().toString()).collect(Collectors.joining(", ")));
            }
            SourceOffset.validate(config.backend(), offset);
        });
        return true;
    }

    /**
     * A token for the .ionapi, and one cheap call per configured M3 company or SyteLine site. A failure lands on the
     * setting at fault; no secret is echoed.
     */
    @Override
    protected void checkLive(InforSourceConfig config, Map<String, String> settings, LiveValidation validation) {
        BiConsumer<String, String> error = validation::error;
        IonApiCredentials credentials;
        try {
            credentials = config.credentials();
        } catch (RuntimeException e) {
            // Named in the message too: a connector PUT lists only the messages.
            error.accept(ConnectionSettings.ION_CREDENTIALS, ConnectionSettings.ION_CREDENTIALS
                    + " is not a usable .ionapi document: " + e.getMessage());
            return;
        }
        // A validation's client reuses the worker's token and logs in only within its allowance: repeated validates
        // must not lock the service account out.
        try (IonClient ion = IonClient.builder(credentials).tenantZone(config.zone())
                .requestTimeout(config.requestTimeout()).forValidation().build()) {
            try {
                ion.tokens().accessToken();
            } catch (IonAuthenticationException | IonLoginLimitException e) {
                error.accept(ConnectionSettings.ION_CREDENTIALS, e.getMessage());
                return;
            } catch (IonException e) {
                error.accept(ConnectionSettings.ION_CREDENTIALS, "cannot get a token from the ION authorization server "
                        + credentials.authServerUrl() + ": " + e.getMessage());
                return;
            }
            if (config.backend() == InforBackend.M3) {
                for (String company : config.m3Divisions().stream().map(cd -> cd[0]).distinct().toList()) {
                    live(error, InforSourceConfig.M3_DIVISIONS, "M3 company " + company, () -> ion.m3().execute(
                            MiRequest.builder("CRS620MI", "LstSuppliers").company(company).set("CONO", company).maxRecords(1).build()));
                }
                if (!validation.hasErrors(InforSourceConfig.M3_DIVISIONS)) {
                    M3Layouts layouts = new M3Layouts(ion.m3(), config.m3Divisions().get(0)[0]);
                    live(error, InforSourceConfig.ENTITIES, "The M3 tables' fields", () -> checkColumns(layouts, config, error));
                    if (!validation.hasErrors(InforSourceConfig.ENTITIES)) {
                        live(error, InforSourceConfig.M3_DIVISIONS, "M3 division filtering",
                                () -> checkDivisionFilter(ion, layouts, config, error));
                    }
                }
            } else {
                for (String site : config.sites()) {
                    live(listingConfigurations(ion, site, error), InforSourceConfig.SYTELINE_SITES, "SyteLine site " + site,
                            () -> ion.ido(site).load(IdoLoadRequest.builder("SLVendors").properties("VendNum").recordCap(1).readOnly(true).build()));
                }
            }
        } catch (IonLoginLimitException e) {
            // from a check above: its token was refused and no login was left for a new one
            error.accept(ConnectionSettings.ION_CREDENTIALS, e.getMessage());
        }
    }

    /** Every column the configured entities need is on the tenant; missing optional ones are logged. */
    private static void checkColumns(M3Layouts layouts, InforSourceConfig config, BiConsumer<String, String> error) {
        Set<String> missing = new LinkedHashSet<>();
        for (Entity entity : config.entities()) {
            for (TableRead read : M3Entities.tables(entity)) {
                TableRead.Resolution resolution = layouts.resolve(read);
                missing.addAll(resolution.missingRequired());
                resolution.notes().forEach(note -> log.warn("Validating {}: {}", entity.id(), note));
            }
        }
        if (!missing.isEmpty()) {
            error.accept(InforSourceConfig.ENTITIES, M3Layouts.missingMessage(List.copyOf(missing)));
        }
    }

    /**
     * EXPORTMI honours a division filter only in a session whose division is blank (infor.md 3.7): with another
     * default division the filter reads the wrong rows. One row per configured division shows it, when there is one.
     */
    private static void checkDivisionFilter(IonClient ion, M3Layouts layouts, InforSourceConfig config,
                                            BiConsumer<String, String> error) {
        Entity entity = config.entities().stream().filter(Entity::perDivision).findFirst().orElse(null);
        if (entity == null) {
            return;
        }
        TableRead read = M3Entities.tables(entity).get(0);
        ExportColumns columns = layouts.columns(read);
        for (String[] cd : config.m3Divisions()) {
            for (Row row : M3Reader.export(ion.m3(), cd[0], columns,
                    read.prefix() + "DIVI = " + KeyOrder.quote(cd[1]), 1).rows()) {
                String got = row.text("DIVI");
                if (!cd[1].equals(got)) {
                    error.accept(InforSourceConfig.M3_DIVISIONS, "M3 company " + cd[0] + " answered a filter on division "
                            + cd[1] + " with a row of division " + (got == null ? "(blank)" : got) + " in " + read.table()
                            + ": EXPORTMI filters on division only when the session's division is blank. Give the "
                            + "service account a blank default division; see docs/m3-columns.md");
                    return;
                }
            }
        }
    }

    private static void live(BiConsumer<String, String> error, String setting, String what, Runnable call) {
        try {
            call.run();
        } catch (IonLoginLimitException e) {
            // The token was refused mid-check and no login is left: the credentials' matter, not this setting's.
            throw e;
        } catch (IonHttpException e) {
            error.accept(setting, what + " cannot be read: " + e.getMessage());
        } catch (IonException e) {
            error.accept(setting, what + " is refused: " + e.getMessage());
        }
    }

    /**
     * {@code error}, with the tenant's Mongoose configurations added when {@code site} is not among them: a refused
     * site is most often a mistyped configuration name, and the listing shows the right one.
     */
    private static BiConsumer<String, String> listingConfigurations(IonClient ion, String site, BiConsumer<String, String> error) {
        return (setting, message) -> error.accept(setting, message + configurationsNote(ion, site));
    }

    private static String configurationsNote(IonClient ion, String site) {
        List<String> known;
        try {
            known = ion.ido(site).configurations();
        } catch (IonLoginLimitException e) {
            throw e;
        } catch (IonException e) {
            return " (the tenant's Mongoose configurations could not be listed: " + e.getMessage() + ")";
        }
        if (known.stream().anyMatch(site::equalsIgnoreCase)) {
            return "";
        }
        return known.isEmpty() ? "; the tenant lists no Mongoose configurations"
                : "; " + site + " is not one of the tenant's Mongoose configurations: " + String.join(", ", known);
    }
}
