package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.Resource;
import io.mlconnector.asana.SyncToken;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordOutboxTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private final RecordOutbox outbox = new RecordOutbox("42", "events", "checkpoints", 3, SourceOffset.EMPTY,
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
    void theDedupeWindowKeepsTheLatestIdsAndSurvivesARestart() throws Exception {
        for (String id : List.of("e1", "e2", "e3", "e4")) {
            outbox.add(id, "12", value(id), T);
        }
        List<SourceRecord> records = outbox.drain(10, 10);
        assertEquals(4, records.size());
        Map<String, ?> offset = records.get(3).sourceOffset();
        assertEquals("e2 e3 e4", offset.get("seen"));
        assertEquals("e1", records.get(0).headers().lastWithName(RecordOutbox.EVENT_ID_HEADER).value());

        @SuppressWarnings("unchecked")
        SourceOffset restored = SourceOffset.from((Map<String, Object>) offset);
        assertEquals(List.of("e2", "e3", "e4"), restored.seenIds());
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
