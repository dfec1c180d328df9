package io.mlconnector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.simulators.common.RequestLog;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The Infor source draining a purchase-order backlog from the ION simulator (config-examples/infor-source-m3.json,
 * purchase orders only), against the simulator's raw rate: the very requests the source made, taken from the
 * simulator's log and fetched again by a bare HTTP loop, each connection's requests in their order on a thread of their
 * own, as the source's tasks made them. The worker's heap is read after a full GC at a quarter of the backlog and at
 * three quarters, in the drain without a round trip. The worker's CPU time per 1,000 POs is set against what the bare
 * loop spends parsing the same pages: the CPU-bound figure, free of the round trip's wait.
 */
final class InforSourceBench {

    private static final String NAME = "bench-infor-source";
    private static final String TOPIC = "infor.ACME_TST.purchase-orders";
    private static final String ERRORS = "infor.ACME_TST.data-errors";
    private static final String BENCH = "Infor source";
    /**
     * Both readings hold in-flight pages and records, and the producer's buffer pool (up to 32 MB) fills over the run;
     * a source that kept the half of a 100,000-PO backlog read between the readings would add over 100 MB.
     */
    private static final double FLAT_HEAP_MB = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * What one call through the ION API Gateway to M3 costs in time beyond the simulator's own work: TLS and the
     * gateway's proxying on the way in and out, and M3's MI layer. Without it the simulator, the broker and the
     * worker share this machine's two cores, so the ratio measures the machine, not the connector; a real gateway
     * serves from its own hardware. 100 ms is a conservative (fast) figure for an EXPORTMI page of up to 1,000 rows.
     */
    static final Duration GATEWAY_ROUND_TRIP = Duration.ofMillis(100);

    private InforSourceBench() {
    }

    static List<Figure> run(KafkaConnectCluster cluster, Size size) throws Exception {
        // A tenth of the backlog first, not measured: the worker's and the simulator's JIT compilers otherwise take
        // over half a core during the first drain, a cost a long-running worker has long paid.
        drain(cluster, size.purchaseOrders / 10, Duration.ZERO, "warm-up", false);
        // The heap is read in the drain without a round trip: each reading is a full GC, which stops the worker's
        // threads, and would be counted against the judged drain's rate.
        Drain modelled = drain(cluster, size.purchaseOrders, GATEWAY_ROUND_TRIP, GATEWAY_ROUND_TRIP.toMillis() + "ms", false);
        Drain sameCores = drain(cluster, size.purchaseOrders, Duration.ZERO, "0ms", true);
        Heap heap = sameCores.heap();
        String orders = Bench.count(size.purchaseOrders) + " POs";
        return List.of(
                Figure.context(BENCH, "raw page rate, ION round trip " + Bench.millis(GATEWAY_ROUND_TRIP.toMillis())
                        + " (" + modelled.pages + " pages, " + modelled.connections + " connections)",
                        Bench.rate(modelled.rawRate, "POs/s"), "the gateway's limit"),
                Figure.bar(BENCH, "records/s for " + orders + ", ION round trip " + Bench.millis(GATEWAY_ROUND_TRIP.toMillis()),
                        Bench.rate(modelled.sourceRate, "POs/s") + " = " + Bench.percent(modelled.ratio()) + " of raw",
                        "≥ 95 % of raw", modelled.ratio() >= 0.95),
                Figure.context(BENCH, "worker CPU per 1,000 POs, against the bare loop parsing the same pages (JSON and each row's REPL)",
                        String.format(Locale.ROOT, "%.0f ms = %.1f × %.1f ms", modelled.workerCpuMsPerThousand,
                                modelled.workerCpuMsPerThousand / modelled.parseCpuMsPerThousand, modelled.parseCpuMsPerThousand),
                        "the honest CPU-bound figure"),
                Figure.context(BENCH, "records/s for " + orders + ", no round trip: simulator, broker and worker share the cores",
                        Bench.rate(sameCores.sourceRate, "POs/s") + " = " + Bench.percent(sameCores.ratio()) + " of raw "
                                + Bench.rate(sameCores.rawRate, "POs/s"), "CPU-bound on this machine"),
                Figure.bar(BENCH, "worker heap after GC at ¼ → ¾ of the backlog, no round trip (idle after)",
                        String.format(Locale.ROOT, "%.0f → %.0f MB (%.0f MB)", heap.quarter(), heap.threeQuarters(), heap.idle()),
                        String.format(Locale.ROOT, "flat: ≤ +%.0f MB", FLAT_HEAP_MB),
                        heap.threeQuarters() - heap.quarter() <= FLAT_HEAP_MB));
    }

    /** One backlog drained by the source, then the same pages fetched by the bare loop; the heap when read. */
    record Drain(int pages, int connections, double sourceRate, double rawRate, Heap heap,
                         double workerCpuMsPerThousand, double parseCpuMsPerThousand) {
        double ratio() {
            return sourceRate / rawRate;
        }
    }

    /** The worker's live heap in MB at a quarter and three quarters of the backlog, and once it is in. */
    private record Heap(double quarter, double threeQuarters, double idle) {
    }

    static Drain drain(KafkaConnectCluster cluster, int orders, Duration roundTrip, String label, boolean readHeap)
            throws Exception {
        String name = NAME + "-" + label;
        try (IonSimulator ion = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(orders, 0, 0))) {
            if (!roundTrip.isZero()) {
                ion.faults().add(new FaultRule("m3.*", FaultRule.Kind.LATENCY, null, null, roundTrip.toMillis(), -1, 100));
            }
            Path secrets = Files.createDirectories(cluster.workDir().resolve("source-secrets").resolve("ionapi"));
            Files.writeString(secrets.resolve(ion.tenant() + ".ionapi"), ion.ionApiJson());
            cluster.topics().recreate(1, TOPIC, ERRORS);
            Map<String, String> config = new LinkedHashMap<>(
                    ExampleConfig.load("infor-source-m3.json").secretsDir(secrets.getParent()).toMap());
            config.put("infor.entities", "purchase-orders");

            WorkerHeap workerHeap = new WorkerHeap(cluster.workerPid());
            ion.log().clear();
            Duration workerCpuBefore = workerCpu(cluster);
            cluster.rest().putConfig(name, config);
            double quarterHeap = Double.NaN;
            double threeQuarterHeap = Double.NaN;
            Instant drained;
            Duration workerCpu;
            // A watcher notes when the backlog is in, so the heap readings do not delay that moment.
            ExecutorService watcher = Executors.newSingleThreadExecutor();
            try {
                Future<Instant> done = watcher.submit(() -> Bench.awaitEndOffset(cluster, TOPIC, orders, Duration.ofMinutes(20)));
                if (readHeap) {
                    Bench.awaitEndOffset(cluster, TOPIC, orders / 4, Duration.ofMinutes(10));
                    quarterHeap = workerHeap.usedAfterGcMb();
                    Bench.awaitEndOffset(cluster, TOPIC, orders * 3L / 4, Duration.ofMinutes(10));
                    threeQuarterHeap = workerHeap.usedAfterGcMb();
                }
                drained = done.get();
                workerCpu = workerCpu(cluster).minus(workerCpuBefore);
            } finally {
                watcher.shutdownNow();
                cluster.rest().delete(name);
            }
            Heap heap = readHeap ? new Heap(quarterHeap, threeQuarterHeap, workerHeap.usedAfterGcMb()) : null;

            // The pages: EXPORTMI reads up to the moment the backlog was in. Not the start-up's connection checks
            // (in Connect's task start-up, not in the read rate), nor the polls of caught-up readers after the drain.
            List<RequestLog.Entry> pages = ion.log().entries("m3.*", Integer.MAX_VALUE).stream()
                    .filter(e -> e.path().contains("/EXPORTMI/") && !Instant.parse(e.at()).isAfter(drained)).toList();
            Instant firstPageAsked = pages.stream().map(e -> Instant.parse(e.at()).minusNanos(e.micros() * 1_000))
                    .min(Instant::compareTo).orElseThrow();
            double sourceSeconds = Duration.between(firstPageAsked, drained).toMillis() / 1000.0;
            Collection<List<RequestLog.Entry>> connections = pages.stream()
                    .collect(Collectors.groupingBy(RequestLog.Entry::client, LinkedHashMap::new, Collectors.toList())).values();
            double rawSeconds = replay(ion, connections);
            ion.faults().clear();
            double parseMillis = parseCpuMillis(ion, connections);
            return new Drain(pages.size(), connections.size(), orders / sourceSeconds, orders / rawSeconds, heap,
                    workerCpu.toMillis() * 1000.0 / orders, parseMillis * 1000.0 / orders);
        }
    }

    /**
     * Seconds to fetch the logged pages again, a thread per connection that asked for them, in the order asked: a task
     * reads its partitions one page after another, so the loop may not spread one task's pages over several threads.
     */
    private static double replay(IonSimulator ion, Collection<List<RequestLog.Entry>> connections) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String bearer = "Bearer " + accessToken(http, ion);
        List<List<URI>> shares = new ArrayList<>();
        for (List<RequestLog.Entry> asked : connections) {
            shares.add(asked.stream().map(page -> URI.create(ion.baseUrl() + page.path()
                    + (page.query() == null ? "" : "?" + page.query()))).toList());
        }
        ExecutorService pool = Executors.newFixedThreadPool(shares.size());
        try {
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (List<URI> share : shares) {
                running.add(pool.submit(() -> {
                    for (URI uri : share) {
                        HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(uri).header("Authorization", bearer)
                                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (page.statusCode() != 200) {
                            throw new IllegalStateException(uri + " answered " + page.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The worker process's CPU time so far, all threads, as the operating system counts it. */
    private static Duration workerCpu(KafkaConnectCluster cluster) {
        return ProcessHandle.of(cluster.workerPid()).flatMap(p -> p.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("the worker's CPU time cannot be read"));
    }

    /**
     * Milliseconds of CPU the bare loop spends parsing the logged pages, fetched once more and not timed: the JSON
     * read and each row's REPL value taken out, the least any reader of EXPORTMI must do.
     */
    private static double parseCpuMillis(IonSimulator ion, Collection<List<RequestLog.Entry>> connections) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String bearer = "Bearer " + accessToken(http, ion);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuNanos = 0;
        long rows = 0;
        for (List<RequestLog.Entry> asked : connections) {
            for (RequestLog.Entry page : asked) {
                URI uri = URI.create(ion.baseUrl() + page.path() + (page.query() == null ? "" : "?" + page.query()));
                byte[] body = http.send(HttpRequest.newBuilder(uri).header("Authorization", bearer)
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
                long start = threads.getCurrentThreadCpuTime();
                // MI REST v2, as the example reads: results[].records[].REPL
                for (JsonNode result : JSON.readTree(body).path("results")) {
                    for (JsonNode record : result.path("records")) {
                        rows += record.path("REPL").asText().isEmpty() ? 0 : 1;
                    }
                }
                cpuNanos += threads.getCurrentThreadCpuTime() - start;
            }
        }
        if (rows == 0) {
            throw new IllegalStateException("the bare loop parsed no rows from " + connections.size() + " connections' pages");
        }
        return cpuNanos / 1e6;
    }

    /** The service account's password grant, as the .ionapi file allows. */
    private static String accessToken(HttpClient http, IonSimulator ion) throws Exception {
        IonSimulatorConfig c = ion.config();
        Map<String, String> form = Map.of("grant_type", "password", "username", c.serviceAccountAccessKey(),
                "password", c.serviceAccountSecretKey(), "client_id", c.clientId(), "client_secret", c.clientSecret());
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(ion.baseUrl() + "/" + ion.tenant() + "/as/token.oauth2"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the ION simulator refused the password grant: " + answer.statusCode());
        }
        return JSON.readTree(answer.body()).get("access_token").asText();
    }
}
