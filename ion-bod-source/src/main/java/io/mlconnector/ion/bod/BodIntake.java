package io.mlconnector.ion.bod;

import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one BOD that passed the endpoint's checks: it becomes exactly one record, and ION is answered
 * when Kafka has that record.
 *
 * <ul>
 *   <li>a new version: the Infor source's record (a tombstone for a Delete), stored with its version in the
 *       document's source offset; headers name the message, the BODID and the variation;
 *   <li>a redelivery, or a variation older than one written: an audit record, and nothing else;
 *   <li>a BOD that does not have the expected structure: a data-errors record with the reason, the message's
 *       parameters and the BODID when it could be read.
 * </ul>
 */
final class BodIntake {

    private static final Logger log = LoggerFactory.getLogger(BodIntake.class);

    static final String MESSAGE_ID_HEADER = "ion.message.id";
    static final String BOD_ID_HEADER = "ion.bod.id";
    static final String VARIATION_HEADER = "ion.variation";

    static final Schema AUDIT_SCHEMA = SchemaBuilder.struct().name("io.mlconnector.ion.BodNotWritten").version(1)
            .doc("A BOD that was received and acknowledged but not written: a redelivery or a stale variation")
            .field("tenant", Schema.STRING_SCHEMA)
            .field("document_name", Schema.STRING_SCHEMA)
            .field("document_id", Schema.STRING_SCHEMA)
            .field("outcome", Schema.STRING_SCHEMA)
            .field("variation", Schema.OPTIONAL_INT64_SCHEMA)
            .field("written_variation", Schema.OPTIONAL_INT64_SCHEMA)
            .field("message_id", Schema.STRING_SCHEMA)
            .field("from_logical_id", Schema.STRING_SCHEMA)
            .field("bod_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("received_at", Timestamp.SCHEMA)
            .build();

    /** How a delivery ended, for the answer to ION. */
    record Outcome(boolean acknowledged, String message) {
    }

    /** Where each kind of record goes. */
    record Topics(Map<Entity, String> data, String errors, String audit) {
    }

    private final String tenant;
    private final String backend;
    private final BodRecords records;
    private final RecordSchemas schemas;
    private final DocumentVersions versions;
    private final RecordHandoff handoff;
    private final Topics topics;
    private final Clock clock;

    final AtomicLong written = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong nonConforming = new AtomicLong();

    BodIntake(String tenant, String backend, BodRecords records, RecordSchemas schemas, DocumentVersions versions,
              RecordHandoff handoff, Topics topics, Clock clock) {
        this.tenant = tenant;
        this.backend = backend;
        this.records = records;
        this.schemas = schemas;
        this.versions = versions;
        this.handoff = handoff;
        this.topics = topics;
        this.clock = clock;
    }

    /** Turns the BOD into its record and waits, until {@code deadlineNanos}, for Kafka to have it. */
    Outcome take(ImsParameters message, byte[] bod, long deadlineNanos) {
        BodRecords.Mapped mapped;
        BodDocument document = null;
        try {
            document = BodDocument.parse(bod);
            if (!document.documentName().equals(message.documentName())) {
                throw new BodDocument.NotABod("the payload is a " + document.documentName() + " but the message "
                        + "names " + message.documentName());
            }
            mapped = records.map(document, message.accountingEntity(), message.variationId());
            return write(message, mapped, document.bodId(), deadlineNanos);
        } catch (BodDocument.NotABod e) {
            nonConforming.incrementAndGet();
            log.warn("A {} BOD of message {} does not have the expected structure and goes to {}: {}",
                    message.documentName(), message.messageId(), topics.errors(), e.getMessage());
            return await(handoff.add(dataError(message, e.getMessage(), document == null ? null : document.bodId())),
                    deadlineNanos,
                    "not the expected structure; written to the data-errors topic: " + e.getMessage());
        }
    }

    private Outcome write(ImsParameters message, BodRecords.Mapped mapped, String bodId, long deadlineNanos) {
        Map<String, Object> document = mapped.partition(tenant);
        DocumentVersions.Decision decision;
        CompletableFuture<Void> acknowledged;
        // decided and queued under the document's lock: its records reach Kafka in the order decided
        synchronized (versions.lockFor(document)) {
            decision = versions.decide(document, mapped.variation(), message.messageId());
            SourceRecord record = switch (decision.verdict()) {
                case NEW -> dataRecord(message, mapped, document, bodId);
                case DUPLICATE, STALE -> audit(message, mapped, decision, bodId);
            };
            acknowledged = handoff.add(record);
        }
        String what = switch (decision.verdict()) {
            case NEW -> "written";
            case DUPLICATE -> "already written; audited";
            case STALE -> "older than variation " + decision.written().variation() + ", which was written; audited";
        };
        Outcome outcome = await(acknowledged, deadlineNanos, what);
        if (!outcome.acknowledged()) {
            if (decision.verdict() == DocumentVersions.Verdict.NEW) {
                synchronized (versions.lockFor(document)) {
                    versions.undo(document, decision, message.messageId());
                }
            }
            return outcome;
        }
        switch (decision.verdict()) {
            case NEW -> written.incrementAndGet();
            case DUPLICATE -> duplicates.incrementAndGet();
            case STALE -> stale.incrementAndGet();
        }
        return outcome;
    }

    private SourceRecord dataRecord(ImsParameters message, BodRecords.Mapped mapped, Map<String, Object> document,
                                    String bodId) {
        Struct key = RecordSchemas.key(tenant, mapped.company(), mapped.entity(), mapped.number());
        Struct value = mapped.value();
        // A Delete is a tombstone: no value and no value schema, so that a converter writes Kafka's null.
        SourceRecord record = new SourceRecord(document,
                new DocumentVersions.Version(mapped.variation(), message.messageId()).toOffset(),
                topics.data().get(mapped.entity()), null, RecordSchemas.KEY, key,
                value == null ? null : value.schema(), value);
        if (mapped.variation() != null) {
            record.headers().addLong(VARIATION_HEADER, mapped.variation());
        }
        return withOrigin(record, message, bodId);
    }

    private SourceRecord audit(ImsParameters message, BodRecords.Mapped mapped, DocumentVersions.Decision decision,
                               String bodId) {
        Struct key = RecordSchemas.key(tenant, mapped.company(), mapped.entity(), mapped.number());
        Struct value = new Struct(AUDIT_SCHEMA)
                .put("tenant", tenant)
                .put("document_name", message.documentName())
                .put("document_id", mapped.number())
                .put("outcome", decision.verdict().name().toLowerCase(Locale.ROOT))
                .put("variation", mapped.variation())
                .put("written_variation", decision.written() == null ? null : decision.written().variation())
                .put("message_id", message.messageId())
                .put("from_logical_id", message.fromLogicalId())
                .put("bod_id", bodId)
                .put("received_at", java.util.Date.from(clock.instant()));
        return withOrigin(new SourceRecord(null, null, topics.audit(), null, RecordSchemas.KEY, key, AUDIT_SCHEMA,
                value), message, bodId);
    }

    /** @param bodId the BOD's id, when it could be read */
    private SourceRecord dataError(ImsParameters message, String reason, String bodId) {
        Entity entity = IonBodSourceConfig.DOCUMENT_ENTITIES.get(message.documentName());
        String company = message.accountingEntity() == null ? "" : message.accountingEntity();
        String number = message.documentId() == null ? "" : message.documentId();
        Map<String, String> raw = new HashMap<>();
        raw.put("documentName", message.documentName());
        raw.put("messageId", message.messageId());
        raw.put("fromLogicalId", message.fromLogicalId());
        raw.put("accountingEntity", message.accountingEntity());
        raw.put("location", message.location());
        raw.put("documentId", message.documentId());
        raw.put("variationId", message.variationId() == null ? null : message.variationId().toString());
        raw.put("bodId", bodId);
        Struct value = new Struct(schemas.dataError).put("tenant", tenant).put("backend", backend)
                .put("entity", entity.id()).put("company", company).put("division", null).put("number", number)
                .put("error", reason).put("raw", raw);
        return withOrigin(new SourceRecord(null, null, topics.errors(), null, RecordSchemas.KEY,
                RecordSchemas.key(tenant, company, entity, number), schemas.dataError, value), message, bodId);
    }

    private static SourceRecord withOrigin(SourceRecord record, ImsParameters message, String bodId) {
        record.headers().addString(MESSAGE_ID_HEADER, message.messageId());
        if (bodId != null) {
            record.headers().addString(BOD_ID_HEADER, bodId);
        }
        return record;
    }

    private static Outcome await(CompletableFuture<Void> acknowledged, long deadlineNanos, String what) {
        try {
            acknowledged.get(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            return new Outcome(true, what);
        } catch (TimeoutException e) {
            return new Outcome(false, "Kafka did not acknowledge the record in time; deliver it again");
        } catch (ExecutionException e) {
            return new Outcome(false, "the record could not be written (" + e.getCause().getMessage()
                    + "); deliver it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "the connector is stopping; deliver it again");
        }
    }
}
