package io.mlconnector.asana.webhook;

import io.mlconnector.asana.SyncToken;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Hands records and offset changes from the endpoint, the catch-up and the webhook keeper to
 * {@code poll()}, in the order they happened. Offset changes travel in the same queue as records, so
 * an offset that Connect commits never runs ahead of the records before it: a sync token is stored
 * only together with (after) the events read with it. A poll with a state change but no record emits
 * a checkpoint record, which carries the offset.
 */
final class RecordOutbox {

    static final String EVENT_ID_HEADER = "asana.event.id";

    static final Schema CHECKPOINT_SCHEMA = SchemaBuilder.struct().name("io.mlconnector.asana.WebhookCheckpoint")
            .version(1)
            .field("resource_gid", Schema.STRING_SCHEMA)
            .field("webhook_gid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("checkpointed_at", Timestamp.SCHEMA)
            .build();

    private sealed interface Item permits Outgoing, SyncAdvanced, WebhookRegistered {
    }

    private record Outgoing(String eventId, String taskGid, Struct value, Instant timestamp) implements Item {
    }

    private record SyncAdvanced(SyncToken token, Instant at) implements Item {
    }

    private record WebhookRegistered(String webhookGid, WebhookSecretStore.Sealed secret) implements Item {
    }

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final String resourceGid;
    private final String topic;
    private final String checkpointTopic;
    private final Clock clock;
    private final DedupeWindow seen;
    private SourceOffset offset;
    private Map<String, Object> committable;

    RecordOutbox(String resourceGid, String topic, String checkpointTopic, int window, SourceOffset start, Clock clock) {
        this.resourceGid = resourceGid;
        this.topic = topic;
        this.checkpointTopic = checkpointTopic;
        this.clock = clock;
        this.offset = start;
        this.committable = start.toMap();
        this.seen = new DedupeWindow(window, start.seenIds(), start.horizon(), start.generation(),
                start.headIds().size(), start.slotNewest());
    }

    void add(String eventId, String taskGid, Struct value, Instant timestamp) {
        queue.add(new Outgoing(eventId, taskGid, value, timestamp));
    }

    void syncAdvanced(SyncToken token, Instant at) {
        queue.add(new SyncAdvanced(token, at));
    }

    void webhookRegistered(String webhookGid, WebhookSecretStore.Sealed secret) {
        queue.add(new WebhookRegistered(webhookGid, secret));
    }

    /** Waits up to {@code waitMs} for work, then drains up to {@code max} items into records. Poll thread only. */
    List<SourceRecord> drain(long waitMs, int max) throws InterruptedException {
        Item first = queue.poll(waitMs, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<Item> items = new ArrayList<>();
        items.add(first);
        queue.drainTo(items, max - 1);
        List<Outgoing> outgoing = new ArrayList<>();
        boolean stateChanged = false;
        for (Item item : items) {
            if (item instanceof Outgoing o) {
                outgoing.add(o);
                seen.add(o.eventId(), o.timestamp());
            } else if (item instanceof SyncAdvanced s) {
                offset = offset.withSync(s.token(), s.at());
                stateChanged = true;
            } else if (item instanceof WebhookRegistered w) {
                offset = offset.withWebhook(w.webhookGid(), w.secret());
                stateChanged = true;
            }
        }
        // Connect commits the offset of the last record acknowledged in order, so only the batch's last
        // record may carry the batch's new state: were an earlier one to, a crash after its acknowledgement
        // would store as produced (and deduplicate on retry) the events of the records after it. The others
        // repeat the state before the batch; after a crash their events are produced again, never lost.
        Map<String, Object> before = committable;
        List<DedupeWindow.Segment> sealed = seen.takeSealed();
        offset = offset.withSeen(seen.text(), seen.horizon(), seen.generation(), seen.slotNewest());
        committable = offset.toMap();
        Map<String, Object> partition = SourceOffset.partition(resourceGid);
        List<SourceRecord> records = new ArrayList<>(sealed.size() + outgoing.size() + 1);
        // A sealed segment is stored once, under its slot's partition, ahead of the records whose offset (the
        // resource's) no longer holds its ids: under exactly-once in the same transaction. Without it, a crash
        // between them loses the segment, which the restart sees by its generation (SourceOffset.restore).
        for (DedupeWindow.Segment segment : sealed) {
            records.add(new SourceRecord(SourceOffset.segmentPartition(resourceGid, segment.slot()),
                    Map.of("generation", segment.generation(), "ids", segment.ids()), checkpointTopic, null,
                    Schema.STRING_SCHEMA, resourceGid, CHECKPOINT_SCHEMA, checkpoint()));
        }
        for (int i = 0; i < outgoing.size(); i++) {
            Outgoing o = outgoing.get(i);
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString(EVENT_ID_HEADER, o.eventId());
            records.add(new SourceRecord(partition, i == outgoing.size() - 1 ? committable : before, topic, null,
                    Schema.STRING_SCHEMA, o.taskGid(), TaskEventRecord.SCHEMA, o.value(),
                    o.timestamp() == null ? null : o.timestamp().toEpochMilli(), headers));
        }
        if (outgoing.isEmpty() && stateChanged) {
            records.add(new SourceRecord(partition, committable, checkpointTopic, null, Schema.STRING_SCHEMA, resourceGid,
                    CHECKPOINT_SCHEMA, checkpoint()));
        }
        return records;
    }

    private Struct checkpoint() {
        return new Struct(CHECKPOINT_SCHEMA).put("resource_gid", resourceGid).put("webhook_gid", offset.webhookGid())
                .put("checkpointed_at", java.util.Date.from(clock.instant()));
    }
}
