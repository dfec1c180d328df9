package io.mlconnector.it.infor.source;

import static io.mlconnector.it.infor.source.InforUnderTest.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On a worker with exactly-once source support, the M3 example config (which requests it) survives a kill -9
 * mid-backlog with every order and invoice exactly once in the topics (read committed).
 */
class InforSourceExactlyOnceIT {

    private static final String NAME = "infor-source-eos-it";
    private static final String POS = PREFIX + "purchase-orders";
    private static final String INVOICES = PREFIX + "supplier-invoices";
    private static final int ORDERS = "full".equals(System.getProperty("mlconnector.size")) ? 20_000 : 12_000;
    private static final int INVOICE_COUNT = 5_000;

    @Test
    void killMidBacklogNeitherLosesNorRepeats() throws Exception {
        KafkaConnectCluster cluster = KafkaConnectCluster.forProject(SharedCluster.workDir("infor-eos")).reachSimulators()
                .workerProperty("exactly.once.source.support", "enabled").build().start();
        try (InforUnderTest infor = InforUnderTest.start(cluster, IonSimulatorConfig.defaults().withVolumes(ORDERS, INVOICE_COUNT, 10))) {
            ConnectRest rest = cluster.rest();
            rest.putConfig(NAME, infor.exampleConfig("infor-source-m3.json"));
            try {
                rest.awaitRunning(NAME, 3, Duration.ofSeconds(60));
                infor.awaitEndOffset(POS, 8_000, Duration.ofMinutes(2));
                cluster.killWorker();
                cluster.startWorker();
                rest.awaitRunning(NAME, 3, Duration.ofSeconds(90));
                // Read committed: aborted batches and transaction markers are not records. Wait for all, then look
                // a little longer for any record beyond them.
                cluster.topics().read(POS, ORDERS, Duration.ofSeconds(90));
                cluster.topics().read(INVOICES, INVOICE_COUNT, Duration.ofSeconds(30));
                Map<String, Integer> orders = InforUnderTest.versions(cluster.topics().read(POS, ORDERS + 1, Duration.ofSeconds(5)));
                Map<String, Integer> invoices = InforUnderTest.versions(cluster.topics().read(INVOICES, INVOICE_COUNT + 1, Duration.ofSeconds(5)));
                assertEquals(ORDERS, orders.size(), "every order");
                assertEquals(ORDERS, orders.values().stream().mapToInt(Integer::intValue).sum(), "no order twice");
                assertEquals(INVOICE_COUNT, invoices.size(), "every invoice");
                assertEquals(INVOICE_COUNT, invoices.values().stream().mapToInt(Integer::intValue).sum(), "no invoice twice");
            } finally {
                rest.delete(NAME);
            }
        } finally {
            cluster.close();
        }
    }
}
