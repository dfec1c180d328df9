package io.mlconnector.bench;

import io.mlconnector.it.KafkaConnectCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Infor source's drain and the Asana sink's budget run again on a Connect group of three workers, each task on
 * a worker of its own, as a user scales out: each figure a ratio to the same run's limit (the simulator's raw page
 * rate, the budget the simulator enforces). The group is started for these two runs and stopped after them.
 */
final class ThreeWorkersBench {

    private static final int WORKERS = 3;

    private ThreeWorkersBench() {
    }

    static List<Figure> run(KafkaConnectCluster oneWorker, Size size) throws Exception {
        // inside the one-worker cluster's directory, which every run starts afresh
        Path work = oneWorker.workDir().resolve("three-workers");
        try (KafkaConnectCluster cluster = KafkaConnectCluster.forProject(work).reachSimulators().pluginLogLevel("INFO")
                .workers(WORKERS).build().start()) {
            // the new workers' JIT compilers warm up first, as in the one-worker drain
            InforSourceBench.drain(cluster, size.purchaseOrders / 10, Duration.ZERO, "three-workers-warm-up", false);
            Duration roundTrip = InforSourceBench.GATEWAY_ROUND_TRIP;
            InforSourceBench.Drain drain = InforSourceBench.drain(cluster, size.purchaseOrders, roundTrip,
                    "three-workers", false);
            List<Figure> figures = new ArrayList<>();
            figures.add(Figure.context("Infor source", WORKERS + " workers, tasks.max=3: records/s for "
                            + Bench.count(size.purchaseOrders) + " POs, ION round trip " + Bench.millis(roundTrip.toMillis()),
                    Bench.rate(drain.sourceRate(), "POs/s") + " = " + Bench.percent(drain.ratio()) + " of raw "
                            + Bench.rate(drain.rawRate(), "POs/s"), "the same run's raw page rate"));
            figures.addAll(AsanaSinkBench.budgetUse(cluster, size, WORKERS));
            return figures;
        }
    }
}
