package io.mlconnector.asana.webhook;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.Event;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.RateLimitedException;
import io.mlconnector.asana.ServerErrorException;
import io.mlconnector.asana.connect.AsanaClients;
import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.TaskMetrics;
import io.mlconnector.connect.http.ListenerSettings;
import io.mlconnector.connect.lifecycle.ManagedSourceTask;
import io.mlconnector.connect.lifecycle.TaskResources;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the webhook endpoint for one resource and writes every verified event to Kafka. A POST is
 * answered 200 only when Kafka acknowledged the records it produced ({@link #commitRecord}), else
 * 503 within Asana's 10-second window so Asana retries. Beside it, a keeper thread re-registers the
 * webhook when Asana drops it and catches up from the events API.
 */
public class AsanaWebhookSourceTask extends ManagedSourceTask {

    private static final Logger log = LoggerFactory.getLogger(AsanaWebhookSourceTask.class);
    private static final int MAX_BATCH = 1000;
    /**
     * Batch calls in flight for deliveries, each of up to 10 task reads: 40 reads, inside Asana's 50 concurrent
     * reads per token, which others share.
     */
    private static final int TASK_READERS = 4;
    /** Asana retries a failed delivery for 24 hours; an hour more for clocks and queues. */
    private static final Duration ASANA_RETRY_PERIOD = Duration.ofHours(25);
    /** Set-up retries wait 1 s, doubling up to a minute. */
    private static final long MAX_SETUP_BACKOFF_MS = 60_000;

    private AsanaWebhookSourceConfig config;
    private DeliveryLedger ledger;
    private RecordOutbox outbox;
    private EventIntake intake;
    private WebhookEndpoint endpoint;
    private WebhookKeeper keeper;
    private EventCatchUp catchUp;
    private ScheduledExecutorService scheduler;
    private ExecutorService readers;
    private AsanaClient client;
    private Clock clock;
    private long ackTimeoutMs;
    private volatile RuntimeException setUpFailure;
    private final AtomicLong acksTimedOut = new AtomicLong();
    private final AtomicLong replaysRefused = new AtomicLong();
    private final AtomicLong startAttempts = new AtomicLong();

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    protected void startTask(Map<String, String> props, TaskResources resources) {
        config = new AsanaWebhookSourceConfig(props);
        String resource = config.resource();
        SourceOffset stored = SourceOffset.restore(context.offsetStorageReader(), resource);
        client = resources.own(AsanaClients.create(config));
        clock = Clock.systemUTC();
        int window = config.getInt(AsanaWebhookSourceConfig.DEDUPE_WINDOW);
        ledger = new DeliveryLedger(Math.max(50_000, window * 2));
        ledger.restore(stored.seenIds(), stored.horizon());
        outbox = new RecordOutbox(resource, config.getString(AsanaWebhookSourceConfig.TOPIC),
                config.getString(AsanaWebhookSourceConfig.CHECKPOINT_TOPIC), window, stored, clock);
        readers = resources.threads("asana-webhook-task-reader", TASK_READERS);
        intake = new EventIntake(client, readers, ledger, outbox, config.filters(), new TaskEventRecord.FieldNames(
                config.getString(AsanaWebhookSourceConfig.PO_NUMBER_FIELD),
                config.getString(AsanaWebhookSourceConfig.INVOICE_NUMBER_FIELD)));
        ackTimeoutMs = config.getLong(AsanaWebhookSourceConfig.ACK_TIMEOUT);
        boolean webhook = config.deliveryMode() == AsanaWebhookSourceConfig.DeliveryMode.WEBHOOK;
        // without a webhook nothing else delivers an event: the catch-up takes each one as soon as it is listed
        catchUp = new EventCatchUp(client, intake, outbox, resource,
                webhook ? config.duration(AsanaWebhookSourceConfig.CATCHUP_GRACE) : Duration.ZERO, clock, stored);
        if (webhook) {
            openEndpoint(resource, resources);
        }
        registerMetrics();
        scheduler = resources.scheduler("asana-webhook-keeper-" + resource);
        // Asana is first called from here, not from start(): an outage at start is waited out, not a FAILED task.
        scheduler.execute(() -> setUp(stored));
        if (webhook) {
            log.info("Asana webhook source for resource {} listening on port {}{}", resource, endpoint.port(),
                    config.getString(AsanaWebhookSourceConfig.LISTENER_PATH));
        } else {
            log.info("Asana webhook source for resource {} reading Asana's events API every {} ms (no webhook)",
                    resource, config.getLong(AsanaWebhookSourceConfig.CATCHUP_INTERVAL));
        }
    }

    private void openEndpoint(String resource, TaskResources resources) {
        try {
            endpoint = resources.own(new WebhookEndpoint(ListenerSettings.address(config), ListenerSettings.tls(config),
                    config.getString(AsanaWebhookSourceConfig.LISTENER_PATH), ListenerSettings.limits(config),
                    this::deliver));
        } catch (IOException e) {
            throw new ConnectException("cannot listen on " + config.getString(AsanaWebhookSourceConfig.LISTENER_BIND) + ":"
                    + config.getInt(AsanaWebhookSourceConfig.LISTENER_PORT) + ": " + e.getMessage(), e);
        }
        keeper = new WebhookKeeper(client, endpoint, new WebhookSecretStore(resource, config.secretKeys()), outbox,
                config.getString(AsanaWebhookSourceConfig.WORKSPACE), resource,
                config.getString(AsanaWebhookSourceConfig.TARGET_URL), config.filters());
    }

    /**
     * Takes a sync token, then adopts or registers the webhook: every change after the token is either delivered or
     * recovered. Retried with backoff while Asana is unreachable; anything else fails the task at the next poll.
     */
    private void setUp(SourceOffset stored) {
        startAttempts.incrementAndGet();
        try {
            if (!catchUp.hasToken()) {
                catchUp.startFromNow();
            }
            if (keeper != null) {
                keeper.start(stored);
            } else if (stored.webhookGid() != null) {
                retire(stored.webhookGid());
            }
        } catch (ServerErrorException | RateLimitedException | AsanaIOException e) {
            long delay = Math.min(MAX_SETUP_BACKOFF_MS, 1000L << Math.min(startAttempts.get() - 1, 6));
            log.warn("Asana is not answering reliably while setting up the webhook for resource {} ({}); trying again "
                    + "in {} ms", config.resource(), e.getMessage(), delay);
            scheduler.schedule(() -> setUp(stored), delay, TimeUnit.MILLISECONDS);
            return;
        } catch (RuntimeException e) {
            setUpFailure = e;
            return;
        }
        if (keeper != null) {
            scheduler.scheduleWithFixedDelay(() -> guarded("webhook check", () -> {
                if (keeper.check()) {
                    catchUp.run();
                }
            }), config.getLong(AsanaWebhookSourceConfig.CHECK_INTERVAL),
                    config.getLong(AsanaWebhookSourceConfig.CHECK_INTERVAL), TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(() -> guarded("events catch-up", catchUp::run), 0,
                config.getLong(AsanaWebhookSourceConfig.CATCHUP_INTERVAL), TimeUnit.MILLISECONDS);
    }

    /** The webhook of an earlier run in webhook mode: nothing listens for it now, so Asana would fail every delivery. */
    private void retire(String webhookGid) {
        try {
            client.deleteWebhook(webhookGid);
        } catch (NotFoundException alreadyGone) {
            // deleted in Asana meanwhile: what we wanted
        }
        outbox.webhookRegistered(null, null);
        log.info("Deleted Asana webhook {} of resource {}, registered when this connector ran with delivery.mode=WEBHOOK",
                webhookGid, config.resource());
    }

    /**
     * A verified delivery: produce its events, then wait until Kafka has them. Events this task cannot tell from a
     * replay (older than Asana retries, or than what the ledger remembers) are refused: answered, never produced.
     */
    private int deliver(List<Event> events) {
        Instant asanaRetriesSince = clock.instant().minus(ASANA_RETRY_PERIOD);
        List<EventIntake.Incoming> incoming = new ArrayList<>(events.size());
        for (Event event : events) {
            EventIntake.Incoming one = EventIntake.Incoming.of(event);
            Instant created = event.createdAt();
            if (created != null && created.isBefore(asanaRetriesSince) || ledger.mayHaveForgotten(one.eventId(), created)) {
                if (replaysRefused.incrementAndGet() % 100 == 1) {
                    log.warn("A signed delivery carried event {} created at {}, too old to tell from a replay; not "
                            + "produced ({} such events so far)", one.eventId(), created, replaysRefused.get());
                }
                continue;
            }
            incoming.add(one);
        }
        if (incoming.isEmpty()) {
            return 200;
        }
        EventIntake.Outcome outcome;
        try {
            outcome = intake.accept(incoming, TaskEventRecord.Origin.WEBHOOK);
        } catch (RuntimeException e) {
            log.warn("Could not read the tasks of a delivery ({} events); answered 503 so that Asana retries: {}",
                    events.size(), e.toString());
            return 503;
        }
        try {
            outcome.all().get(ackTimeoutMs, TimeUnit.MILLISECONDS);
            return 200;
        } catch (TimeoutException e) {
            acksTimedOut.incrementAndGet();
            log.warn("Kafka did not acknowledge a delivery's {} records within {} ms; answered 503 so that Asana retries",
                    outcome.acknowledgements().size(), ackTimeoutMs);
            return 503;
        } catch (ExecutionException e) {
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
    }

    @Override
    protected List<SourceRecord> pollRecords() throws InterruptedException {
        RuntimeException failure = setUpFailure;
        if (failure != null) {
            throw new ConnectException("cannot set up the Asana webhook for resource " + config.resource() + ": "
                    + failure.getMessage(), failure);
        }
        return outbox.drain(500, MAX_BATCH);
    }

    /** Kafka has the record (or an SMT dropped it, metadata null): the POST that carried it may answer 200. */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        Header id = record.headers().lastWithName(RecordOutbox.EVENT_ID_HEADER);
        if (id != null) {
            ledger.acknowledged((String) id.value());
        }
    }

    /** Deliveries still waiting are answered 503 first, so that Asana sends them again; then the resources go. */
    @Override
    protected void stopTask() {
        if (ledger != null) {
            ledger.failPending(new ConnectException("task stopped"));
        }
    }

    private void registerMetrics() {
        TaskMetrics metrics = metrics()
                .gauge("events-recovered", "Records produced by the events-API catch-up or a reconciliation",
                        catchUp.recovered::get)
                .gauge("events-produced", "Task event records produced", intake.produced::get)
                .gauge("events-duplicate", "Events met again (retry, catch-up) and not produced twice",
                        intake.duplicates::get)
                .gauge("start-attempts", "Attempts to take the sync token and set up the webhook",
                        startAttempts::get);
        if (endpoint == null) {
            return;
        }
        metrics.gauge("webhook-events-received", "Events in verified webhook deliveries", endpoint.eventsReceived::get)
                .gauge("webhook-signatures-rejected", "POSTs answered 401 or 403: missing or wrong signature, or a "
                        + "handshake outside a registration", endpoint.signaturesRejected::get)
                .gauge("webhook-registrations", "Webhooks registered by this task", keeper.registrations::get)
                .gauge("webhook-re-registrations", "Webhooks registered again after Asana deleted them",
                        keeper.reRegistrations::get)
                .gauge("deliveries-ack-timed-out", "Deliveries answered 503 because Kafka did not acknowledge in time",
                        acksTimedOut::get)
                .gauge("webhook-handshakes-rejected", "Handshakes answered 403: outside a registration, without its "
                        + "one-time token, or after its first handshake", endpoint.handshakesRejected::get)
                .gauge("webhook-replays-refused", "Events in signed deliveries too old to tell from a replay; answered, "
                        + "not produced", replaysRefused::get)
                .gauge("listener-connections-refused", "Connections closed at once because listener.max.connections "
                        + "were open", endpoint.listener.connectionsRefused::get)
                .gauge("listener-requests-timed-out", "Requests cut off by the header or request deadline",
                        endpoint.listener.requestsTimedOut::get)
                .gauge("deliveries-refused-busy", "Deliveries answered 503 because listener.max.queued.deliveries "
                        + "were waiting", endpoint.stage.refusedFull::get)
                .gauge("deliveries-timed-out", "Deliveries answered 503 because the request deadline passed first",
                        endpoint.stage.timedOut::get);
    }

    private static void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("Asana {} failed; trying again at the next interval: {}", what, e.toString());
        }
    }
}
