package io.mlconnector.it.infor.source;

import static io.mlconnector.it.infor.source.InforUnderTest.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Infor source on M3 on a real worker, configured from config-examples/infor-source-m3.json: a 20,000-order
 * and 5,000-invoice backlog, changes during the run, a PATCH of the offsets back to an earlier date, and a second
 * backlog cut by a connector stop/resume and a kill -9 of the worker.
 */
@ExtendWith(SharedCluster.class)
class InforSourceM3IT {

    private static final String NAME = "infor-source-m3-it";
    private static final String POS = PREFIX + "purchase-orders";
    private static final String INVOICES = PREFIX + "supplier-invoices";
    private static final int ORDERS = 20_000;
    private static final int INVOICE_COUNT = 5_000;
    private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");

    @Test
    void backlogChangesBackfillAndCrashesLoseNothing(KafkaConnectCluster cluster) throws Exception {
        try (InforUnderTest infor = InforUnderTest.start(cluster, IonSimulatorConfig.defaults().withVolumes(ORDERS, INVOICE_COUNT, 10))) {
            ConnectRest rest = cluster.rest();
            Instant started = Instant.now();
            rest.putConfig(NAME, config(infor));
            try {
                rest.awaitRunning(NAME, 3, Duration.ofSeconds(60));
                infor.awaitEndOffset(POS, ORDERS, Duration.ofMinutes(3));
                Instant done = infor.awaitEndOffset(INVOICES, INVOICE_COUNT, Duration.ofMinutes(1));
                double seconds = Duration.between(started, done).toMillis() / 1000.0;
                System.out.printf("M3 backlog: %d orders + %d invoices in %.1f s = %.0f records/s%n",
                        ORDERS, INVOICE_COUNT, seconds, (ORDERS + INVOICE_COUNT) / seconds);
                Map<String, Integer> orders = InforUnderTest.versions(infor.readAll(POS));
                assertEquals(ORDERS, orders.size());
                assertTrue(orders.values().stream().allMatch(v -> v == 1), "each order exactly once");
                assertEquals(INVOICE_COUNT, InforUnderTest.versions(infor.readAll(INVOICES)).size());
                assertEquals(INVOICE_COUNT, infor.endOffset(INVOICES));
                assertEquals(100, infor.endOffset(PREFIX + "suppliers"));
                assertEquals(140, infor.endOffset(PREFIX + "gl-accounts"));
                checkOrderRecord(infor.readAll(POS).get(0).value());

                changesArriveAsNewVersions(infor);
                patchedOffsetsReReadFromThatDate(infor, rest);
                stopAndKillMidBacklogLoseNothing(infor, cluster);
            } finally {
                rest.delete(NAME);
            }
        }
    }

    /**
     * The example, but reading changes every second instead of every minute: a change, and the barrier after it,
     * arrives within a second or two.
     */
    private static Map<String, String> config(InforUnderTest infor) {
        Map<String, String> config = infor.exampleConfig("infor-source-m3.json");
        config.put("purchase-orders.poll.interval.ms", "1000");
        config.put("supplier-invoices.poll.interval.ms", "1000");
        return config;
    }

    private static void checkOrderRecord(String json) {
        JsonNode po = InforUnderTest.payload(json);
        for (String field : List.of("number", "supplier_id", "supplier_name", "amount", "currency", "buyer", "status", "order_date", "changed_at", "lines")) {
            assertTrue(po.has(field) && !po.get(field).isNull(), field + " in " + po);
        }
        assertEquals("Europe/Stockholm", po.get("source_zone").asText());
        assertTrue(po.get("lines").size() > 0);
    }

    /** 10 orders changed, 5 added, 5 invoices changed: exactly those arrive again, each once, nothing else. */
    private static void changesArriveAsNewVersions(InforUnderTest infor) throws Exception {
        Set<String> changed = new HashSet<>();
        Set<String> changedInvoices = new HashSet<>();
        for (JsonNode head : infor.control("GET", "/_sim/m3/MPHEAD?CONO=100&DIVI=AAA&limit=10", null)) {
            infor.control("PATCH", "/_sim/m3/MPHEAD", Map.of("key", Map.of("CONO", "100", "PUNO", head.get("PUNO").asText()),
                    "set", Map.of("BUYE", "CHANGED")));
            changed.add("100/" + head.get("PUNO").asText());
        }
        for (int i = 0; i < 5; i++) {
            JsonNode added = infor.control("POST", "/_sim/m3/MPHEAD", Map.of("CONO", "100", "DIVI", "BBB", "SUNO", "S00001",
                    "CUCD", "EUR", "PUDT", "20260101", "BUYE", "NEWBUYER", "PUST", "15"));
            changed.add("100/" + added.get("PUNO").asText());
        }
        for (JsonNode inv : infor.control("GET", "/_sim/m3/FAPIBH?CONO=200&DIVI=CCC&limit=5", null)) {
            infor.control("PATCH", "/_sim/m3/FAPIBH", Map.of("key", Map.of("CONO", "200", "DIVI", "CCC", "INBN", inv.get("INBN").asText()),
                    "set", Map.of("SUPA", "90")));
            changedInvoices.add("200/" + inv.get("INBN").asText());
        }
        infor.awaitEndOffset(POS, ORDERS + 15, Duration.ofSeconds(90));
        infor.awaitEndOffset(INVOICES, INVOICE_COUNT + 5, Duration.ofSeconds(90));
        // Read in a later poll than the changes: an order or invoice written again would come before these.
        List<InforUnderTest.Barrier> orderBarriers = infor.m3Barriers("MPHEAD", "PUNO");
        List<InforUnderTest.Barrier> invoiceBarriers = infor.m3Barriers("FAPIBH", "INBN");
        List<ConsumerRecord<String, String>> fresh = infor.readUpTo(POS, ORDERS, orderBarriers);
        assertEquals(15, fresh.size(), "no unchanged order again, no change twice: " + keys(fresh));
        assertEquals(changed, new HashSet<>(keys(fresh)));
        fresh.forEach(r -> assertTrue(Set.of("CHANGED", "NEWBUYER").contains(InforUnderTest.payload(r.value()).get("buyer").asText())));
        List<ConsumerRecord<String, String>> freshInvoices = infor.readUpTo(INVOICES, INVOICE_COUNT, invoiceBarriers);
        assertEquals(5, freshInvoices.size(), "no unchanged invoice again, no change twice: " + keys(freshInvoices));
        assertEquals(changedInvoices, new HashSet<>(keys(freshInvoices)));
    }

    private static List<String> keys(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(InforUnderTest::keyOf).toList();
    }

    /** Stop, PATCH the 100/AAA orders back 30 days, resume: exactly the orders changed since then come again. */
    private static void patchedOffsetsReReadFromThatDate(InforUnderTest infor, ConnectRest rest) throws Exception {
        LocalDate since = LocalDate.now(ZONE).minusDays(30);
        long sinceMillis = since.atStartOfDay(ZONE).toInstant().toEpochMilli();
        Set<String> expected = new HashSet<>();
        for (JsonNode head : infor.control("GET", "/_sim/m3/MPHEAD?CONO=100&DIVI=AAA&limit=100000", null)) {
            if (head.get("LMTS").asLong() >= sinceMillis) {
                expected.add("100/" + head.get("PUNO").asText());
            }
        }
        rest.stop(NAME);
        rest.awaitStatus(NAME, Duration.ofSeconds(30), "STOPPED", s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        ObjectNode body = ConnectRest.object();
        ObjectNode entry = body.putArray("offsets").addObject();
        entry.set("partition", InforUnderTest.partition(rest, NAME, "purchase-orders", "100", "AAA"));
        entry.putObject("offset").put("since", since.toString());
        rest.patchOffsets(NAME, body);
        long mark = infor.endOffset(POS);
        rest.resume(NAME);
        rest.awaitRunning(NAME, 3, Duration.ofSeconds(60));
        infor.awaitEndOffset(POS, mark + expected.size(), Duration.ofSeconds(90));
        List<ConsumerRecord<String, String>> reread = infor.readUpTo(POS, mark, infor.m3Barriers("MPHEAD", "PUNO"));
        assertEquals(expected.size(), reread.size(), "each order changed since then once, nothing else");
        assertEquals(expected, new HashSet<>(keys(reread)));
        System.out.printf("M3 PATCH offsets to %s re-read %d orders of 100/AAA%n", since, expected.size());
    }

    /** Reset the offsets (a full backfill), then stop/resume the connector and kill -9 the worker mid-backlog. */
    private static void stopAndKillMidBacklogLoseNothing(InforUnderTest infor, KafkaConnectCluster cluster) throws Exception {
        ConnectRest rest = cluster.rest();
        rest.stop(NAME);
        rest.awaitStatus(NAME, Duration.ofSeconds(30), "STOPPED", s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        rest.deleteOffsets(NAME);
        long orderMark = infor.endOffset(POS);
        long invoiceMark = infor.endOffset(INVOICES);
        rest.resume(NAME);
        infor.awaitEndOffset(POS, orderMark + 4_000, Duration.ofMinutes(2));
        rest.stop(NAME);
        rest.awaitStatus(NAME, Duration.ofSeconds(30), "STOPPED", s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        rest.resume(NAME);
        infor.awaitEndOffset(POS, orderMark + 10_000, Duration.ofMinutes(2));
        cluster.killWorker();
        cluster.startWorker();
        rest.awaitRunning(NAME, 3, Duration.ofSeconds(90));
        Map<String, Integer> orders = infor.awaitDistinct(POS, orderMark, ORDERS + 5, Duration.ofMinutes(3));
        Map<String, Integer> invoices = infor.awaitDistinct(INVOICES, invoiceMark, INVOICE_COUNT, Duration.ofMinutes(1));
        assertEquals(ORDERS + 5, orders.size(), "every order after the stop and the kill");
        assertEquals(INVOICE_COUNT, invoices.size(), "every invoice after the stop and the kill");
        long repeated = orders.values().stream().mapToLong(v -> v - 1).sum() + invoices.values().stream().mapToLong(v -> v - 1).sum();
        System.out.printf("M3 stop/resume + kill -9 mid-backlog: nothing lost, %d records written twice (at-least-once worker)%n", repeated);
        List<ConsumerRecord<String, String>> all = new ArrayList<>(infor.readAll(POS));
        assertTrue(all.size() >= orderMark + ORDERS + 5);
    }
}
