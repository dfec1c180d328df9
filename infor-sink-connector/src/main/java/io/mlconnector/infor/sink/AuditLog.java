package io.mlconnector.infor.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import io.mlconnector.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Writes one JSON audit record per writeback outcome to the audit topic with an idempotent producer.
 * The sink waits for them ({@link #awaitWritten}) before its offsets may be committed, so an outcome is
 * never lost: if the audit write fails, the batch is redelivered and the idempotent writebacks are
 * audited again (as already applied).
 */
final class AuditLog implements AutoCloseable {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final Producer<String, String> producer;
    private final String topic;
    private final String backend;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    /** @param producer the audit topic's producer, see {@link #open} */
    AuditLog(Producer<String, String> producer, String topic, String backend) {
        this.producer = producer;
        this.topic = topic;
        this.backend = backend;
    }

    /** The audit topic's producer, from the audit producer settings. */
    static Producer<String, String> open(Map<String, Object> producerSettings) {
        return new KafkaProducer<>(producerSettings, new StringSerializer(), new StringSerializer());
    }

    /** Sends the record of one outcome, keyed by the CloudSuite reference so one record's history stays in order. */
    void record(SinkRecord source, RecordView event, String rule, String action, String reference, Outcome outcome,
            String decidedBy) {
        ObjectNode audit = JSON.createObjectNode()
                .put("outcome", outcome.kind().name())
                .put("rule", rule)
                .put("action", action)
                .put("backend", backend)
                .put("reference", reference)
                .put("message", outcome.message())
                .put("asana_event_id", text(event.get("event_id")))
                .put("asana_task_gid", text(event.get("task_gid")))
                .put("asana_user_gid", text(event.get("user_gid")))
                .put("decided_by", decidedBy)
                .put("event_created_at", text(event.get("created_at")))
                .put("recorded_at", Instant.now().toString());
        if (event.get("record.number") != null) {
            ObjectNode record = audit.putObject("record");
            for (String field : new String[] {"backend", "tenant", "company", "division", "entity", "number"}) {
                record.put(field, text(event.get("record." + field)));
            }
        }
        audit.putObject("source").put("topic", source.topic()).put("partition", source.kafkaPartition())
                .put("offset", source.kafkaOffset());
        pending.add(producer.send(new ProducerRecord<>(topic, reference.isEmpty() ? null : reference, audit.toString())));
    }

    /** Blocks until every record sent so far is acknowledged; a failure makes Connect redeliver the batch. */
    void awaitWritten() {
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : pending) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new RetriableException("an audit record could not be written to " + topic
                    + "; the batch is retried so no outcome is lost", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while writing audit records", e);
        } finally {
            pending.clear();
        }
    }

    private static String text(Object value) {
        return value == null ? null : Template.format(value);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
