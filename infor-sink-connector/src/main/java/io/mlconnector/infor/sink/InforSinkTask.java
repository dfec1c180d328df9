package io.mlconnector.infor.sink;

import io.mlconnector.connect.PluginVersion;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.TaskMetrics;
import io.mlconnector.infor.IonAuthenticationException;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.IonException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each task event to CloudSuite through the first rule that matches it and audits the outcome.
 * {@link #put} returns only once CloudSuite answered and the audit records are acknowledged, so the
 * offsets Connect commits cover only events whose outcome is recorded. Rejections by CloudSuite also go
 * to the dead letter queue; outages make Connect redeliver the batch, which the checks make harmless.
 */
public class InforSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(InforSinkTask.class);

    private InforSinkConfig config;
    private IonClient ion;
    private Map<WritebackRule, WritebackAction> rules;
    private AuditLog audit;
    private ErrantRecordReporter reporter;
    private final Map<Outcome.Kind, AtomicLong> outcomes = new EnumMap<>(Outcome.Kind.class);
    private final AtomicLong unmatched = new AtomicLong();
    // Connect redelivers a whole batch after a RetriableException: what this task already wrote back and
    // audited is skipped, so one flaky call costs one retry, not the re-check of every earlier record.
    private final Map<TopicPartition, Long> writtenUpTo = new HashMap<>();

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new InforSinkConfig(props);
        ion = InforClients.create(config);
        rules = new LinkedHashMap<>();
        for (WritebackRule rule : config.rules()) {
            rules.put(rule, rule.action(ion, config));
        }
        audit = new AuditLog(config.auditProducerSettings(), config.getString(InforSinkConfig.AUDIT_TOPIC),
                config.backend().name());
        reporter = context.errantRecordReporter();
        for (Outcome.Kind kind : Outcome.Kind.values()) {
            outcomes.put(kind, new AtomicLong());
        }
        TaskMetrics metrics = TaskMetrics.from(context::pluginMetrics);
        outcomes.forEach((kind, count) -> metrics.gauge("writebacks-" + kind.name().toLowerCase().replace('_', '-'),
                "Writeback outcomes " + kind, count::get));
        metrics.gauge("events-unmatched", "Events no rule acts on", unmatched::get)
                .gauge("ion-logins", "ION token logins by this worker", () -> ion.tokens().logins());
        log.info("Infor sink writing back to {} with rules {}, auditing to {}", config.backend(),
                rules.keySet().stream().map(WritebackRule::name).toList(), config.getString(InforSinkConfig.AUDIT_TOPIC));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            for (SinkRecord record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
                Long written = writtenUpTo.get(partition);
                if (written != null && record.kafkaOffset() <= written) {
                    continue;
                }
                writeBack(record);
                writtenUpTo.put(partition, record.kafkaOffset());
            }
        } catch (IonAuthenticationException e) {
            throw new ConnectException("ION refused the service account (" + e.getMessage()
                    + "); check ion.credentials", e);
        } catch (IonException outage) {
            audit.awaitWritten();
            context.timeout(config.getLong(InforSinkConfig.RETRY_BACKOFF));
            throw new RetriableException("CloudSuite did not answer reliably; the batch is redelivered and the "
                    + "checks skip what was already applied: " + outage.getMessage(), outage);
        }
        audit.awaitWritten();
    }

    private void writeBack(SinkRecord record) {
        RecordView event = new RecordView(record);
        for (Map.Entry<WritebackRule, WritebackAction> entry : rules.entrySet()) {
            WritebackRule rule = entry.getKey();
            if (!rule.matches(event)) {
                continue;
            }
            String reference = rule.reference(event);
            Outcome outcome = reference.isEmpty()
                    ? Outcome.rejected("the event carries no CloudSuite reference for rule " + rule.name())
                    : entry.getValue().apply(event);
            outcomes.get(outcome.kind()).incrementAndGet();
            audit.record(record, event, rule.name(), entry.getValue().describe(), reference, outcome);
            if (outcome.kind() == Outcome.Kind.REJECTED) {
                log.warn("Writeback of {} by rule {} rejected: {}", reference, rule.name(), outcome.message());
                if (reporter != null) {
                    reporter.report(record, new ConnectException("CloudSuite rejected the writeback of " + reference
                            + " (rule " + rule.name() + "): " + outcome.message()));
                }
            }
            return;
        }
        unmatched.incrementAndGet();
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        writtenUpTo.keySet().removeAll(partitions);
    }

    @Override
    public void stop() {
        if (audit != null) {
            audit.close();
        }
        if (ion != null) {
            ion.close();
            log.info("Infor sink stopping: outcomes {}, {} events matched no rule", outcomes, unmatched);
        }
    }
}
