package io.mlconnector.infor.source;

import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.TaskMetrics;
import io.mlconnector.infor.IonApiCredentials;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.IonException;
import io.mlconnector.infor.IonHttpException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls this task's partitions. One {@link ChangeReader} per partition, queued by when it is next due (the
 * kafka-connect-jdbc querier pattern): a reader with a backlog is due again at once, behind the others that are
 * due, and a caught-up one after its entity's poll interval. A poll returns at most {@code max.records.per.poll}
 * records, each carrying the bookmark that a restart resumes from.
 */
public class InforSourceTask extends SourceTask {

    /** Task config key: the partitions this task owns, as {@code entity/company/division} units. */
    static final String UNITS = "task.units";

    private static final Logger log = LoggerFactory.getLogger(InforSourceTask.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(5);
    /** At most this long in one poll() without records, so stop() is never kept waiting. */
    private static final long MAX_IDLE_MS = 1_000;

    /** A reader and when it is next due; the sequence makes readers with equal due times take turns. */
    private record Due(long at, long seq, ChangeReader reader) {
    }

    private final Object wakeup = new Object();
    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Map<Entity, AtomicLong> recordsByEntity = new EnumMap<>(Entity.class);
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private final AtomicLong dataErrors = new AtomicLong();
    private InforSourceConfig config;
    private IonClient ion;
    private RecordSchemas schemas;
    private String tenant;
    /** Every reader, for the metrics thread; the queue belongs to the polling thread. */
    private final List<ChangeReader> readers = new CopyOnWriteArrayList<>();
    private long seq;
    private volatile boolean stopping;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new InforSourceConfig(props);
        IonApiCredentials credentials = IonApiCredentials.parse(config.getPassword(ConnectionSettings.ION_CREDENTIALS).value());
        tenant = credentials.tenant();
        ion = IonClient.builder(credentials).tenantZone(config.zone())
                .requestTimeout(config.requestTimeout()).build();
        schemas = new RecordSchemas(config.amountScale());
        List<SourcePartition> partitions = SourcePartition.decodeUnits(tenant, config.backend(), props.get(UNITS));
        Map<Map<String, Object>, Map<String, Object>> stored = context.offsetStorageReader()
                .offsets(partitions.stream().map(SourcePartition::toMap).toList());
        long now = System.currentTimeMillis();
        for (SourcePartition partition : partitions) {
            Map<String, Object> offset = stored == null ? null : stored.get(partition.toMap());
            ChangeReader reader = reader(partition, offset);
            readers.add(reader);
            queue.add(new Due(now, seq++, reader));
            recordsByEntity.putIfAbsent(partition.entity(), new AtomicLong());
        }
        TaskMetrics metrics = TaskMetrics.from(context::pluginMetrics);
        recordsByEntity.forEach((entity, count) -> metrics.gauge("records-" + entity.id(),
                "Records of " + entity.id() + " written by this task", count::get));
        metrics.gauge("pages", "API pages read", pages::get)
                .gauge("api-errors", "API calls that failed after the client's retries", apiErrors::get)
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
            M3ChangeCursor start = fromOffset ? M3ChangeCursor.fromMap(offset) : M3ChangeCursor.since(since);
            return M3Entities.reader(ion.m3(), ctx, config.pageSize(), start);
        }
        SyteLineBookmark start = fromOffset ? SyteLineBookmark.fromMap(offset) : SyteLineBookmark.since(since, config.zone());
        return SyteLineEntities.reader(ion.ido(partition.company()), ctx, config.pageSize(), start);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        int cap = config.maxRecordsPerPoll();
        List<SourceRecord> out = new ArrayList<>();
        while (out.size() < cap && !stopping) {
            long now = System.currentTimeMillis();
            Due due = queue.peek();
            if (due == null || due.at > now) {
                break;
            }
            queue.remove();
            ChangeReader reader = due.reader;
            ChangeReader.Page page;
            try {
                page = reader.read(cap - out.size());
            } catch (IonHttpException e) {
                apiErrors.incrementAndGet();
                if (e.status() != 0 && e.status() != 429 && e.status() < 500) {
                    throw new ConnectException("Reading " + reader.partition() + " failed: " + e.getMessage(), e);
                }
                queue.add(new Due(now + RETRY_BACKOFF.toMillis(), seq++, reader));
                if (out.isEmpty()) {
                    throw new RetriableException("Reading " + reader.partition() + " failed for now: " + e.getMessage(), e);
                }
                log.warn("Reading {} failed for now, retried in {}: {}", reader.partition(), RETRY_BACKOFF, e.getMessage());
                return out;
            } catch (IonException e) {
                apiErrors.incrementAndGet();
                throw new ConnectException("Reading " + reader.partition() + " failed: " + e.getMessage(), e);
            }
            pages.incrementAndGet();
            for (ChangeReader.Read read : page.reads()) {
                out.add(record(reader.partition(), read));
            }
            long next = page.more() ? now : now + config.pollInterval(reader.partition().entity()).toMillis();
            queue.add(new Due(next, seq++, reader));
        }
        if (out.isEmpty()) {
            idle();
            return null;
        }
        return out;
    }

    private SourceRecord record(SourcePartition partition, ChangeReader.Read read) {
        Struct key = new Struct(RecordSchemas.KEY).put("tenant", tenant).put("company", partition.company())
                .put("entity", partition.entity().id()).put("number", read.number() == null ? "" : read.number());
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

    private void idle() throws InterruptedException {
        Due due = queue.peek();
        long wait = due == null ? MAX_IDLE_MS : Math.min(MAX_IDLE_MS, due.at - System.currentTimeMillis());
        if (wait > 0) {
            synchronized (wakeup) {
                if (!stopping) {
                    wakeup.wait(wait);
                }
            }
        }
    }

    private long bookmarkAgeMillis() {
        long now = System.currentTimeMillis();
        return readers.stream().mapToLong(r -> now - r.position().toEpochMilli()).max().orElse(0);
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (ion != null) {
            ion.close();
        }
    }
}
