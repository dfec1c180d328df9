package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The IDOs the SyteLine connectors use, client against simulator. */
class IdoClientSimulatorTest {

    private static final ZoneId SITE_ZONE = ZoneId.of("America/Chicago");
    private static IonSimulator sim;
    private static IonClient ion;
    private static IdoClient dals;

    @BeforeAll
    static void start() throws Exception {
        sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(10, 10, 250));
        ion = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson())).build();
        dals = ion.ido(sim.tenant() + "_DALS");
    }

    @AfterAll
    static void stop() {
        ion.close();
        sim.close();
    }

    @Test
    void loadsEveryIdoWithRecordDateAndRowPointer() {
        for (String ido : List.of("SLPos", "SLPoItems", "SLVendors", "SLAptrxs", "SLVchHdrs")) {
            IdoLoadResponse page = dals.load(IdoLoadRequest.builder(ido).recordCap(5).build());
            assertEquals(5, page.items().size(), ido);
            assertTrue(page.moreRowsExist(), ido);
            IdoItem item = page.items().get(0);
            assertNotNull(item.get("RowPointer"), ido);
            assertNotNull(item.dateTime("RecordDate", SITE_ZONE), ido);
            assertNotNull(item.itemId(), ido);
        }
        IdoItem po = dals.load(IdoLoadRequest.builder("SLPos").properties("PoNum", "PoCost", "OrderDate").recordCap(1).build()).items().get(0);
        assertEquals(3, po.properties().size());
        assertTrue(po.decimal("PoCost").scale() == 8, "Mongoose decimals keep their scale: " + po.get("PoCost"));
        assertEquals(SITE_ZONE, po.dateTime("OrderDate", SITE_ZONE).getZone());
        assertNull(dals.load(IdoLoadRequest.builder("SLPos").properties("PoNum").readOnly(true).recordCap(1).build()).items().get(0).itemId());
    }

    @Test
    void recordCapDefaultsTo200AndFilterAndOrderByApply() {
        assertEquals(250, dals.load(IdoLoadRequest.builder("SLPos").recordCap(0).build()).items().size(), "0 = all rows");
        assertEquals(200, dals.load(IdoLoadRequest.builder("SLPos").build()).items().size(), "-1 = the default cap");
        List<IdoItem> vendorPos = dals.load(IdoLoadRequest.builder("SLPos").filter("VendNum = N'V000003'").orderBy("PoNum DESC").recordCap(0).build()).items();
        assertFalse(vendorPos.isEmpty());
        assertTrue(vendorPos.stream().allMatch(i -> i.get("VendNum").equals("V000003")));
        for (int i = 1; i < vendorPos.size(); i++) {
            assertTrue(vendorPos.get(i - 1).get("PoNum").compareTo(vendorPos.get(i).get("PoNum")) > 0);
        }
        IdoException bad = assertThrows(IdoException.class, () -> dals.load(IdoLoadRequest.builder("SLPos").properties("Nope").build()));
        assertTrue(bad.getMessage().contains("Nope"));
        assertThrows(IdoException.class, () -> dals.load(IdoLoadRequest.builder("SLPos").filter("DATEDIFF(day, RecordDate, 1) > 0").build()));
        assertThrows(IdoException.class, () -> ion.ido("NO_SUCH_CONFIG").load(IdoLoadRequest.builder("SLPos").build()));
    }

    @Test
    void bookmarkPagingForwardAndBackwardCoversEveryRowOnce() {
        List<String> forward = new ArrayList<>();
        dals.loadAll(IdoLoadRequest.builder("SLPos").properties("PoNum").orderBy("RecordDate,RowPointer").recordCap(17).build(),
                page -> page.items().forEach(i -> forward.add(i.get("PoNum"))));
        assertEquals(250, forward.size());
        assertEquals(250, forward.stream().distinct().count());
        List<String> backward = new ArrayList<>();
        dals.loadAll(IdoLoadRequest.builder("SLPos").properties("PoNum").orderBy("RecordDate,RowPointer").recordCap(17)
                .loadType(IdoLoadRequest.LoadType.LAST, null).build(), page -> backward.addAll(0, page.items().stream().map(i -> i.get("PoNum")).toList()));
        assertEquals(forward, backward);
    }

    @Test
    void updateMovesRecordDateAndLocksOptimistically() {
        IdoItem po = dals.load(IdoLoadRequest.builder("SLPos").properties("PoNum", "Uf_ExtStatus", "RecordDate").recordCap(1).build()).items().get(0);
        long writes = sim.log().counter("ido.writes.SLPos");
        List<IdoItem> refreshed = dals.update("SLPos", List.of(IdoChange.update(po.itemId(), Map.of("Uf_ExtStatus", "APPROVED"))), true);
        assertEquals(1, refreshed.size());
        assertEquals("APPROVED", refreshed.get(0).get("Uf_ExtStatus"));
        ZonedDateTime before = po.dateTime("RecordDate", SITE_ZONE);
        assertTrue(refreshed.get(0).dateTime("RecordDate", SITE_ZONE).isAfter(before));
        assertNotEquals(po.itemId(), refreshed.get(0).itemId());
        assertEquals(writes + 1, sim.log().counter("ido.writes.SLPos"));

        IdoException stale = assertThrows(IdoException.class,
                () -> dals.update("SLPos", List.of(IdoChange.update(po.itemId(), Map.of("Uf_ExtStatus", "AGAIN"))), false));
        assertTrue(stale.getMessage().contains("changed by another user"), stale.getMessage());
        IdoItem now = dals.load(IdoLoadRequest.builder("SLPos").filter("PoNum = N'" + po.get("PoNum") + "'").build()).items().get(0);
        assertEquals("APPROVED", now.get("Uf_ExtStatus"));
        assertEquals(writes + 1, sim.log().counter("ido.writes.SLPos"), "a refused update writes nothing");
    }

    @Test
    void insertThenDeleteAVoucher() {
        List<IdoItem> inserted = dals.update("SLAptrxs", List.of(IdoChange.insert(Map.of("VendNum", "V000001", "Voucher", "999001",
                "InvNum", "X-1", "InvAmt", new BigDecimal("10.50").toPlainString()))), true);
        IdoItem row = inserted.get(0);
        assertEquals("10.50", row.get("InvAmt"));
        assertThrows(IdoException.class, () -> dals.update("SLAptrxs", List.of(IdoChange.insert(Map.of("VendNum", "V000001", "Voucher", "999001"))), false),
                "a second insert with the same key is refused");
        dals.update("SLAptrxs", List.of(IdoChange.delete(row.itemId())), false);
        assertTrue(dals.load(IdoLoadRequest.builder("SLAptrxs").filter("Voucher = N'999001'").build()).items().isEmpty());
    }

    @Test
    void configurationsListTheSimulatorsSitesWhicheverConfigurationAsks() {
        assertEquals(sim.mongooseConfigs(), dals.configurations());
        assertEquals(List.of(sim.tenant() + "_DALS", sim.tenant() + "_OHIO"), ion.ido(sim.tenant() + "_NOSUCHSITE").configurations());
    }
}
