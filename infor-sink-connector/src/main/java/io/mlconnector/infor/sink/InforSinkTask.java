package io.mlconnector.infor.sink;

import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.TaskMetrics;
import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.TaskLedger;
import io.mlconnector.connect.lifecycle.ManagedSinkTask;
import io.mlconnector.connect.lifecycle.TaskResources;
import io.mlconnector.infor.IonAuthenticationException;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.IonException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each task event to CloudSuite through the first rule that matches it and audits the outcome; a
 * rule whose record is in another state may leave the event to the next one ({@code state.otherwise}).
 * An event writes only when the task ledger names its record (the connectors made the task), a person
 * other than the connectors' own Asana user made the change, and the approvers rule allows that person;
 * the write then goes to the ledger's record, in its own company or site.
 * {@link #put} returns only once CloudSuite answered and the audit records are acknowledged, so the
 * offsets Connect commits cover only events whose outcome is recorded. Rejections by CloudSuite also go
 * to the dead letter queue; outages make Connect redeliver the batch, which the checks make harmless.
 */
public class InforSinkTask extends ManagedSinkTask {

    private static final Logger log = LoggerFactory.getLogger(InforSinkTask.class);

    private InforSinkConfig config;
    private IonClient ion;
    private Map<WritebackRule, WritebackAction> rules;
    private AuditLog audit;
    private ErrantRecordReporter reporter;
    private Approvers approvers;
    private TaskLedger.Source ledgerSource;
    private LedgerIndex ledger;
    private final java.util.function.BiFunction<TaskLedger.Settings, String, TaskLedger.Source> ledgers;
    private final java.util.function.Function<Map<String, Object>, Producer<String, String>> auditProducers;
    private final Map<Outcome.Kind, AtomicLong> outcomes = new EnumMap<>(Outcome.Kind.class);
    private final AtomicLong unmatched = new AtomicLong();
    // Connect redelivers a whole batch after a RetriableException: what this task already wrote back and
    // audited is skipped, so one flaky call costs one retry, not the re-check of every earlier record.
    private final Map<TopicPartition, Long> writtenUpTo = new HashMap<>();

    public InforSinkTask() {
        // the Infor sink may start before the Asana sink has ever run: it creates the ledger as the sink would
        this((settings, clientId) -> {
            TaskLedger.ensureTopic(settings);
            return new TaskLedger.Reader(settings, clientId);
        }, AuditLog::open);
    }

    /**
     * @param ledgers        opens the task ledger for reading (tests keep it in memory)
     * @param auditProducers opens the audit topic's producer from its settings (tests use a MockProducer)
     */
    InforSinkTask(java.util.function.BiFunction<TaskLedger.Settings, String, TaskLedger.Source> ledgers,
            java.util.function.Function<Map<String, Object>, Producer<String, String>> auditProducers) {
        this.ledgers = ledgers;
        this.auditProducers = auditProducers;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    protected void startTask(Map<String, String> props, TaskResources resources) {
        config = new InforSinkConfig(props);
        ion = resources.own(InforClients.create(config));
        rules = new LinkedHashMap<>();
        for (WritebackRule rule : config.rules()) {
            rules.put(rule, rule.action(ion, config));
        }
        String clientId = "ml-connector-infor-sink-" + props.getOrDefault("name", "sink") + "-"
                + Integer.toHexString(System.identityHashCode(this));
        audit = resources.own(new AuditLog(auditProducers.apply(config.auditProducerSettings(clientId + "-audit")),
                config.getString(InforSinkConfig.AUDIT_TOPIC), config.backend().name().toLowerCase(Locale.ROOT)));
        reporter = context.errantRecordReporter();
        approvers = config.approvers();
        ledgerSource = ledgers.apply(TaskLedger.Settings.from(config), clientId + "-ledger");
        if (ledgerSource instanceof AutoCloseable closeable) {
            resources.own(closeable);
        }
        ledger = new LedgerIndex(ledgerSource);
        try {
            ledger.refresh();
        } catch (org.apache.kafka.common.errors.RetriableException kafkaUnavailable) {
            throw new RetriableException("the task ledger could not be read yet: " + kafkaUnavailable.getMessage(),
                    kafkaUnavailable);
        }
        for (Outcome.Kind kind : Outcome.Kind.values()) {
            outcomes.putIfAbsent(kind, new AtomicLong());
        }
        TaskMetrics metrics = metrics();
        outcomes.forEach((kind, count) -> metrics.gauge("writebacks-" + kind.name().toLowerCase().replace('_', '-'),
                "Writeback outcomes " + kind, count::get));
        metrics.gauge("events-unmatched", "Events no rule acts on", unmatched::get)
                .gauge("ledger-tasks", "Tasks the task ledger ties to a CloudSuite record", ledger::size)
                .gauge("ion-logins", "ION token logins by this worker", () -> ion.tokens().logins());
        log.info("Infor sink writing back to {} with rules {}, auditing to {}", config.backend(),
                rules.keySet().stream().map(WritebackRule::name).toList(), config.getString(InforSinkConfig.AUDIT_TOPIC));
    }

    /**
     * Writes each record back and audits it. A record counts as written back (skipped when Connect delivers it again)
     * only once Kafka has its audit record: after a failed audit write the batch comes again, the checks find the
     * change applied, and the outcome is audited then.
     */
    @Override
    protected void putRecords(Collection<SinkRecord> records) {
        if (!records.isEmpty()) {
            ledger.refresh();
        }
        Map<TopicPartition, Long> writtenNow = new HashMap<>();
        try {
            for (SinkRecord record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
                Long written = writtenUpTo.get(partition);
                if (written != null && record.kafkaOffset() <= written) {
                    continue;
                }
                writeBack(record);
                writtenNow.put(partition, record.kafkaOffset());
            }
        } catch (IonAuthenticationException e) {
            throw new ConnectException("ION refused the service account (" + e.getMessage()
                    + "); check ion.credentials", e);
        } catch (IonException outage) {
            audit.awaitWritten();
            writtenUpTo.putAll(writtenNow);
            context.timeout(config.getLong(InforSinkConfig.RETRY_BACKOFF));
            throw new RetriableException("CloudSuite did not answer reliably; the batch is redelivered and the "
                    + "checks skip what was already applied: " + outage.getMessage(), outage);
        }
        audit.awaitWritten();
        writtenUpTo.putAll(writtenNow);
    }

    private void writeBack(SinkRecord record) {
        RecordView received = new RecordView(record);
        String taskGid = text(received.get("task_gid"));
        java.util.Optional<LedgerEntry> task = ledger.find(taskGid).filter(t -> t.record() != null);
        // the task's record comes from the ledger, never from the task's own fields
        RecordView event = task.map(t -> received.with("record", t.record().fields())).orElse(received);
        Decision passedOn = null;
        for (Map.Entry<WritebackRule, WritebackAction> entry : rules.entrySet()) {
            WritebackRule rule = entry.getKey();
            if (!rule.matches(event)) {
                continue;
            }
            String decidedBy = decider(event);
            Outcome outcome;
            String reference = "";
            if (task.isEmpty()) {
                outcome = new Outcome(Outcome.Kind.NOT_OURS, "task " + taskGid + " is not in the task ledger: the "
                        + "connectors did not make it, so it names no CloudSuite record and nothing is written");
            } else {
                reference = rule.reference(event);
                outcome = refusal(decidedBy, task.get()).orElseGet(() -> apply(rule, entry.getValue(), event));
            }
            Decision decision = new Decision(rule, entry.getValue(), reference, outcome, decidedBy);
            if (outcome.nextRule()) {
                passedOn = decision; // a record in a state this rule does not write: the next rule may
                continue;
            }
            record(record, event, taskGid, decision);
            return;
        }
        if (passedOn != null) {
            record(record, event, taskGid, passedOn);
        } else {
            unmatched.incrementAndGet();
        }
    }

    /**
     * A field a rule names that CloudSuite's answer does not hold is a mistake in the rule, the same for every
     * record: the task fails with the rule's name, so the user fixes its settings instead of reading a stack trace.
     */
    private static Outcome apply(WritebackRule rule, WritebackAction action, RecordView event) {
        try {
            return action.apply(event);
        } catch (IllegalArgumentException e) {
            throw new ConnectException("writeback rule " + rule.name() + " (" + action.describe() + ") names what "
                    + "CloudSuite's answer does not hold: " + e.getMessage() + ". Check the rule's check.applied, "
                    + "state.allowed and ${state.*} settings", e);
        }
    }

    /** What one rule made of an event. */
    private record Decision(WritebackRule rule, WritebackAction action, String reference, Outcome outcome,
                            String decidedBy) {
    }

    private void record(SinkRecord record, RecordView event, String taskGid, Decision decision) {
        Outcome outcome = decision.outcome();
        String reference = decision.reference();
        String rule = decision.rule().name();
        outcomes.get(outcome.kind()).incrementAndGet();
        audit.record(record, event, rule, decision.action().describe(), reference, outcome, decision.decidedBy());
        if (outcome.refusedBeforeCloudSuite()) {
            log.warn("Event {} on task {} by Asana user {} writes nothing ({}): {}", event.get("event_id"), taskGid,
                    decision.decidedBy(), outcome.kind(), outcome.message());
        }
        if (outcome.kind() == Outcome.Kind.REJECTED) {
            log.warn("Writeback of {} by rule {} rejected: {}", reference, rule, outcome.message());
            if (reporter != null) {
                reporter.report(record, new ConnectException("CloudSuite rejected the writeback of " + reference
                        + " (rule " + rule + "): " + outcome.message()));
            }
        }
    }

    /**
     * Who made the change: the event's user, or for a completion found by reconciliation (no event user)
     * the task's completed_by.
     */
    private static String decider(RecordView event) {
        String user = text(event.get("user_gid"));
        return user != null ? user : text(event.get("task.completed_by_gid"));
    }

    private java.util.Optional<Outcome> refusal(String decidedBy, LedgerEntry task) {
        if (decidedBy == null) {
            return java.util.Optional.of(new Outcome(Outcome.Kind.NOT_ALLOWED,
                    "Asana does not say who made this change, so it is no one's decision"));
        }
        if (decidedBy.equals(task.connectorUserGid())) {
            return java.util.Optional.of(new Outcome(Outcome.Kind.NOT_A_DECISION, "made by the connectors' own Asana "
                    + "user " + decidedBy + " (e.g. completing a task whose CloudSuite status closed it)"));
        }
        return approvers.refusal(decidedBy, task).map(why -> new Outcome(Outcome.Kind.NOT_ALLOWED, why));
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        writtenUpTo.keySet().removeAll(partitions);
    }

    @Override
    protected void stopTask() {
        if (ion != null) {
            log.info("Infor sink stopping: outcomes {}, {} events matched no rule", outcomes, unmatched);
        }
    }
}
