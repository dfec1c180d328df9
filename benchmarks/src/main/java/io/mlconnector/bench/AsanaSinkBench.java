package io.mlconnector.bench;

import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.asana.PurchaseOrderRecords;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.common.RequestLog;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Asana sink (config-examples/asana-sink-purchase-orders.json) against the Asana simulator. First every API
 * call while it takes new, changed and unchanged orders, per record, and the same for AP's supplier invoices
 * (config-examples/asana-sink-supplier-invoices.json); then a run with more orders than the budget
 * allows, counting the requests Asana received over whole budget windows from the first one, and its 429s.
 */
final class AsanaSinkBench {

    private static final String BENCH = "Asana sink";
    private static final String PUBLIC_API = "https://app.asana.com/api/1.0";
    private static final String PO_TOPIC = "infor.ACME_TST.purchase-orders";
    private static final String SUPPLIER_TOPIC = "infor.ACME_TST.suppliers";
    private static final String INVOICE_TOPIC = "infor.ACME_TST.supplier-invoices";
    private static final String DLQ_TOPIC = "ml.dlq.asana-sink";
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "SEK"};
    private static final int SUPPLIERS = 50;
    /** Every supplier at least once, so that each sink task meets an option another task seeded while warming up. */
    private static final int WARM_UP = SUPPLIERS + 10;
    private static final Set<String> WRITES = Set.of("asana.createTask", "asana.updateTask");

    /** Records of one kind: numbers {@code from..to}, amounts raised by {@code extra}. */
    private interface Records {
        List<Map.Entry<String, String>> of(int from, int to, BigDecimal extra);
    }

    /** What a calls-per-record run feeds the sink: the example it runs, the topic and records it takes. */
    private record Flow(String noun, String example, String topic, Records records) {
    }

    private static final Flow PURCHASE_ORDERS = new Flow("record", "asana-sink-purchase-orders.json", PO_TOPIC,
            AsanaSinkBench::orders);
    private static final Flow INVOICES = new Flow("invoice record", "asana-sink-supplier-invoices.json", INVOICE_TOPIC,
            AsanaSinkBench::invoices);

    private AsanaSinkBench() {
    }

    static List<Figure> run(KafkaConnectCluster cluster, Size size) throws Exception {
        List<Figure> figures = new ArrayList<>(callsPerRecord(cluster, PURCHASE_ORDERS, size.sinkOrders));
        figures.addAll(callsPerRecord(cluster, INVOICES, size.sinkOrders));
        figures.addAll(budgetUse(cluster, size, 0));
        figures.addAll(rebalance(cluster, size.ledgerTasks));
        return figures;
    }

    private static final Pattern INDEXED = Pattern.compile("Indexed (\\d+) tasks of project \\d+ from the task ledger in "
            + "(\\d+) ms \\((\\d+) pending creates settled, (\\d+) Asana requests\\)");

    /**
     * A rebalance of sink tasks whose project holds {@code tasks} tasks, every one in the ledger: the sink made them
     * all, then its tasks restart (as after a rebalance or a worker restart) and take a few records they already
     * wrote. Counted: the Asana requests of the index rebuild (from the sink's log and the simulator's), its wall time,
     * and the worker's heap per indexed task (live heap after GC with the index built, less the heap once the
     * connector is gone, over every sink task's entries).
     */
    private static List<Figure> rebalance(KafkaConnectCluster cluster, int tasks) throws Exception {
        String name = "bench-asana-sink-rebalance";
        freshTopics(cluster);
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults()
                .withBudget(1_000_000, Duration.ofMinutes(1)))) {
            Map<String, String> config = config(cluster, sim, PURCHASE_ORDERS.example(), 1_000_000, Duration.ofMinutes(1));
            int sinkTasks = Integer.parseInt(config.get("tasks.max"));
            WorkerHeap heap = new WorkerHeap(cluster.workerPid());
            cluster.rest().putConfig(name, config);
            double rebuiltMb;
            List<MatchResult> rebuilds = new ArrayList<>();
            long rebuildCalls;
            Map<String, Long> restartCalls;
            try {
                cluster.topics().awaitGroupMembers("connect-" + name, sinkTasks, Duration.ofMinutes(2));
                cluster.topics().produceAll(PO_TOPIC, orders(1, tasks, BigDecimal.ZERO));
                cluster.topics().awaitConsumed("connect-" + name, PO_TOPIC, Duration.ofMinutes(20));
                if (sim.taskCount() != tasks) {
                    throw new IllegalStateException(sim.taskCount() + " tasks made, " + tasks + " expected");
                }
                long logFrom = Files.size(cluster.workerLog());
                long lastSeq = sim.log().entries(null, 1).stream().mapToLong(RequestLog.Entry::seq).max().orElse(0);
                cluster.rest().restart(name, true, false);
                cluster.rest().awaitRunning(name, sinkTasks, Duration.ofMinutes(2));
                cluster.topics().awaitGroupMembers("connect-" + name, sinkTasks, Duration.ofMinutes(2));
                // records the sink already wrote, one per partition at least: each sink task rebuilds on its first put
                cluster.topics().produceAll(PO_TOPIC, orders(1, 30, BigDecimal.ZERO));
                cluster.topics().awaitConsumed("connect-" + name, PO_TOPIC, Duration.ofMinutes(5));
                byte[] bytes = Files.readAllBytes(cluster.workerLog());
                String log = new String(bytes, (int) logFrom, bytes.length - (int) logFrom, java.nio.charset.StandardCharsets.UTF_8);
                INDEXED.matcher(log).results().forEach(rebuilds::add);
                restartCalls = new TreeMap<>(sim.log().entries(null, Integer.MAX_VALUE).stream()
                        .filter(e -> e.seq() > lastSeq)
                        .collect(Collectors.groupingBy(RequestLog.Entry::route, Collectors.counting())));
                rebuildCalls = rebuilds.stream().mapToLong(r -> Long.parseLong(r.group(4))).sum();
                rebuiltMb = heap.usedAfterGcMb();
            } finally {
                cluster.rest().delete(name);
            }
            if (rebuilds.size() < sinkTasks) {
                throw new IllegalStateException("the worker log shows " + rebuilds.size() + " index rebuilds, "
                        + sinkTasks + " expected");
            }
            cluster.topics().awaitGroupEmpty("connect-" + name, Duration.ofMinutes(1));
            double withoutMb = heap.usedAfterGcMb();
            long indexed = rebuilds.stream().mapToLong(r -> Long.parseLong(r.group(1))).sum();
            long slowest = rebuilds.stream().mapToLong(r -> Long.parseLong(r.group(2))).max().orElse(0);
            return List.of(
                    Figure.correctness(BENCH, "Asana requests of a rebalance, " + Bench.count(tasks)
                                    + " tasks all in the ledger (" + sinkTasks + " sink tasks rebuilding)",
                            rebuildCalls + " (the restarted tasks' start-up and writes: " + restartCalls + ")",
                            "0", rebuildCalls == 0),
                    Figure.context(BENCH, "rebalance: ledger read and index rebuilt, slowest sink task",
                            Bench.count(slowest) + " ms for " + Bench.count(indexed / rebuilds.size()) + " tasks", "none"),
                    Figure.context(BENCH, "worker heap per indexed task (Δ live heap over " + Bench.count(indexed)
                                    + " entries in " + rebuilds.size() + " indexes)",
                            String.format(Locale.ROOT, "%.0f bytes (%.1f → %.1f MB)",
                                    (rebuiltMb - withoutMb) * 1024 * 1024 / indexed, withoutMb, rebuiltMb), "none"));
        }
    }

    private static List<Figure> callsPerRecord(KafkaConnectCluster cluster, Flow flow, int orders) throws Exception {
        String name = "bench-asana-sink-calls-" + flow.topic().substring(flow.topic().lastIndexOf('.') + 1);
        freshTopics(cluster);
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults()
                .withBudget(1_000_000, Duration.ofMinutes(1)))) {
            Map<String, String> config = config(cluster, sim, flow.example(), 1_000_000, Duration.ofMinutes(1));
            cluster.rest().putConfig(name, config);
            try {
                // Every sink task in the group first: one joining later rebalances the others, which read their index
                // again in whatever phase that falls.
                cluster.topics().awaitGroupMembers("connect-" + name, Integer.parseInt(config.get("tasks.max")),
                        Duration.ofMinutes(2));
                List<Map.Entry<String, String>> suppliers = new ArrayList<>();
                for (int s = 0; s < SUPPLIERS; s++) {
                    suppliers.add(PurchaseOrderRecords.supplier(supplierId(s), supplierName(s)));
                }
                cluster.topics().produceAll(SUPPLIER_TOPIC, suppliers);
                cluster.topics().awaitConsumed("connect-" + name, SUPPLIER_TOPIC, Duration.ofMinutes(2));

                // The first orders also pay what each sink task does once: its index read and enum-field refresh.
                Records records = flow.records();
                Calls startup = callsFor(cluster, sim, name, flow.topic(), records.of(1, WARM_UP, BigDecimal.ZERO));
                int first = WARM_UP + 1;
                int changed = orders * 3 / 10;
                int unchanged = orders / 5;
                Calls created = callsFor(cluster, sim, name, flow.topic(),
                        records.of(first, WARM_UP + orders, BigDecimal.ZERO));
                Calls updated = callsFor(cluster, sim, name, flow.topic(),
                        records.of(first, WARM_UP + changed, BigDecimal.ONE));
                Calls repeated = callsFor(cluster, sim, name, flow.topic(),
                        records.of(first + changed, WARM_UP + changed + unchanged, BigDecimal.ZERO));
                return List.of(
                        Figure.context(BENCH, "API calls for the first " + WARM_UP + " new " + flow.noun()
                                        + "s (once per sink task)",
                                startup.total() + " calls; besides the writes " + startup.besidesWrites(),
                                WARM_UP + " creates + start-up reads"),
                        callsFigure("created " + flow.noun(), created, orders, 1),
                        callsFigure("changed " + flow.noun(), updated, changed, 1),
                        callsFigure("unchanged " + flow.noun(), repeated, unchanged, 0));
            } finally {
                cluster.rest().delete(name);
            }
        }
    }

    /** The API calls answered while the sink consumed some records: all of them, and those other than the writes. */
    private record Calls(long total, Map<String, Long> besidesWrites) {
    }

    private static Figure callsFigure(String kind, Calls calls, int records, int bar) {
        String others = calls.besidesWrites().isEmpty() ? "" : "; besides the writes " + calls.besidesWrites();
        return Figure.correctness(BENCH, "API calls per " + kind + " (" + Bench.count(records) + ")",
                String.format(Locale.ROOT, "%.3f (%d calls%s)", (double) calls.total() / records, calls.total(), others),
                "exactly " + bar, calls.total() == (long) bar * records);
    }

    private static Calls callsFor(KafkaConnectCluster cluster, AsanaSimulator sim, String name, String topic,
                                  List<Map.Entry<String, String>> records) throws Exception {
        long before = sim.log().calls();
        long lastSeq = sim.log().entries(null, 1).stream().mapToLong(RequestLog.Entry::seq).max().orElse(0);
        cluster.topics().produceAll(topic, records);
        cluster.topics().awaitConsumed("connect-" + name, topic, Duration.ofMinutes(10));
        Map<String, Long> others = new TreeMap<>(sim.log().entries(null, Integer.MAX_VALUE).stream()
                .filter(e -> e.seq() > lastSeq && !WRITES.contains(e.route()))
                .collect(Collectors.groupingBy(RequestLog.Entry::route, Collectors.counting())));
        return new Calls(sim.log().calls() - before, others);
    }

    /**
     * The budget run: the PO example at {@code tasks} tasks (0: the example's), as many orders as the measured windows
     * allow twice over. With several workers each task spends its share, so the orders are written once every task
     * holds its partition: a task alone in the group would take them all into one put() at its own share.
     */
    static List<Figure> budgetUse(KafkaConnectCluster cluster, Size size, int tasks) throws Exception {
        String name = "bench-asana-sink-budget";
        Duration measured = size.budgetWindow.multipliedBy(size.budgetWindows);
        int allowed = size.budget * size.budgetWindows;
        freshTopics(cluster);
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults()
                .withBudget(size.budget, size.budgetWindow))) {
            // Twice what the budget allows over the measured windows: the sink never runs out of work.
            List<Map.Entry<String, String>> backlog = orders(1, allowed * 2, BigDecimal.ZERO);
            Map<String, String> config = config(cluster, sim, PURCHASE_ORDERS.example(), size.budget, size.budgetWindow);
            if (tasks == 0) {
                cluster.topics().produceAll(PO_TOPIC, backlog);
            } else {
                config.put("tasks.max", String.valueOf(tasks));
            }
            cluster.rest().putConfig(name, config);
            if (tasks != 0) {
                cluster.topics().awaitGroupMembers("connect-" + name, tasks, Duration.ofMinutes(2));
                cluster.topics().produceAll(PO_TOPIC, backlog);
            }
            Instant first;
            try {
                first = awaitFirstCreate(sim, Duration.ofMinutes(2));
                // pacing, not waiting: the sink runs for the measured windows, whatever it does in them
                Thread.sleep(Duration.between(Instant.now(), first.plus(measured).plusSeconds(1)).toMillis());
            } finally {
                cluster.rest().delete(name);
            }
            // Every call in the windows counts, reads included: they spend the same budget.
            Instant end = first.plus(measured);
            long inWindows = sim.log().entries(null, Integer.MAX_VALUE).stream()
                    .map(c -> Instant.parse(c.at())).filter(at -> !at.isBefore(first) && at.isBefore(end)).count();
            long rateLimited = sim.log().callsWithStatus(429);
            String budget = Bench.count(size.budget) + " per " + size.budgetWindow.toSeconds() + " s";
            return List.of(
                    Figure.bar(BENCH, (tasks == 0 ? "" : cluster.workers().size() + " workers, tasks.max=" + tasks
                                    + ", a share each: ") + "budget used over " + size.budgetWindows + " windows ("
                                    + budget + ")",
                            Bench.count(inWindows) + " of " + Bench.count(allowed) + " = "
                                    + Bench.percent((double) inWindows / allowed), "≥ 90 %",
                            inWindows >= 0.9 * allowed),
                    Figure.correctness(BENCH, "429s received in the budget run"
                                    + (tasks == 0 ? "" : " on " + cluster.workers().size() + " workers"),
                            Bench.count(rateLimited), "0",
                            rateLimited == 0));
        }
    }

    /**
     * When the first task was created: the sustained run starts there, after the validation, start-up and index
     * reads that a long run pays once.
     */
    private static Instant awaitFirstCreate(AsanaSimulator sim, Duration timeout) throws InterruptedException {
        Await.until("the sink's first task", timeout, () -> sim.log().calls("asana.createTask") > 0);
        return sim.log().entries("asana.createTask", Integer.MAX_VALUE).stream().map(c -> Instant.parse(c.at()))
                .min(Instant::compareTo).orElseThrow();
    }

    /** An example config against this simulator, with the given budget (Asana's per minute, over {@code window}). */
    private static Map<String, String> config(KafkaConnectCluster cluster, AsanaSimulator sim, String example, int budget,
                                              Duration window) throws Exception {
        String token = "pat-" + UUID.randomUUID();
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(token);
        Path dir = Files.createDirectories(cluster.workDir().resolve("sink-secrets-" + UUID.randomUUID()));
        ExampleConfig.writeAsanaProperties(dir, token, (String) seeded.get("workspace"), (String) seeded.get("project"),
                (String) seeded.get("apProject"), budget);
        Map<String, String> config = new LinkedHashMap<>(
                ExampleConfig.load(example).location(PUBLIC_API, sim.apiUrl())
                        .kafka(cluster.bootstrapServers()).secretsDir(dir).toMap());
        config.put("asana.rate.limit.window.ms", String.valueOf(window.toMillis()));
        return config;
    }

    private static void freshTopics(KafkaConnectCluster cluster) throws Exception {
        cluster.topics().recreate(3, PO_TOPIC, INVOICE_TOPIC);
        cluster.topics().recreate(1, SUPPLIER_TOPIC, DLQ_TOPIC, "ml.dlq.asana-sink-invoices", "ml.task-ledger");
    }

    private static List<Map.Entry<String, String>> orders(int from, int to, BigDecimal extra) {
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            records.add(PurchaseOrderRecords.purchaseOrder(String.format("40%08d", i), supplierId(i % SUPPLIERS),
                    supplierName(i % SUPPLIERS), new BigDecimal(i).add(new BigDecimal("0.25")).add(extra),
                    CURRENCIES[i % CURRENCIES.length], "20"));
        }
        return records;
    }

    private static List<Map.Entry<String, String>> invoices(int from, int to, BigDecimal extra) {
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            String batch = String.valueOf(1_000_000 + i);
            records.add(PurchaseOrderRecords.supplierInvoice(batch, "AAA", "INV-" + batch, supplierId(i % SUPPLIERS),
                    supplierName(i % SUPPLIERS), new BigDecimal(i).add(new BigDecimal("0.75")).add(extra),
                    CURRENCIES[i % CURRENCIES.length], "2026-11-" + String.format("%02d", 1 + i % 28),
                    "2026-12-" + String.format("%02d", 1 + i % 28)));
        }
        return records;
    }

    private static String supplierId(int s) {
        return String.format("S%05d", s);
    }

    private static String supplierName(int s) {
        return String.format("Supplier %02d AB", s);
    }
}
