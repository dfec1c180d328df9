package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaException;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.BadRequestException;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.CustomFieldCatalog;
import io.mlconnector.asana.CustomFieldType;
import io.mlconnector.asana.RateLimitedException;
import io.mlconnector.asana.RateLimiter;
import io.mlconnector.asana.ServerErrorException;
import io.mlconnector.asana.connect.AsanaClients;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import io.mlconnector.connect.ledger.RecordIdentity;
import io.mlconnector.connect.ledger.TaskLedger;
import io.mlconnector.connect.lifecycle.ManagedSinkTask;
import io.mlconnector.connect.lifecycle.TaskResources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch to Asana: reference records seed enum options, the others upsert one task per key.
 * Keys are written concurrently, each key's records in order (only its last state is written). {@link #put}
 * returns only when every write finished, so the offsets Connect commits are those of completed writes.
 */
public class AsanaSinkTask extends ManagedSinkTask {

    private static final Logger log = LoggerFactory.getLogger(AsanaSinkTask.class);

    private AsanaSinkConfig config;
    private AsanaClient client;
    private EnumOptions enumOptions;
    private TaskMapper mapper;
    private TaskIndex index;
    private TaskWriter writer;
    private Map<String, CustomField> seedFields;
    private Template seedTemplate;
    private ExecutorService pool;
    private ErrantRecordReporter reporter;
    private final java.util.function.BiFunction<TaskLedger.Settings, String, TaskLedger.Connection> ledgers;
    private TaskLedger.Connection ledger;
    private volatile boolean indexStale = true;
    private boolean updateOnly;

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong withoutTask = new AtomicLong();
    private final AtomicLong tombstones = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong startAttempts = new AtomicLong();

    public AsanaSinkTask() {
        this(TaskLedger::connect);
    }

    /** @param ledgers opens the task ledger from its settings and a client id (tests keep it in memory) */
    AsanaSinkTask(java.util.function.BiFunction<TaskLedger.Settings, String, TaskLedger.Connection> ledgers) {
        this.ledgers = ledgers;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    /**
     * Reads the custom fields and the connector's own user from Asana ({@link #connectToAsana}); while Asana is
     * out of reach the start is retried (see {@link ManagedSinkTask}), so an outage delays the task, not fails it.
     */
    @Override
    protected void startTask(Map<String, String> props, TaskResources resources) {
        startAttempts.incrementAndGet();
        config = new AsanaSinkConfig(props);
        client = resources.own(AsanaClients.create(config));
        TaskLedger.Settings ledgerSettings = TaskLedger.Settings.from(config);
        ledger = resources.own(ledgers.apply(ledgerSettings, "ml-connector-asana-sink-"
                + props.getOrDefault("name", "sink") + "-ledger-" + Integer.toHexString(System.identityHashCode(this))));
        updateOnly = config.writeMode() == AsanaSinkConfig.WriteMode.UPDATE;
        reporter = context.errantRecordReporter();
        pool = resources.threads("asana-sink-writer", config.getInt(AsanaSinkConfig.CONCURRENCY));
        transient_(this::connectToAsana);
        registerMetrics(client.rateLimiter());
    }

    /** The custom fields and the connector's own user, read from Asana once, before the first write. */
    private void connectToAsana() {
        CustomFieldCatalog catalog = client.customFields(config.getString(AsanaSinkConfig.WORKSPACE));
        String connectorUser = client.currentUserGid();
        enumOptions = new EnumOptions(client);
        mapper = new TaskMapper(config, catalog, enumOptions);
        seedFields = new LinkedHashMap<>();
        config.seedTopics().forEach((topic, field) -> seedFields.put(topic,
                TaskMapper.resolve(catalog, field, AsanaSinkConfig.ENUM_SEED_TOPICS)));
        seedTemplate = new Template(config.getString(AsanaSinkConfig.ENUM_SEED_TEMPLATE));
        String project = config.getString(AsanaSinkConfig.PROJECT);
        boolean external = config.tokenType() == AsanaTokenType.OAUTH;
        WrittenState written = new WrittenState(project, mapper.fieldGids());
        index = new TaskIndex(client, ledger, project, connectorUser, mapper.keyField(), written);
        writer = new TaskWriter(client, index, written, project, external, updateOnly);
        log.info("Asana sink writing to project {} as Asana user {} ({} custom fields mapped, upsert by {}, {} concurrent "
                + "writes, task ledger {})", project, connectorUser, config.customFieldTemplates().size(),
                external ? "external id" : "custom field '" + mapper.keyField().name() + "'",
                config.getInt(AsanaSinkConfig.CONCURRENCY), config.getString(TaskLedger.TOPIC));
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        // tasks made by another sink task before a rebalance must be known before this one writes their keys
        indexStale = true;
    }

    @Override
    protected void putRecords(Collection<SinkRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (indexStale) {
            transient_(() -> index.rebuild(ledger));
            indexStale = false;
        } else if (updateOnly) {
            // the tasks this sink updates are made by another sink: take what it recorded since the last batch
            index.catchUp(ledger);
        }
        Map<String, Pending> byKey = new LinkedHashMap<>();
        // a record whose mapping met a transient failure (e.g. adding its enum option) is retried with the batch
        List<RuntimeException> transientFailures = new ArrayList<>();
        for (SinkRecord record : batch) {
            records.incrementAndGet();
            if (record.value() == null) {
                // a document deleted in CloudSuite (a Delete BOD): its task stays, as the person's record of it
                tombstones.incrementAndGet();
                continue;
            }
            CustomField seedField = seedFieldFor(record);
            try {
                if (seedField != null) {
                    seed(record, seedField);
                } else {
                    RecordView view = new RecordView(record);
                    if (updateOnly && !mapper.hasKey(view)) {
                        withoutTask.incrementAndGet(); // e.g. a payment of an invoice no task stands for
                        continue;
                    }
                    DesiredTask desired = mapper.map(view);
                    RecordIdentity identity = RecordIdentity.of(view).orElseThrow(() -> new MappingException(
                            "the record key lacks tenant, company, entity or number: the task ledger ties each "
                                    + "task to the Infor source's record key, and a writeback needs it"));
                    byKey.remove(desired.key());
                    byKey.put(desired.key(), new Pending(record, new TaskWriter.Write(desired, identity)));
                }
            } catch (MappingException e) {
                deadLetter(record, e);
            } catch (AsanaException | AsanaIOException e) {
                handleWriteFailure(record, e, transientFailures);
            }
        }
        List<Pending> pending = new ArrayList<>(byKey.values());
        transient_(() -> {
            writer.announceCreates(pending.stream().map(Pending::write).toList());
            ledger.awaitAppended();
        });
        List<Future<TaskWriter.Outcome>> results = new ArrayList<>();
        for (Pending p : pending) {
            results.add(pool.submit(() -> writer.write(p.write())));
        }
        for (int i = 0; i < pending.size(); i++) {
            try {
                count(results.get(i).get());
            } catch (ExecutionException e) {
                handleWriteFailure(pending.get(i).record(), e.getCause(), transientFailures);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while writing to Asana", e);
            }
        }
        // the offsets Connect commits after this put must never run ahead of the ledger
        ledger.awaitAppended();
        if (!transientFailures.isEmpty()) {
            context.timeout(config.getLong(AsanaSinkConfig.RETRY_BACKOFF));
            throw new RetriableException(transientFailures.size() + " of " + batch.size()
                    + " records met a transient Asana failure; the batch is redelivered (writes that "
                    + "succeeded cost nothing the second time). First: " + transientFailures.get(0).getMessage(),
                    transientFailures.get(0));
        }
    }

    @Override
    protected void stopTask() {
        if (client != null) {
            log.info("Asana sink stopping: {} records, {} tasks created, {} updated, {} unchanged, {} without a task, "
                    + "{} dead-lettered; {} API requests, {} answered 429", records, created, updated, unchanged,
                    withoutTask, deadLettered,
                    client.rateLimiter().requests(), client.rateLimiter().rateLimited());
        }
    }

    private record Pending(SinkRecord record, TaskWriter.Write write) {
    }

    private CustomField seedFieldFor(SinkRecord record) {
        CustomField field = seedFields.get(record.topic());
        return field != null ? field : seedFields.get(record.originalTopic());
    }

    private void seed(SinkRecord record, CustomField field) {
        if (field.type() != CustomFieldType.ENUM) {
            throw new MappingException("seeding topic " + record.topic() + " maps to '" + field.name()
                    + "', which is not an enum field");
        }
        String option = seedTemplate.render(new RecordView(record)).strip();
        if (option.isEmpty()) {
            throw new MappingException("the option template '" + seedTemplate + "' renders empty for this record");
        }
        enumOptions.option(field, option, true);
    }

    private void count(TaskWriter.Outcome outcome) {
        switch (outcome) {
            case CREATED -> created.incrementAndGet();
            case UPDATED -> updated.incrementAndGet();
            case UNCHANGED -> unchanged.incrementAndGet();
            case NO_TASK -> withoutTask.incrementAndGet();
        }
    }

    /** Data errors go to the dead letter queue; outages are retried; auth and permission errors stop the task. */
    private void handleWriteFailure(SinkRecord record, Throwable failure, List<RuntimeException> transientFailures) {
        if (failure instanceof MappingException mapping) {
            deadLetter(record, mapping);
        } else if (failure instanceof BadRequestException rejected) {
            deadLetter(record, new MappingException("Asana rejected the task: " + rejected.getMessage()));
        } else if (failure instanceof ServerErrorException || failure instanceof RateLimitedException
                || failure instanceof AsanaIOException) {
            transientFailures.add((RuntimeException) failure);
        } else if (failure instanceof AsanaException asana) {
            throw new ConnectException("Asana refused the connector (HTTP " + asana.status() + "): "
                    + asana.getMessage() + ". Check asana.token and its access to the workspace and project.", asana);
        } else {
            throw new ConnectException("writing to Asana failed unexpectedly", failure);
        }
    }

    private void deadLetter(SinkRecord record, MappingException reason) {
        if (reporter == null) {
            throw new ConnectException("Record " + record.topic() + "-" + record.kafkaPartition() + "@"
                    + record.kafkaOffset() + " cannot become an Asana task: " + reason.getMessage()
                    + ". Configure errors.tolerance=all and errors.deadletterqueue.topic.name to set such "
                    + "records aside.", reason);
        }
        deadLettered.incrementAndGet();
        log.warn("Record {}-{}@{} sent to the dead letter queue: {}", record.topic(), record.kafkaPartition(),
                record.kafkaOffset(), reason.getMessage());
        reporter.report(record, reason);
    }

    private void transient_(Runnable call) {
        try {
            call.run();
        } catch (ServerErrorException | RateLimitedException | AsanaIOException e) {
            context.timeout(config.getLong(AsanaSinkConfig.RETRY_BACKOFF));
            throw new RetriableException("Asana is not answering reliably: " + e.getMessage(), e);
        }
    }

    private void registerMetrics(RateLimiter limiter) {
        metrics()
                .gauge("tasks-created", "Asana tasks created", created::get)
                .gauge("tasks-updated", "Asana tasks updated", updated::get)
                .gauge("tasks-indexed", "Tasks this sink task knows from the task ledger",
                        () -> index == null ? 0 : index.size())
                .gauge("index-rebuild-requests", "Asana requests the last index rebuild from the ledger made",
                        () -> index == null ? 0 : index.rebuildCalls())
                .gauge("start-attempts", "Attempts to read the custom fields and the connector's user from Asana "
                        + "before the first write; more than 1 means Asana was unreachable at start", startAttempts::get)
                .gauge("records-unchanged", "Records whose task already matched (no API call)", unchanged::get)
                .gauge("records-dead-lettered", "Records sent to the dead letter queue", deadLettered::get)
                .gauge("records-without-task", "Records skipped in update mode because no task stands for them",
                        withoutTask::get)
                .gauge("records-tombstone", "Records without a value (a document deleted at the source), skipped; "
                        + "their tasks stay", tombstones::get)
                .gauge("api-requests", "Asana API requests made with this token in this worker", limiter::requests)
                .gauge("api-rate-limited", "Asana answers 429", limiter::rateLimited)
                .gauge("api-calls-per-record", "Asana API requests per record consumed",
                        () -> records.get() == 0 ? 0.0 : (double) limiter.requests() / records.get())
                .gauge("budget-used-ratio", "Part in use of what this worker may spend of the token's budget (its tasks' shares)",
                        () -> (double) limiter.used() / limiter.allowance());
    }
}
