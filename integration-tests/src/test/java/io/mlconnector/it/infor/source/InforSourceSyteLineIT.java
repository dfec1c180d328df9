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
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Infor source on SyteLine on a real worker, configured from config-examples/infor-source-syteline.json:
 * 20,000 POs over two sites (and as many A/P vouchers, as the simulator seeds one per PO), changes during the
 * run, a PATCH of one site's offsets back to an earlier date, and a kill -9 of the worker mid-backlog.
 */
@ExtendWith(SharedCluster.class)
class InforSourceSyteLineIT {

    private static final String NAME = "infor-source-syteline-it";
    private static final String POS = PREFIX + "purchase-orders";
    private static final String INVOICES = PREFIX + "supplier-invoices";
    /** The first site gets this many rows per IDO, the second a tenth: 20,000 in all. */
    private static final int FIRST_SITE = 18_182;
    private static final int ORDERS = FIRST_SITE + FIRST_SITE / 10;
    private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS");

    @Test
    void backlogChangesBackfillAndACrashLoseNothing(KafkaConnectCluster cluster) throws Exception {
        try (InforUnderTest infor = InforUnderTest.start(cluster, IonSimulatorConfig.defaults().withVolumes(10, 10, FIRST_SITE))) {
            ConnectRest rest = cluster.rest();
            String site = infor.sim().mongooseConfigs().get(0);
            Instant started = Instant.now();
            Map<String, String> config = infor.exampleConfig("infor-source-syteline.json");
            // changes read every second instead of every minute: a change, and the barrier after it, arrives at once
            config.put("purchase-orders.poll.interval.ms", "1000");
            config.put("supplier-invoices.poll.interval.ms", "1000");
            rest.putConfig(NAME, config);
            try {
                rest.awaitRunning(NAME, 2, Duration.ofSeconds(60));
                infor.awaitEndOffset(POS, ORDERS, Duration.ofMinutes(3));
                Instant done = infor.awaitEndOffset(INVOICES, ORDERS, Duration.ofMinutes(2));
                double seconds = Duration.between(started, done).toMillis() / 1000.0;
                System.out.printf("SyteLine backlog: %d POs + %d vouchers in %.1f s = %.0f records/s%n",
                        ORDERS, ORDERS, seconds, 2 * ORDERS / seconds);
                Map<String, Integer> orders = InforUnderTest.versions(infor.readAll(POS));
                assertEquals(ORDERS, orders.size());
                assertTrue(orders.values().stream().allMatch(v -> v == 1), "each PO exactly once");
                assertEquals(ORDERS, infor.endOffset(INVOICES));
                JsonNode po = InforUnderTest.payload(infor.readAll(POS).get(0).value());
                for (String field : List.of("number", "supplier_id", "supplier_name", "amount", "currency", "buyer", "status", "order_date", "lines")) {
                    assertTrue(po.has(field) && !po.get(field).isNull(), field + " in " + po);
                }

                // Changes during the run: 10 POs of the first site arrive again, each once, nothing else.
                Set<String> changed = new HashSet<>();
                JsonNode rows = infor.control("GET", "/_sim/ido/" + site + "/SLPos", null);
                for (int i = 0; i < 10; i++) {
                    JsonNode row = rows.get(i * 100);
                    infor.control("PATCH", "/_sim/ido/" + site + "/SLPos/" + row.get("RowPointer").asText(), Map.of("Buyer", "changed"));
                    changed.add(site + "/" + row.get("PoNum").asText());
                }
                infor.awaitEndOffset(POS, ORDERS + 10, Duration.ofSeconds(90));
                // read in a later poll than the changes: a PO written again would come before these
                List<ConsumerRecord<String, String>> fresh = infor.readUpTo(POS, ORDERS,
                        infor.syteLineBarriers("SLPos", "PoNum"));
                assertEquals(10, fresh.size(), "no unchanged PO again, no change twice: " + keys(fresh));
                assertEquals(changed, new HashSet<>(keys(fresh)));

                // PATCH the first site's POs back 60 days: exactly the POs changed since then come again.
                LocalDate since = LocalDate.now(ZONE).minusDays(60);
                String sinceStamp = STAMP.format(since.atStartOfDay());
                Set<String> expected = new HashSet<>();
                for (JsonNode row : infor.control("GET", "/_sim/ido/" + site + "/SLPos", null)) {
                    if (row.get("RecordDate").asText().compareTo(sinceStamp) >= 0) {
                        expected.add(site + "/" + row.get("PoNum").asText());
                    }
                }
                rest.stop(NAME);
                rest.awaitStatus(NAME, Duration.ofSeconds(30), "STOPPED", s -> "STOPPED".equals(s.path("connector").path("state").asText()));
                ObjectNode body = ConnectRest.object();
                ObjectNode entry = body.putArray("offsets").addObject();
                entry.set("partition", InforUnderTest.partition(rest, NAME, "purchase-orders", site, ""));
                entry.putObject("offset").put("since", since.toString());
                rest.patchOffsets(NAME, body);
                long mark = infor.endOffset(POS);
                rest.resume(NAME);
                infor.awaitEndOffset(POS, mark + expected.size(), Duration.ofSeconds(90));
                List<ConsumerRecord<String, String>> reread = infor.readUpTo(POS, mark,
                        infor.syteLineBarriers("SLPos", "PoNum"));
                assertEquals(expected.size(), reread.size(), "each PO changed since then once, nothing else");
                assertEquals(expected, new HashSet<>(keys(reread)));
                System.out.printf("SyteLine PATCH offsets to %s re-read %d POs of %s%n", since, expected.size(), site);

                // A full backfill cut by kill -9: every PO and voucher again, none lost.
                rest.stop(NAME);
                rest.awaitStatus(NAME, Duration.ofSeconds(30), "STOPPED", s -> "STOPPED".equals(s.path("connector").path("state").asText()));
                rest.deleteOffsets(NAME);
                long orderMark = infor.endOffset(POS);
                long invoiceMark = infor.endOffset(INVOICES);
                rest.resume(NAME);
                infor.awaitEndOffset(POS, orderMark + 8_000, Duration.ofMinutes(2));
                cluster.killWorker();
                cluster.startWorker();
                rest.awaitRunning(NAME, 2, Duration.ofSeconds(90));
                Map<String, Integer> again = infor.awaitDistinct(POS, orderMark, ORDERS, Duration.ofMinutes(3));
                Map<String, Integer> vouchers = infor.awaitDistinct(INVOICES, invoiceMark, ORDERS, Duration.ofMinutes(2));
                assertEquals(ORDERS, again.size(), "every PO after the kill");
                assertEquals(ORDERS, vouchers.size(), "every voucher after the kill");
                System.out.printf("SyteLine kill -9 mid-backlog: nothing lost, %d records written twice (at-least-once worker)%n",
                        again.values().stream().mapToLong(v -> v - 1).sum() + vouchers.values().stream().mapToLong(v -> v - 1).sum());
            } finally {
                rest.delete(NAME);
            }
        }
    }

    private static List<String> keys(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(InforUnderTest::keyOf).toList();
    }
}
