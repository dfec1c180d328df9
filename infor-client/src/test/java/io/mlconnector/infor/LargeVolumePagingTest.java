package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.http.RetryPolicy;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 50,000 purchase orders read both ways: M3 (EXPORTMI with maxrecs and a key high-water mark; MI has no cursor)
 * and SyteLine (recordcap and bookmark, forward with NEXT and backward with LAST/PREV); then the same reads
 * with 10 % of calls failing with 429 or 5xx.
 */
class LargeVolumePagingTest {

    private static final int RECORDS = 50_000;
    private static IonSimulator sim;
    private static IonClient ion;

    @BeforeAll
    static void start() throws Exception {
        sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(RECORDS, 30, RECORDS).withMaxLinesPerOrder(1));
        ion = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson()))
                .retryPolicy(new RetryPolicy(8, 10, Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build();
    }

    @AfterAll
    static void stop() {
        ion.close();
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        sim.faults().clear();
    }

    /** Every PO of every company, read in pages keyed on the last PUNO seen (EXPORTMI answers at most 10,000 rows). */
    private static List<String> readAllM3PurchaseOrders(int pageSize) {
        List<String> all = new ArrayList<>();
        for (String cono : List.of("100", "200")) {
            String last = "";
            while (true) {
                MiRequest request = MiRequest.builder("EXPORTMI", "Select")
                        .set("QERY", "IAPUNO,IASUNO,IALMDT,IACHNO from MPHEAD where IAPUNO > '" + last + "'")
                        .set("SEPC", ";").company(cono).maxRecords(pageSize).build();
                List<MiRecord> page = ion.m3().execute(request).records();
                page.forEach(r -> all.add(cono + "/" + r.get("REPL").split(";")[0]));
                if (page.size() < pageSize) {
                    break;
                }
                last = page.get(page.size() - 1).get("REPL").split(";")[0];
            }
        }
        return all;
    }

    private static List<String> readAllSyteLinePurchaseOrders(boolean backward, int recordCap) {
        List<String> all = new ArrayList<>();
        IdoLoadRequest.Builder first = IdoLoadRequest.builder("SLPos").properties("PoNum", "RecordDate", "RowPointer")
                .orderBy("RecordDate,RowPointer").recordCap(recordCap).readOnly(true);
        if (backward) {
            first.loadType(IdoLoadRequest.LoadType.LAST, null);
        }
        ion.ido(sim.tenant() + "_DALS").loadAll(first.build(), page -> {
            List<String> ids = page.items().stream().map(i -> i.get("PoNum")).toList();
            if (backward) {
                all.addAll(0, ids);
            } else {
                all.addAll(ids);
            }
        });
        return all;
    }

    @Test
    void m3PagesThroughFiftyThousandPurchaseOrders() {
        long t0 = System.nanoTime();
        List<String> all = readAllM3PurchaseOrders(10_000);
        assertEquals(RECORDS, all.size());
        assertEquals(RECORDS, new HashSet<>(all).size(), "no PO read twice");
        System.out.printf("M3: %d POs in %d ms, %d calls%n", all.size(), (System.nanoTime() - t0) / 1_000_000,
                sim.log().calls("m3.EXPORTMI.Select"));
    }

    @Test
    void syteLinePagesThroughFiftyThousandPurchaseOrdersForwardAndBackward() {
        long t0 = System.nanoTime();
        List<String> forward = readAllSyteLinePurchaseOrders(false, 2_000);
        assertEquals(RECORDS, forward.size());
        assertEquals(RECORDS, new HashSet<>(forward).size());
        List<String> backward = readAllSyteLinePurchaseOrders(true, 2_000);
        assertEquals(forward, backward, "LAST/PREV gives the same rows in the same order");
        System.out.printf("SyteLine: %d POs forward and backward in %d ms%n", forward.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void tenPercentOf429And5xxStillReadsEveryRecordExactlyOnce() {
        sim.faults().reseed(2024);
        sim.faults().add(new FaultRule("m3.*", FaultRule.Kind.STATUS, List.of(429, 502, 503, 504), null, 0, -1, 10));
        sim.faults().add(new FaultRule("ido.*", FaultRule.Kind.STATUS, List.of(429, 502, 503, 504), 0, 0, -1, 10));
        sim.log().clear();
        List<String> m3 = readAllM3PurchaseOrders(1_000);
        List<String> syteLine = readAllSyteLinePurchaseOrders(false, 1_000);
        assertEquals(RECORDS, m3.size());
        assertEquals(RECORDS, new HashSet<>(m3).size());
        assertEquals(RECORDS, syteLine.size());
        assertEquals(RECORDS, new HashSet<>(syteLine).size());
        long failed = sim.log().callsWithStatus(429) + sim.log().callsWithStatus(502) + sim.log().callsWithStatus(503)
                + sim.log().callsWithStatus(504);
        long ok = sim.log().callsWithStatus(200);
        assertTrue(failed > 0, "faults were injected");
        System.out.printf("faults: %d of %d calls failed and were retried%n", failed, failed + ok);
    }

    @Test
    void changesMidRunAreSeenByTheHighWaterMark() {
        Set<String> changed = new HashSet<>();
        // Seeded history is stamped no later than a minute into today, so today's rows hold the current high-water mark.
        long startOfToday = java.time.LocalDate.now(sim.config().zone()).atStartOfDay(sim.config().zone()).toInstant().toEpochMilli();
        String mark = String.valueOf(ion.m3().exportSelect("IALMTS from MPHEAD where IALMTS >= " + startOfToday, 0).stream()
                .mapToLong(r -> Long.parseLong(r.get("IALMTS"))).max().orElse(startOfToday));
        List<Map<String, String>> some = ion.m3().exportSelect("IAPUNO from MPHEAD where IAPUNO >= '4000000100'", 3);
        for (Map<String, String> r : some) {
            ion.m3().execute(MiRequest.builder("PPS200MI", "UpdHead").set("PUNO", r.get("IAPUNO")).set("OURR", "X").build());
            changed.add(r.get("IAPUNO"));
        }
        Set<String> seen = new HashSet<>();
        ion.m3().exportSelect("IAPUNO,IALMTS from MPHEAD where IALMTS > " + mark, 0).forEach(r -> seen.add(r.get("IAPUNO")));
        assertEquals(changed, seen);
    }
}
