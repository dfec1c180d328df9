package io.mlconnector.infor.source;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.TaskMetrics;
import io.mlconnector.connect.lifecycle.ManagedSourceTask;
import io.mlconnector.connect.lifecycle.TaskResources;
import io.mlconnector.infor.IonApiCredentials;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls this task's partitions: one {@link ChangeReader} per partition, read by a {@link ReadAhead} so that ION is
 * read while Connect writes. A poll returns whole pages, at most {@code max.records.per.poll} records, each
 * carrying the bookmark that a restart resumes from.
 */
public class InforSourceTask extends ManagedSourceTask {

    /** Task config key: the partitions this task owns, as {@code entity/company/division} units. */
    static final String UNITS = "task.units";

    private static final Logger log = LoggerFactory.getLogger(InforSourceTask.class);
    /** At most this long in one poll() without records, so stop() is never kept waiting. */
    private static final long MAX_IDLE_MS = 1_000;

    private final Map<Entity, AtomicLong> recordsByEntity = new EnumMap<>(Entity.class);
    private final AtomicLong dataErrors = new AtomicLong();
    private InforSourceConfig config;
    private IonClient ion;
    private RecordSchemas schemas;
    private String tenant;
    private M3Layouts layouts;
    private List<ChangeReader> readers;
    private ReadAhead readAhead;
    /** A read failure that came after the pages of the last poll; the next poll throws it. */
    private ReadAhead.Fetched heldFailure;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    protected void startTask(Map<String, String> props, TaskResources resources) {
        config = new InforSourceConfig(props);
        IonApiCredentials credentials = config.credentials();
        tenant = credentials.tenant();
        // Given back last: the read-ahead thread, told to stop by stopTask(), may finish its call once the client has
        // closed.
        resources.own(() -> {
            if (readAhead != null) {
                readAhead.awaitClosed(Duration.ofSeconds(5));
            }
        });
        ion = resources.own(IonClient.builder(credentials).tenantZone(config.zone())
                .requestTimeout(config.requestTimeout()).build());
        schemas = new RecordSchemas(config.amountScale());
        List<SourcePartition> partitions = SourcePartition.decodeUnits(tenant, config.backend(), props.get(UNITS));
        Map<Map<String, Object>, Map<String, Object>> stored = context.offsetStorageReader()
                .offsets(partitions.stream().map(SourcePartition::toMap).toList());
        if (config.backend() == InforBackend.M3) {
            layouts = new M3Layouts(ion.m3(), partitions.get(0).company());
        }
        readers = new ArrayList<>();
        for (SourcePartition partition : partitions) {
            Map<String, Object> offset = stored == null ? null : stored.get(partition.toMap());
            readers.add(reader(partition, offset));
            recordsByEntity.putIfAbsent(partition.entity(), new AtomicLong());
        }
        readAhead = new ReadAhead(readers, Math.min(config.pageSize(), config.maxRecordsPerPoll()), config::pollInterval);
        TaskMetrics metrics = metrics();
        recordsByEntity.forEach((entity, count) -> metrics.gauge("records-" + entity.id(),
                "Records of " + entity.id() + " written by this task", count::get));
        metrics.gauge("pages", "API pages read", readAhead.pagesRead::get)
                .gauge("pages-waiting", "Pages read ahead, waiting for Connect to take them: at " + ReadAhead.AHEAD
                        + " Kafka is the bottleneck, at 0 the ION API", readAhead::waiting)
                .gauge("api-errors", "API calls that failed after the client's retries", readAhead.apiErrors::get)
                .gauge("data-errors", "Rows the API sent malformed", dataErrors::get)
                .gauge("bookmark-age-ms", "Age of the oldest bookmark of this task's partitions: the lag", this::bookmarkAgeMillis)
                .gauge("token-refreshes", "ION access tokens renewed", () -> ion.tokens().refreshes())
                .gauge("token-logins", "ION service-account logins", () -> ion.tokens().logins());
        log.info("Infor source task reads {} partition(s) of tenant {} from {}", partitions.size(), tenant, config.backend());
    }

    private ChangeReader reader(SourcePartition partition, Map<String, Object> offset) {
        RecordContext ctx = new RecordContext(tenant, partition, schemas, config.zone());
        Instant since = SourceOffset.isSince(offset) ? SourceOffset.since(offset, config.zone())
                : config.startDate() == null ? Instant.EPOCH : config.startDate().atStartOfDay(config.zone()).toInstant();
        boolean fromOffset = offset != null && !SourceOffset.isSince(offset);
        if (config.backend() == InforBackend.M3) {
            Set<String> divisions = config.m3Divisions().stream().filter(cd -> cd[0].equals(partition.company()))
                    .map(cd -> cd[1]).collect(Collectors.toSet());
            return M3Entities.reader(ion.m3(), layouts, ctx, config.pageSize(), fromOffset ? offset : null, since, divisions,
                    config.paidStatuses());
        }
        SyteLineBookmark start = fromOffset ? SyteLineBookmark.fromMap(offset) : SyteLineBookmark.since(since, config.zone());
        return SyteLineEntities.reader(ion.ido(partition.company()), ctx, config.pageSize(), start);
    }

    @Override
    protected List<SourceRecord> pollRecords() throws InterruptedException {
        ReadAhead.Fetched next = heldFailure != null ? heldFailure : readAhead.take(MAX_IDLE_MS);
        heldFailure = null;
        List<SourceRecord> out = new ArrayList<>();
        while (next != null) {
            if (next.failure() != null) {
                if (out.isEmpty()) {
                    throw next.failure();
                }
                heldFailure = next;
                break;
            }
            for (ChangeReader.Read read : next.reads()) {
                out.add(record(next.reader().partition(), read));
            }
            next = readAhead.takeIfFits(config.maxRecordsPerPoll() - out.size());
        }
        return out.isEmpty() ? null : out;
    }

    private SourceRecord record(SourcePartition partition, ChangeReader.Read read) {
        Struct key = RecordSchemas.key(tenant, partition.company(), partition.entity(),
                read.number() == null ? "" : read.number());
        if (read.error() == null) {
            recordsByEntity.get(partition.entity()).incrementAndGet();
            return new SourceRecord(partition.toMap(), read.offset(), config.topic(tenant, partition.entity()), null,
                    RecordSchemas.KEY, key, schemas.of(partition.entity()), read.value());
        }
        dataErrors.incrementAndGet();
        String errorsTopic = config.errorsTopic();
        if (errorsTopic == null) {
            throw new DataException(read.error() + ". Set " + InforSourceConfig.ERRORS_TOPIC
                    + " to route such rows to a topic instead of stopping.");
        }
        log.warn("Routing a malformed row to {}: {}", errorsTopic, read.error());
        Struct error = new Struct(schemas.dataError).put("tenant", tenant)
                .put("backend", partition.toMap().get("backend")).put("entity", partition.entity().id())
                .put("company", partition.company()).put("division", partition.division().isEmpty() ? null : partition.division())
                .put("number", read.number()).put("error", read.error()).put("raw", new HashMap<>(read.row().fields()));
        // The bookmark moves past the row: it is in the errors topic, not lost.
        return new SourceRecord(partition.toMap(), read.offset(), errorsTopic, null, RecordSchemas.KEY, key, schemas.dataError, error);
    }

    private long bookmarkAgeMillis() {
        long now = System.currentTimeMillis();
        return readers.stream().mapToLong(r -> now - r.position().toEpochMilli()).max().orElse(0);
    }

    /** Tells the read-ahead thread to stop; the client closes next, and then the thread is awaited. */
    @Override
    protected void stopTask() {
        if (readAhead != null) {
            readAhead.close();
        }
    }
}
