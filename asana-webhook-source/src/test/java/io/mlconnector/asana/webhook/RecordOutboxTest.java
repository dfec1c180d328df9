package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.Resource;
import io.mlconnector.asana.SyncToken;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

class RecordOutboxTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /** A window of 100: segments of 5 ids. */
    private final RecordOutbox outbox = new RecordOutbox("42", "events", "checkpoints", 100, SourceOffset.EMPTY,
            Clock.systemUTC());

    @Test
    void aSyncTokenIsStoredOnlyWithTheRecordsReadBeforeIt() throws Exception {
        outbox.add("e1", "12", value("e1"), T);
        outbox.syncAdvanced(new SyncToken("after-e1"), T);

        List<SourceRecord> records = outbox.drain(10, 1);
        assertEquals(1, records.size());
        assertNull(records.get(0).sourceOffset().get("sync"), "the token travels after e1, not with it");

        records = outbox.drain(10, 10);
        assertEquals("checkpoints", records.get(0).topic(), "a token alone is carried by a checkpoint");
        assertEquals("after-e1", records.get(0).sourceOffset().get("sync"));
        assertEquals("e1", records.get(0).sourceOffset().get("seen"));
        assertNull(outbox.drain(10, 10), "nothing left, nothing returned");
    }

    @Test
    void aFullSegmentIsStoredOnceUnderItsSlotAndTheOffsetKeepsOnlyTheHead() throws Exception {
        for (int i = 1; i <= 7; i++) {
            outbox.add("e" + i, "12", value("e" + i), T);
        }
        List<SourceRecord> records = outbox.drain(10, 10);
        assertEquals(8, records.size(), "the sealed segment, then the 7 events");
        SourceRecord segment = records.get(0);
        assertEquals("checkpoints", segment.topic());
        assertEquals(Map.of("resource", "42", "dedupe_slot", 0), segment.sourcePartition());
        assertEquals(Map.of("generation", 0L, "ids", "e1 e2 e3 e4 e5"), segment.sourceOffset());
        Map<String, ?> offset = records.get(7).sourceOffset();
        assertEquals("e6 e7", offset.get("seen"), "only the head travels with every commit");
        assertEquals(1L, offset.get("seen_generation"));
        assertEquals("e1", records.get(1).headers().lastWithName(RecordOutbox.EVENT_ID_HEADER).value());

        @SuppressWarnings("unchecked")
        Map<String, Object> main = (Map<String, Object>) offset;
        SourceOffset restored = SourceOffset.restore(reader(main, Map.of(0, segment.sourceOffset())), "42");
        assertEquals(List.of("e1", "e2", "e3", "e4", "e5", "e6", "e7"), restored.seenIds());
        assertNull(restored.horizon().forgottenUpTo());
    }

    @Test
    void aSegmentLostInACrashMovesTheHorizonPastItsEvents() throws Exception {
        for (int i = 1; i <= 6; i++) {
            outbox.add("e" + i, "12", value("e" + i), T.plusSeconds(i));
        }
        List<SourceRecord> records = outbox.drain(10, 10);
        @SuppressWarnings("unchecked")
        Map<String, Object> main = (Map<String, Object>) records.get(records.size() - 1).sourceOffset();
        // slot 0 still holds a generation of 20 segments ago: this generation's record never committed
        SourceOffset restored = SourceOffset.restore(reader(main, Map.of(0, Map.of("generation", 40L, "ids", "old"))),
                "42");
        assertEquals(List.of("e6"), restored.seenIds());
        assertEquals(T.plusSeconds(5), restored.horizon().forgottenUpTo(), "e1..e5 are in Kafka: refused if sent again");
    }

    /** Connect's offsets as the task reads them at start: the resource's and its dedupe slots'. */
    private static OffsetStorageReader reader(Map<String, Object> main, Map<Integer, Map<String, ?>> slots) {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return partition.equals(SourceOffset.partition("42")) ? main : null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
                for (Map<String, T> p : partitions) {
                    Object slot = p.get("dedupe_slot");
                    if (slot != null && slots.containsKey((Integer) slot)) {
                        found.put(p, (Map<String, Object>) slots.get((Integer) slot));
                    }
                }
                return found;
            }
        };
    }

    @Test
    void onlyTheLastRecordOfABatchCarriesTheBatchState() throws Exception {
        outbox.add("e1", "12", value("e1"), T);
        outbox.drain(10, 10);
        outbox.add("e2", "12", value("e2"), T);
        outbox.add("e3", "12", value("e3"), T);
        outbox.syncAdvanced(new SyncToken("after-e3"), T);

        List<SourceRecord> records = outbox.drain(10, 10);
        assertEquals(2, records.size());
        // committed alone (e3 unacknowledged at a crash), e2's offset must not claim e3 produced
        assertEquals("e1", records.get(0).sourceOffset().get("seen"));
        assertNull(records.get(0).sourceOffset().get("sync"));
        assertEquals("e1 e2 e3", records.get(1).sourceOffset().get("seen"));
        assertEquals("after-e3", records.get(1).sourceOffset().get("sync"));
    }

    @Test
    void theSealedSecretIsStoredButNeverInARecord() throws Exception {
        outbox.webhookRegistered("1200", new WebhookSecretStore.Sealed("k1", "c2VhbGVk"));
        SourceRecord checkpoint = outbox.drain(10, 10).get(0);
        assertEquals("c2VhbGVk", checkpoint.sourceOffset().get("secret"));
        assertEquals("1200", checkpoint.sourceOffset().get("webhook"));
        assertFalse(checkpoint.value().toString().contains("c2VhbGVk"));
    }

    private static org.apache.kafka.connect.data.Struct value(String id) {
        Event event = new Event("changed", new Resource("12", "task", null), "default_task", null,
                new Resource("7", "user", null), T, new Event.Change("completed", "changed", null, null, null));
        return TaskEventRecord.value(id, TaskEventRecord.Origin.WEBHOOK, event, "12", null,
                new TaskEventRecord.FieldNames("PO number", "Invoice number"));
    }
}
