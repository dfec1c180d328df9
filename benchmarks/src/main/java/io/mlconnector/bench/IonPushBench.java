package io.mlconnector.bench;

import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import io.mlconnector.simulators.ion.ims.ActionCode;
import io.mlconnector.simulators.ion.ims.BodFactory;
import io.mlconnector.simulators.ion.ims.DeliveryReport;
import io.mlconnector.simulators.ion.ims.Hazards;
import io.mlconnector.simulators.ion.ims.HandshakePolicy;
import io.mlconnector.simulators.ion.ims.ImsMessage;
import io.mlconnector.simulators.ion.ims.ImsSender;
import io.mlconnector.simulators.ion.ims.ImsSenderSettings;
import io.mlconnector.simulators.ion.ims.PurchaseOrderVersion;
import io.mlconnector.simulators.ion.ims.ScenarioPlan;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ION push intake against the poller, in one run: the example ION BOD source and the example Infor source (POs
 * only, the end-to-end run's poll interval) feed the example Asana PO sink, all at their defaults otherwise. Samples
 * alternate: a BOD of a new PO pushed over IMS, timed from the POST until its task exists; a new PO entered in the
 * M3 simulator, timed the same way. Then a backlog of BODs is pushed, 16 in flight as ION sends in parallel, timed
 * until every one is acknowledged, which the endpoint does only once Kafka has the record.
 */
final class IonPushBench {

    private static final String BENCH = "ION push";
    private static final String POLLER = "bench-push-infor-source";
    private static final String PUSH = "bench-push-ion-source";
    private static final String SINK = "bench-push-asana-sink";
    private static final String PUBLIC_API = "https://app.asana.com/api/1.0";
    private static final String PO_TOPIC = "infor.ACME_TST.purchase-orders";
    private static final String KEY = "bench-connection-point";
    private static final String SECRET = "bench-" + UUID.randomUUID();
    private static final int SEEDED = 20;
    /** Pushed POs are numbered apart from the simulator's M3 POs, so the poller never reads them. */
    private static final long FIRST_PUSHED = 4_900_000_000L;

    private IonPushBench() {
    }

    static List<Figure> run(KafkaConnectCluster cluster, Size size) throws Exception {
        cluster.topics().recreate(3, PO_TOPIC);
        cluster.topics().recreate(1, "infor.ACME_TST.suppliers", "infor.ACME_TST.data-errors", "infor.ACME_TST.ion-audit",
                "ml.dlq.asana-sink", "ml.task-ledger");
        Path dir = Files.createDirectories(cluster.workDir().resolve("push-secrets-" + UUID.randomUUID()));
        try (IonSimulator ion = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(SEEDED, 0, 0));
             AsanaSimulator asana = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            Files.createDirectories(dir.resolve("ionapi"));
            Files.writeString(dir.resolve("ionapi").resolve(ion.tenant() + ".ionapi"), ion.ionApiJson());
            Files.writeString(dir.resolve("ion-ims.properties"), "consumer.key=" + KEY + "\nconsumer.secret=" + SECRET
                    + "\n", StandardCharsets.UTF_8);
            String token = "pat-" + UUID.randomUUID();
            Map<String, Object> seeded = asana.seedPurchaseOrderProject(token);
            ExampleConfig.writeAsanaProperties(dir, token, (String) seeded.get("workspace"), (String) seeded.get("project"), 1500);

            int port = KafkaConnectCluster.freePort();
            String endpoint = "http://127.0.0.1:" + port + "/ims/service";
            Map<String, String> push = new LinkedHashMap<>(ExampleConfig.load("ion-bod-source-m3.json").secretsDir(dir)
                    .location("https://connect.example.com/ims/service", endpoint).toMap());
            push.put("listener.bind.address", "127.0.0.1");
            push.put("listener.port", String.valueOf(port));
            Map<String, String> poller = new LinkedHashMap<>(ExampleConfig.load("infor-source-m3.json").secretsDir(dir).toMap());
            poller.put("infor.entities", "purchase-orders");
            poller.put("purchase-orders.poll.interval.ms", String.valueOf(size.pollInterval.toMillis()));
            cluster.rest().putConfig(SINK, ExampleConfig.load("asana-sink-purchase-orders.json")
                    .location(PUBLIC_API, asana.apiUrl()).kafka(cluster.bootstrapServers()).secretsDir(dir).toMap());
            cluster.rest().putConfig(POLLER, poller);
            cluster.rest().putConfig(PUSH, push);
            try (ImsSender sender = new ImsSender(ImsSenderSettings.builder(endpoint).oauth1(KEY, SECRET).concurrency(16)
                    .handshake(HandshakePolicy.SKIP).build())) {
                cluster.rest().awaitRunning(PUSH, 1, Duration.ofSeconds(60));
                EndToEndBench.awaitTasks(asana, SEEDED, Duration.ofMinutes(2));
                BodFactory bods = new BodFactory();
                Latencies pushed = new Latencies();
                Latencies polled = new Latencies();
                String supplier = EndToEndBench.ionGet(ion, "/_sim/m3/CIDMAS?CONO=100&limit=1").get(0).path("SUNO").asText();
                for (int i = 0; i < size.endToEndSamples; i++) {
                    int tasks = asana.taskCount();
                    long sent = System.nanoTime();
                    DeliveryReport one = sender.deliver(List.of(ImsMessage.of(UUID.randomUUID().toString().replace("-", ""),
                            bods.purchaseOrder(purchaseOrder(String.valueOf(FIRST_PUSHED + i), supplier)),
                            ImsMessage.Encoding.DEFLATE)));
                    if (one.acknowledged() != 1) {
                        throw new IllegalStateException("the pushed BOD was not acknowledged: " + one);
                    }
                    EndToEndBench.awaitTasks(asana, tasks + 1, Duration.ofSeconds(30));
                    pushed.add((System.nanoTime() - sent) / 1e6);

                    // pacing, not waiting: a change at a random point of the poll interval, as buyers make them
                    Thread.sleep(ThreadLocalRandom.current().nextLong(size.pollInterval.toMillis()));
                    tasks = asana.taskCount();
                    long created = System.nanoTime();
                    EndToEndBench.createPurchaseOrder(ion, supplier);
                    EndToEndBench.awaitTasks(asana, tasks + 1, size.pollInterval.multipliedBy(4).plusSeconds(10));
                    polled.add((System.nanoTime() - created) / 1e6);
                }

                ScenarioPlan backlog = ScenarioPlan.generate(ScenarioPlan.Settings.defaults().withSeed(5)
                        .withPurchaseOrders(size.pushBacklog).withMaxVariations(1).withHazards(Hazards.NONE)
                        .withFirstNumber(FIRST_PUSHED + 1_000_000));
                long start = System.nanoTime();
                DeliveryReport all = sender.deliver(backlog.messages());
                double seconds = (System.nanoTime() - start) / 1e9;
                if (all.acknowledged() != backlog.messages().size()) {
                    throw new IllegalStateException("not every backlog BOD was acknowledged: " + all);
                }

                double p99 = pushed.percentile(99);
                return List.of(
                        Figure.bar(BENCH, "BOD pushed → task in Asana, p50 / p99 (" + pushed.count() + " POs, sink "
                                        + "at its defaults)", Bench.millis(pushed.percentile(50)) + " / " + Bench.millis(p99),
                                "p99 ≤ 1 s", p99 <= 1_000),
                        Figure.context(BENCH, "PO entered in M3 → task, p50 / p99, the poller in the same run ("
                                        + polled.count() + " POs, poll every " + Bench.millis(size.pollInterval.toMillis()) + ")",
                                Bench.millis(polled.percentile(50)) + " / " + Bench.millis(polled.percentile(99)),
                                String.format("push p99 = %.3f × poll p99", p99 / polled.percentile(99))),
                        Figure.context(BENCH, "BODs into Kafka, acknowledged (" + backlog.messages().size()
                                        + " BODs, 16 in flight, OAuth 1.0a each)",
                                String.format("%.0f BODs/s", backlog.messages().size() / seconds), ""));
            } finally {
                cluster.rest().delete(PUSH);
                cluster.rest().delete(POLLER);
                cluster.rest().delete(SINK);
            }
        }
    }

    /** A new PO of division 100/AAA as M3 would publish it on creation. */
    private static PurchaseOrderVersion purchaseOrder(String number, String supplier) {
        return new PurchaseOrderVersion("ACME_TST", "100_AAA", "AAA", "lid://infor.m3.m3", number, 1, ActionCode.Add,
                "20", supplier, "Bench supplier", LocalDate.now(), "EUR", new BigDecimal("4321.50"), "BENCH",
                Instant.now(), List.of(new PurchaseOrderVersion.Line(1, "ITEM1", "Bench item", BigDecimal.ONE, "EA",
                new BigDecimal("4321.50"), new BigDecimal("4321.50"))));
    }
}
