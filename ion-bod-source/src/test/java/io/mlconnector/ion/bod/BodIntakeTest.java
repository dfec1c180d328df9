package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One BOD, one record, and the answer only once Kafka has it; the worker's side played by the test. */
class BodIntakeTest {

    private static final RecordSchemas SCHEMAS = new RecordSchemas(2);
    private static final String TENANT = "ACME_PRD";
    private final Map<Map<String, Object>, Map<String, Object>> offsets = new HashMap<>();
    private final RecordHandoff handoff = new RecordHandoff();
    private final BodIntake intake = new BodIntake(TENANT, "m3",
            new BodRecords(TENANT, InforBackend.M3, null, SCHEMAS, ZoneId.of("UTC")), SCHEMAS,
            new DocumentVersions(offsets::get, 1000), handoff,
            new BodIntake.Topics(Map.of(Entity.PURCHASE_ORDERS, "infor.ACME_PRD.purchase-orders",
                    Entity.SUPPLIER_INVOICES, "infor.ACME_PRD.supplier-invoices"), "errors", "audit"),
            Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC));
    private final ExecutorService ion = Executors.newCachedThreadPool();
    /** Records the "worker" took from poll(), in order. */
    private final List<SourceRecord> written = new ArrayList<>();

    @AfterEach
    void stop() {
        ion.shutdownNow();
    }

    private static ImsParameters message(String messageId, String number, Long variation) {
        return new ImsParameters("Sync.PurchaseOrder", messageId, "lid://infor.m3.m3", "lid://default", "NONE",
                "UTF-8", "100_AAA", "AAA", number, variation, null);
    }

    private static byte[] po(String number, long variation, String action) {
        return BodRecordsTest.purchaseOrder(action, number, String.valueOf(variation), "")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Delivers as ION would, and plays the worker until the delivery is answered. */
    private BodIntake.Outcome deliver(ImsParameters message, byte[] bod) throws Exception {
        Future<BodIntake.Outcome> answer = ion.submit(() -> intake.take(message, bod,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answer.isDone() && System.nanoTime() < deadline) {
            List<SourceRecord> polled = handoff.drain(50, 100);
            if (polled != null) {
                for (SourceRecord record : polled) {
                    written.add(record);
                    if (record.sourcePartition() != null) {
                        offsets.put(new HashMap<>(asObjects(record.sourcePartition())),
                                new HashMap<>(asObjects(record.sourceOffset())));
                    }
                    handoff.acknowledged(record);
                }
            }
        }
        return answer.get(1, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObjects(Map<String, ?> map) {
        return (Map<String, Object>) map;
    }

    @Test
    void newVersionsAreWrittenWithTheirVersionInTheDocumentsOffsetAndOthersAudited() throws Exception {
        assertTrue(deliver(message("m1", "4000000001", 1L), po("4000000001", 1, "Add")).acknowledged());
        assertTrue(deliver(message("m3", "4000000001", 3L), po("4000000001", 3, "Replace")).acknowledged());
        BodIntake.Outcome stale = deliver(message("m2", "4000000001", 2L), po("4000000001", 2, "Replace"));
        BodIntake.Outcome again = deliver(message("m3", "4000000001", 3L), po("4000000001", 3, "Replace"));

        assertTrue(stale.acknowledged(), "answered 2xx: ION must not deliver it again");
        assertTrue(stale.message().contains("older than variation 3"), stale.message());
        assertTrue(again.message().contains("already written"), again.message());
        assertEquals(List.of("infor.ACME_PRD.purchase-orders", "infor.ACME_PRD.purchase-orders", "audit", "audit"),
                written.stream().map(SourceRecord::topic).toList());
        SourceRecord second = written.get(1);
        assertEquals(Map.of("variation", 3L, "message_id", "m3"), second.sourceOffset());
        assertEquals(Map.of("protocol", "1", "tenant", TENANT, "entity", "purchase-orders", "company", "100",
                "number", "4000000001"), second.sourcePartition());
        assertEquals(RecordSchemas.key(TENANT, "100", Entity.PURCHASE_ORDERS, "4000000001"), second.key());
        assertEquals("m3", second.headers().lastWithName(BodIntake.MESSAGE_ID_HEADER).value());
        assertEquals(3L, second.headers().lastWithName(BodIntake.VARIATION_HEADER).value());
        Struct audit = (Struct) written.get(2).value();
        assertEquals("stale", audit.getString("outcome"));
        assertEquals(2L, audit.getInt64("variation"));
        assertEquals(3L, audit.getInt64("written_variation"));
        assertEquals("duplicate", ((Struct) written.get(3).value()).getString("outcome"));
        assertEquals(List.of(2L, 1L, 1L, 0L), List.of(intake.written.get(), intake.stale.get(),
                intake.duplicates.get(), intake.nonConforming.get()));
    }

    @Test
    void aDeleteIsATombstoneWithoutAValueSchema() throws Exception {
        deliver(message("m1", "4000000009", 1L), po("4000000009", 1, "Add"));
        deliver(message("m2", "4000000009", 2L), po("4000000009", 2, "Delete"));
        SourceRecord tombstone = written.get(1);
        assertNull(tombstone.value());
        assertNull(tombstone.valueSchema());
        assertEquals("infor.ACME_PRD.purchase-orders", tombstone.topic());
    }

    @Test
    void aBodWithoutTheExpectedStructureGoesToTheDataErrorsTopicAndIsAnswered() throws Exception {
        BodIntake.Outcome outcome = deliver(message("bad-1", "4000000002", 1L),
                "<SyncPurchaseOrder><DataArea/></SyncPurchaseOrder>".getBytes(StandardCharsets.UTF_8));
        assertTrue(outcome.acknowledged());
        SourceRecord error = written.get(0);
        assertEquals("errors", error.topic());
        Struct value = (Struct) error.value();
        assertTrue(value.getString("error").contains("DataArea has no <PurchaseOrder>"), value.getString("error"));
        assertEquals("purchase-orders", value.getString("entity"));
        assertEquals("bad-1", value.getMap("raw").get("messageId"));
        assertNull(error.sourcePartition(), "no document version is stored for it");
        assertEquals(1, intake.nonConforming.get());
    }

    @Test
    void aBodReadButNotConformingCarriesItsBodIdToTheDataErrorsTopic() throws Exception {
        byte[] noSupplier = BodRecordsTest.purchaseOrder("Replace", "4000000005", "1", "")
                .replace("<ID>S00001</ID>", "").getBytes(StandardCharsets.UTF_8);
        deliver(message("bad-2", "4000000005", 1L), noSupplier);
        SourceRecord error = written.get(0);
        Struct value = (Struct) error.value();
        assertTrue(value.getString("error").contains("no supplier"), value.getString("error"));
        String bodId = "infor-nid:ACME_PRD:100_AAA:AAA:4000000005:?PurchaseOrder&verb=Sync&variationID=1";
        assertEquals(bodId, value.getMap("raw").get("bodId"));
        assertEquals(bodId, error.headers().lastWithName(BodIntake.BOD_ID_HEADER).value());
    }

    @Test
    void aPayloadOfAnotherDocumentThanTheMessageNamesIsNonConforming() throws Exception {
        ImsParameters invoice = new ImsParameters("Sync.SupplierInvoice", "x", "lid://infor.m3.m3", null, "NONE",
                "UTF-8", "100_AAA", null, "1", 1L, null);
        deliver(invoice, po("1", 1, "Replace"));
        assertTrue(((Struct) written.get(0).value()).getString("error")
                .contains("the payload is a Sync.PurchaseOrder but the message names Sync.SupplierInvoice"));
    }

    @Test
    void aRecordKafkaDidNotTakeIsAnswered503AndItsVersionIsNewAgain() throws Exception {
        long shortDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        BodIntake.Outcome unanswered = intake.take(message("m1", "4000000003", 1L), po("4000000003", 1, "Add"),
                shortDeadline);
        assertFalse(unanswered.acknowledged(), "no worker took the record in time");
        assertTrue(unanswered.message().contains("deliver it again"), unanswered.message());
        assertEquals(1, handoff.queued());
        handoff.drain(0, 10);

        assertTrue(deliver(message("m1", "4000000003", 1L), po("4000000003", 1, "Add")).acknowledged());
        assertEquals("infor.ACME_PRD.purchase-orders", written.get(0).topic(), "ION's redelivery is written");
    }

    @Test
    void aStoppingTaskAnswersWaitingDeliveriesAtOnce() throws Exception {
        Future<BodIntake.Outcome> waiting = ion.submit(() -> intake.take(message("m1", "4000000004", 1L),
                po("4000000004", 1, "Add"), System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (handoff.queued() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        handoff.stop(new IllegalStateException("the task is stopping"));
        BodIntake.Outcome outcome = waiting.get(5, TimeUnit.SECONDS);
        assertFalse(outcome.acknowledged());
        assertTrue(outcome.message().contains("the task is stopping"), outcome.message());
    }
}
