package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.common.RequestLog;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Pages of more orders than an {@code or} chain takes read their lines as a key range, in slices of EXPORTMI's
 * 10,000-row cap; a slice may end in the middle of an order, which the next slice reads again.
 */
class M3LineSlicesTest {

    @Test
    void everyOrderHasAllItsLinesWhenTheyComeInSlices() throws Exception {
        try (IonSimulator sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(6_000, 0, 0)
                .withMaxLinesPerOrder(20))) {
            TaskHarness run = new TaskHarness(Map.of("ion.credentials", sim.ionApiJson(), "infor.backend", "M3",
                    "infor.entities", "purchase-orders", "m3.divisions", "100/AAA,100/BBB,200/CCC",
                    "infor.timezone", "Europe/Stockholm", "page.size", "1000", "max.records.per.poll", "2000"), 3);
            List<SourceRecord> records = run.drain();

            List<RequestLog.Entry> exports = sim.log().entries("m3.*", Integer.MAX_VALUE).stream()
                    .filter(e -> e.path().contains("/EXPORTMI/")).toList();
            long lineSlices = exports.stream().filter(e -> query(e).contains("from MPLINE where IBPUNO >=")).count();
            assertTrue(lineSlices > 6, "some of the six pages read their lines in more than one slice: " + lineSlices);

            Set<String> orders = new HashSet<>();
            for (SourceRecord record : records) {
                Struct po = (Struct) record.value();
                assertTrue(orders.add(po.getString("company") + "/" + po.getString("number")), "no order twice");
                List<Struct> lines = po.getArray("lines");
                assertFalse(lines.isEmpty(), "order " + po.getString("number") + " has lines");
                BigDecimal sum = lines.stream().map(l -> (BigDecimal) l.get("amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertEquals(sum, po.get("amount"), "order " + po.getString("number") + ": the total is the sum of its lines");
            }
            assertEquals(6_000, orders.size());
        }
    }

    private static String query(RequestLog.Entry e) {
        return URLDecoder.decode(String.valueOf(e.query()), StandardCharsets.UTF_8);
    }
}
