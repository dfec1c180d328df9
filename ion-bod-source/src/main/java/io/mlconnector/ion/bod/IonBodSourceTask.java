package io.mlconnector.ion.bod;

import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.http.ListenerSettings;
import io.mlconnector.connect.lifecycle.ManagedSourceTask;
import io.mlconnector.connect.lifecycle.TaskResources;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the IMS endpoint and writes what ION delivers. Nothing is read at start but the configuration: the
 * newest version of each document is read from the source offsets when the document first comes, so the task
 * starts at once and a start never fails on anything outside the worker.
 */
public class IonBodSourceTask extends ManagedSourceTask {

    private static final Logger log = LoggerFactory.getLogger(IonBodSourceTask.class);
    private static final int MAX_BATCH = 1000;

    private IonBodSourceConfig config;
    private RecordHandoff handoff;
    private BodIntake intake;
    private ImsEndpoint endpoint;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    protected void startTask(Map<String, String> props, TaskResources resources) {
        config = new IonBodSourceConfig(props);
        Clock clock = Clock.systemUTC();
        RecordSchemas schemas = new RecordSchemas(config.getInt(IonBodSourceConfig.AMOUNT_SCALE));
        DocumentVersions versions = new DocumentVersions(document -> context.offsetStorageReader().offset(document),
                config.getInt(IonBodSourceConfig.CACHE_SIZE));
        Map<Entity, String> dataTopics = new EnumMap<>(Entity.class);
        IonBodSourceConfig.DOCUMENT_ENTITIES.values().forEach(entity -> dataTopics.put(entity, config.topic(entity)));
        handoff = new RecordHandoff();
        intake = new BodIntake(config.tenant(), config.backend().name().toLowerCase(Locale.ROOT),
                new BodRecords(config.tenant(), config.backend(), config.getString(IonBodSourceConfig.COMPANY),
                        schemas, config.zone()),
                schemas, versions, handoff, new BodIntake.Topics(dataTopics, config.errorsTopic(), config.auditTopic()),
                clock);
        String path = config.getString(ListenerSettings.PATH);
        try {
            endpoint = resources.own(new ImsEndpoint(ListenerSettings.address(config), ListenerSettings.tls(config), path,
                    ListenerSettings.limits(config), authentication(config, path, clock),
                    new ImsEndpoint.Checks(config.tenant(), config.documents(),
                            Set.copyOf(config.getList(IonBodSourceConfig.LOGICAL_IDS)),
                            config.getInt(IonBodSourceConfig.MAX_INFLATED), config.messageMethod(),
                            config.getString(IonBodSourceConfig.PARAMETER_HEADER_PREFIX)),
                    intake));
        } catch (IOException e) {
            throw new ConnectException("cannot listen on " + ListenerSettings.address(config) + ": " + e.getMessage(), e);
        }
        metrics()
                .gauge("bods-written", "BODs written as records: new documents and newer variations", intake.written::get)
                .gauge("bods-duplicate", "BODs delivered again (same variation, or same message); audited, not written",
                        intake.duplicates::get)
                .gauge("bods-stale", "BODs older than a variation written; audited, not written", intake.stale::get)
                .gauge("bods-non-conforming", "BODs without the expected structure; written to the data-errors topic",
                        intake.nonConforming::get)
                .gauge("deliveries-refused-busy", "Messages answered 503 because the endpoint was full",
                        endpoint.stage.refusedFull::get)
                .gauge("deliveries-timed-out", "Messages answered 503 because Kafka did not acknowledge in time",
                        endpoint.stage.timedOut::get);
        log.info("ION BOD source for tenant {} listening on port {}{} ({})", config.tenant(), endpoint.port(), path,
                config.authentication());
    }

    static ImsAuthentication authentication(IonBodSourceConfig config, String path, Clock clock) {
        return switch (config.authentication()) {
            case OAUTH1 -> new OAuth1Verification(config.getString(IonBodSourceConfig.CONSUMER_KEY),
                    config.getPassword(IonBodSourceConfig.CONSUMER_SECRET).value().toCharArray(),
                    config.getString(IonBodSourceConfig.ENDPOINT_URL), path, clock,
                    Duration.ofMillis(config.getLong(IonBodSourceConfig.TIMESTAMP_SKEW)),
                    OAuth1Verification.DEFAULT_MAX_REMEMBERED_NONCES);
            case BASIC -> new BasicVerification(config.getString(IonBodSourceConfig.BASIC_USER),
                    config.getPassword(IonBodSourceConfig.BASIC_PASSWORD).value().toCharArray());
            case API_KEY -> new ApiKeyVerification(config.getString(IonBodSourceConfig.API_KEY_HEADER),
                    config.getPassword(IonBodSourceConfig.API_KEY).value().toCharArray());
            case BEARER -> new BearerVerification(config.getPassword(IonBodSourceConfig.BEARER_TOKEN).value()
                    .toCharArray());
        };
    }

    @Override
    protected List<SourceRecord> pollRecords() throws InterruptedException {
        return handoff.drain(500, MAX_BATCH);
    }

    /** Kafka has the record (under exactly-once: its transaction committed): the message may be answered 202. */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        handoff.acknowledged(record);
    }

    /** Waiting deliveries are answered 503 first, so that ION delivers them again; then the endpoint closes. */
    @Override
    protected void stopTask() {
        if (handoff != null) {
            handoff.stop(new ConnectException("the task is stopping"));
        }
    }

    /** The endpoint's port, for tests that bind port 0. */
    int port() {
        return endpoint.port();
    }
}
