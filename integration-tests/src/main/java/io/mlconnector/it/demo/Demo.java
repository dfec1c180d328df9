package io.mlconnector.it.demo;

import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The README's demo: a Kafka broker and a Connect worker with the four plugins, the ION and Asana
 * simulators (or the real systems, given credentials), the whole approval loop registered through the
 * REST API from config-examples, and live progress. Enter approves the next open task; Ctrl-C stops
 * everything the demo started.
 */
public final class Demo {

    private static final String USAGE = """
            usage: ./demo.sh [--purchase-orders N] [--auto-approve N] [--exit-after-writebacks N] [--push]

            Runs the whole loop on one machine: Infor CloudSuite → Kafka → Asana tasks, and approvals in Asana →
            Kafka → CloudSuite writebacks, with progress lines. Press Enter to approve the next open task as a
            reviewer would; type q or press Ctrl-C to stop everything.

              --purchase-orders N        purchase orders the ION simulator starts with (default 60)
              --auto-approve N           approve N tasks by itself, one every 3 seconds, once tasks exist
              --exit-after-writebacks N  stop by itself once N writebacks are audited (for scripted runs)
              --push                     also run the ION BOD source: every 5 seconds the simulated M3 changes a PO
                                         and pushes its Sync.PurchaseOrder BOD over IMS (OAuth 1.0a); its task
                                         follows within a second, while the poller reads every minute (simulators only)

            Real systems instead of simulators, when these environment variables are set:
              ML_IONAPI_FILE       the tenant's .ionapi file (backend service client with a service account)
              ML_M3_DIVISIONS      M3 company/division pairs to read, e.g. 100/AAA,100/BBB
              ASANA_TOKEN          an Asana personal access token
              ASANA_WORKSPACE_GID, ASANA_PROJECT_GID   the approval project, with custom fields PO number (text),
                                   Amount (number), Supplier and Currency (enum)
              ASANA_RATE_LIMIT     the token's requests per minute (default 150)
              ASANA_APPROVER_GIDS  the Asana users whose completions approve a PO (not the token's own user)
              ML_WEBHOOK_URL       the public https URL that forwards to this machine's ML_WEBHOOK_PORT (8090)
            Every connector is validated live against them before anything runs.
            """;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int purchaseOrders = 60;
        int autoApprove = 0;
        int exitAfter = 0;
        boolean push = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--push" -> push = true;
                case "--purchase-orders" -> purchaseOrders = Integer.parseInt(args[++i]);
                case "--auto-approve" -> autoApprove = Integer.parseInt(args[++i]);
                case "--exit-after-writebacks" -> exitAfter = Integer.parseInt(args[++i]);
                default -> {
                    System.out.print(USAGE);
                    System.exit(args[i].equals("--help") ? 0 : 2);
                }
            }
        }
        System.exit(run(purchaseOrders, autoApprove, exitAfter, push, System.getenv()));
    }

    /** Runs until stopped; returns the process exit code. */
    static int run(int purchaseOrders, int autoApprove, int exitAfter, boolean push, Map<String, String> env)
            throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path work = Path.of(System.getProperty("mlconnector.work", ".demo")).toAbsolutePath().resolve("run-" + stamp);
        Path secrets = work.resolve("secrets");
        boolean real = RealSystems.requested(env);
        DemoSystems systems = real ? RealSystems.prepare(env, secrets) : SimulatedSystems.start(secrets, purchaseOrders);
        KafkaConnectCluster.Builder worker = KafkaConnectCluster.forProject(work.resolve("kafka"));
        KafkaConnectCluster cluster = (real ? worker : worker.reachSimulators()).build();
        ProgressBoard board = new ProgressBoard(cluster, systems.tenant());
        CountDownLatch done = new CountDownLatch(1);
        ScheduledExecutorService approver = Executors.newSingleThreadScheduledExecutor();
        Thread stopper = new Thread(() -> {
            ProgressBoard.say("Stopping Kafka, Connect and the simulators ...");
            approver.shutdownNow();
            board.close();
            cluster.close();
            systems.close();
            ProgressBoard.say("Stopped. Logs are in " + work);
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);

        ProgressBoard.say("Connecting " + systems.describe());
        ProgressBoard.say("Starting a Kafka broker and a Connect worker with the ml-connector plugins ...");
        cluster.start();
        ProgressBoard.say(String.format("Kafka %s and Connect %s ready in %.1f s", cluster.bootstrapServers(),
                cluster.connectUrl(), cluster.startupTime().toMillis() / 1000.0));

        Map<String, UnaryOperator<ExampleConfig>> locations = new HashMap<>(systems.locations(cluster));
        if (!push || real) {
            locations.remove(Pipeline.ION_PUSH);
        }
        Pipeline pipeline = new Pipeline(secrets, locations);
        List<String> problems = pipeline.validate(cluster.rest());
        if (!problems.isEmpty()) {
            problems.forEach(p -> ProgressBoard.say("config problem: " + p));
            return 1;
        }
        ProgressBoard.say("All " + pipeline.connectors().size() + " connectors passed live validation; registering them "
                + "through the REST API");
        pipeline.register(cluster.rest());
        for (String connector : pipeline.connectors()) {
            int tasks = Integer.parseInt(pipeline.config(connector).getOrDefault("tasks.max", "1"));
            cluster.rest().awaitStatus(connector, Duration.ofSeconds(90), "running", status ->
                    "RUNNING".equals(status.path("connector").path("state").asText())
                            && status.path("tasks").size() >= 1
                            && status.path("tasks").size() <= tasks);
            ProgressBoard.say("  " + connector + " is running");
        }
        board.start();
        ProgressBoard.say("Press Enter to approve the next open task in Asana (as a reviewer would); q or Ctrl-C stops.");

        if (autoApprove > 0) {
            int[] left = {autoApprove};
            approver.scheduleWithFixedDelay(() -> {
                if (left[0] > 0 && approve(systems, true)) {
                    left[0]--;
                }
            }, 3, 3, TimeUnit.SECONDS);
        }
        if (push && systems instanceof SimulatedSystems simulated) {
            PurchaseOrderPublisher publisher = new PurchaseOrderPublisher(simulated);
            approver.scheduleWithFixedDelay(publisher::changeAndPublishNext, 5, 5, TimeUnit.SECONDS);
        }
        if (exitAfter > 0) {
            approver.scheduleWithFixedDelay(() -> {
                if (board.writebacks() >= exitAfter) {
                    done.countDown();
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
        Thread keys = new Thread(() -> readKeys(systems, done), "demo-keys");
        keys.setDaemon(true);
        keys.start();
        done.await();
        return 0;
    }

    private static void readKeys(DemoSystems systems, CountDownLatch done) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.strip().equalsIgnoreCase("q")) {
                    done.countDown();
                    return;
                }
                approve(systems, false);
            }
        } catch (Exception closed) {
            // no console (e.g. run from a script): the demo runs until Ctrl-C
        }
    }

    /** @param quiet say nothing while there is no task yet (automatic approvals) */
    private static boolean approve(DemoSystems systems, boolean quiet) {
        Optional<String> approved = systems.approveNextTask();
        if (approved.isPresent()) {
            ProgressBoard.say("You completed the Asana task of " + approved.get() + "; watch its writeback ...");
        } else if (!quiet) {
            ProgressBoard.say("No open task to approve here yet (with real systems, complete a task in Asana).");
        }
        return approved.isPresent();
    }
}
