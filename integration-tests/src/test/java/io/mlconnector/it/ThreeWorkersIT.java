package io.mlconnector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mlconnector.it.asana.PurchaseOrderRecords;
import io.mlconnector.it.infor.source.InforUnderTest;
import io.mlconnector.it.webhook.AsanaUnderTest;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Connect group of three workers with exactly-once source support, as a user scales out: a worker running a
 * task is killed with {@code kill -9} and the group moves its work to the others. Each worker has its own webhook
 * listener port through {@code ${env:...}}, as hosts of their own would have, and a TCP load balancer stands in front
 * of all three as the one address Asana knows.
 */
class ThreeWorkersIT {

    private static final int WORKERS = 3;
    private static final String LISTENER_PORT_VARIABLE = "ML_IT_WEBHOOK_LISTENER_PORT";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaConnectCluster cluster;
    private static List<Integer> listenerPorts;

    @BeforeAll
    static void startGroup() throws Exception {
        listenerPorts = new ArrayList<>();
        KafkaConnectCluster.Builder builder = KafkaConnectCluster.forProject(SharedCluster.workDir("three-workers"))
                .reachSimulators().workers(WORKERS).workerProperty("exactly.once.source.support", "enabled");
        for (int i = 0; i < WORKERS; i++) {
            listenerPorts.add(freePort());
            builder.workerEnvironment(i, LISTENER_PORT_VARIABLE, String.valueOf(listenerPorts.get(i)));
        }
        cluster = builder.build().start();
        System.out.printf("three workers: group healthy %d ms after start%n", cluster.startupTime().toMillis());
    }

    @AfterAll
    static void stopGroup() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Each test starts with the whole group: a worker a test killed comes back. */
    @AfterEach
    void restartKilledWorkers() throws Exception {
        for (KafkaConnectCluster.Worker worker : cluster.workers()) {
            if (!worker.isAlive()) {
                worker.start();
            }
        }
    }

    /**
     * The Infor source at tasks.max=3, spread over the three workers: the worker running task 0 is killed mid-drain
     * and stays down, the group gives its work to the other two, and every order and invoice is in Kafka exactly
     * once (read committed).
     */
    @Test
    void theInforSourceLosesAWorkerMidDrainWithNoOrderMissingOrTwice() throws Exception {
        String name = "infor-source-three-workers";
        String orderTopic = InforUnderTest.PREFIX + "purchase-orders";
        String invoiceTopic = InforUnderTest.PREFIX + "supplier-invoices";
        int orders = "full".equals(System.getProperty("mlconnector.size")) ? 20_000 : 12_000;
        int invoices = 5_000;
        try (InforUnderTest infor = InforUnderTest.start(cluster,
                IonSimulatorConfig.defaults().withVolumes(orders, invoices, 10))) {
            ConnectRest rest = cluster.liveRest();
            Map<String, String> config = infor.exampleConfig("infor-source-m3.json");
            // changes read every second instead of every minute, so that the barriers below arrive at once
            config.put("purchase-orders.poll.interval.ms", "1000");
            config.put("supplier-invoices.poll.interval.ms", "1000");
            rest.putConfig(name, config);
            try {
                JsonNode spread = cluster.awaitRunningOnLiveWorkers(name, 3, Duration.ofSeconds(90));
                infor.awaitEndOffset(orderTopic, orders / 3, Duration.ofMinutes(2));
                KafkaConnectCluster.Worker victim = cluster.workerRunning(name, 0);
                victim.kill();
                long atKill = infor.endOffset(orderTopic);
                JsonNode moved = cluster.awaitRunningOnLiveWorkers(name, 3, Duration.ofSeconds(120));

                cluster.topics().read(orderTopic, orders, Duration.ofSeconds(180));
                cluster.topics().read(invoiceTopic, invoices, Duration.ofSeconds(60));
                // every record there should be, then a change in each division after them: an order or invoice
                // written twice would be on the topic before it
                Map<String, Integer> orderVersions = InforUnderTest.versions(
                        infor.readUpTo(orderTopic, 0, infor.m3Barriers("MPHEAD", "PUNO")));
                Map<String, Integer> invoiceVersions = InforUnderTest.versions(
                        infor.readUpTo(invoiceTopic, 0, infor.m3Barriers("FAPIBH", "INBN")));
                assertEquals(orders, orderVersions.size(), "every order");
                assertEquals(orders, sum(orderVersions), "no order twice");
                assertEquals(invoices, invoiceVersions.size(), "every invoice");
                assertEquals(invoices, sum(invoiceVersions), "no invoice twice");
                assertTrue(workersOf(spread).size() > 1, "the tasks were spread: " + spread);
                assertTrue(!workersOf(moved).contains(victim.id()), "the killed worker's task moved: " + moved);
                System.out.printf("three workers, Infor source: worker %s killed at %d of %d orders; tasks on %s, "
                        + "then on %s; %d orders and %d invoices, each once%n", victim.id(), atKill, orders,
                        workersOf(spread), workersOf(moved), orders, invoices);
            } finally {
                cluster.liveRest().delete(name);
            }
        }
    }

    /**
     * The webhook source behind one address: Asana knows only the load balancer's URL, and the balancer passes each
     * connection to the worker whose listener accepts it. Approvals made before, during and after the loss of the
     * worker running the task all reach Kafka, once each, the later ones through another worker.
     */
    @Test
    void theWebhookSourceFollowsItsTaskBehindOneAddressAndNoApprovalIsLost() throws Exception {
        String name = "asana-webhook-three-workers";
        String topic = "asana.task-events";
        cluster.topics().recreate(1, topic, "asana.webhook-source.checkpoints");
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofMinutes(10));
             TcpLoadBalancer balancer = TcpLoadBalancer.start(listenerPorts)) {
            Map<String, String> config = new HashMap<>(asana.connectorConfig());
            config.put("webhook.target.url", "http://127.0.0.1:" + balancer.port() + "/asana/webhook");
            config.put("listener.port", "${env:" + LISTENER_PORT_VARIABLE + "}");
            ConnectRest rest = cluster.liveRest();
            rest.putConfig(name, config);
            try {
                cluster.awaitRunningOnLiveWorkers(name, 1, Duration.ofSeconds(60));
                Await.until("webhook registered through the balancer", Duration.ofSeconds(30),
                        () -> asana.webhooks().size() == 1);
                // the sealed secret must be in the offsets for another worker's task to take the webhook over
                Await.until("secret stored", Duration.ofSeconds(30),
                        () -> cluster.liveRest().offsets(name).toString().contains("secret_key_id"));
                String webhook = asana.webhooks().get(0).gid();
                List<String> tasks = asana.tasks();

                approve(asana, tasks.subList(0, 5));
                Await.until("the first approvals", Duration.ofSeconds(60), () -> approved(events(topic)).size() >= 5);
                KafkaConnectCluster.Worker first = cluster.workerRunning(name, 0);
                first.kill();
                approve(asana, tasks.subList(5, 10));
                cluster.awaitRunningOnLiveWorkers(name, 1, Duration.ofSeconds(120));
                KafkaConnectCluster.Worker second = cluster.workerRunning(name, 0);
                approve(asana, tasks.subList(10, 15));

                Await.until("all 15 approvals", Duration.ofSeconds(120), () -> approved(events(topic)).size() >= 15);
                // an event delivered twice would be on the topic before the barrier's
                AsanaUnderTest.Barrier barrier = asana.barrier();
                List<JsonNode> events = new ArrayList<>();
                for (JsonNode event : payloads(cluster.topics().readThroughBarriers(topic, 1, r -> barrier.is(payload(r)),
                        Duration.ofSeconds(120)))) {
                    if (barrier.is(event)) {
                        break;
                    }
                    events.add(event);
                }
                assertEquals(new HashSet<>(tasks.subList(0, 15)), approved(events), "every approval, none lost");
                assertEquals(events.size(), events.stream().map(e -> e.get("event_id").asText()).distinct().count(),
                        "no event twice");
                assertNotEquals(first.id(), second.id());
                Map<Integer, Long> routed = balancer.routedPerBackend();
                assertTrue(routed.containsKey(listenerPorts.get(first.index()))
                        && routed.containsKey(listenerPorts.get(second.index())),
                        "deliveries reached both workers through the balancer: " + routed);
                assertEquals(List.of(webhook), asana.webhooks().stream().map(w -> w.gid()).toList(),
                        "the webhook was taken over, not registered again");
                System.out.printf("three workers, webhook source: task on %s, then %s after kill -9; 15 of 15 "
                        + "approvals in Kafka (%d events, %d by catch-up); connections per listener port %s%n",
                        first.id(), second.id(), events.size(),
                        events.stream().filter(e -> !e.get("origin").asText().equals("webhook")).count(), routed);
            } finally {
                cluster.liveRest().delete(name);
            }
        }
    }

    /**
     * The Asana sink at tasks.max=3, spread over the workers, and the webhook source reading each task it creates, on one
     * token with a budget the load exceeds: the sink declares half of it and the source half (it reads each task the sink writes), so that no placement of
     * their tasks can exceed it. Asana answers no 429, and together they spend most of the budget.
     */
    @Test
    void theSinkOnThreeWorkersAndTheWebhookSourceKeepToTheirTokensBudgetAndSpendIt() throws Exception {
        // Asana's minute shortened to 20 s (simulator and connectors alike), so that the run spans windows quickly
        int budget = 90;
        Duration window = Duration.ofSeconds(20);
        int ordersPerPartition = 40;
        String source = "asana-webhook-budget-three-workers";
        String sink = "asana-sink-budget-three-workers";
        String orderTopic = "infor.ACME_TST.purchase-orders";
        cluster.topics().recreate(1, "asana.task-events", "asana.webhook-source.checkpoints", "ml.task-ledger",
                "ml.dlq.asana-sink", "infor.ACME_TST.suppliers");
        cluster.topics().recreate(3, orderTopic);
        try (AsanaUnderTest asana = AsanaUnderTest.start(cluster, Duration.ofMinutes(10), budget, window)) {
            Map<String, String> sourceConfig = new HashMap<>(asana.connectorConfig());
            sourceConfig.put("asana.rate.limit.share.percent", "50");
            sourceConfig.put("asana.rate.limit.window.ms", String.valueOf(window.toMillis()));
            ConnectRest rest = cluster.liveRest();
            rest.putConfig(source, sourceConfig);
            try {
                cluster.awaitRunningOnLiveWorkers(source, 1, Duration.ofSeconds(60));
                Await.until("webhook registered", Duration.ofSeconds(60), () -> asana.webhooks().size() == 1);
                List<Map.Entry<String, String>> orders = ordersEvenlyOverPartitions(3, ordersPerPartition);
                Map<String, String> sinkConfig = new HashMap<>(asana.sinkConfig(cluster));
                sinkConfig.put("tasks.max", "3");
                sinkConfig.put("asana.rate.limit.share.percent", "50");
                sinkConfig.put("asana.rate.limit.window.ms", String.valueOf(window.toMillis()));
                rest.putConfig(sink, sinkConfig);
                try {
                    JsonNode spread = cluster.awaitRunningOnLiveWorkers(sink, 3, Duration.ofSeconds(60));
                    // Orders come once every task holds its partition: a task alone in the group would take them all
                    // into one put() and write them at its own share of the budget; README, "Sizing".
                    cluster.topics().awaitGroupMembers("connect-" + sink, 3, Duration.ofSeconds(60));
                    cluster.topics().produceAll(orderTopic, orders);
                    // the budget run: from the sink's first task to its last, as Asana counts requests
                    Await.until("the first order's task", Duration.ofMinutes(1),
                            () -> asana.sim().taskCount() > AsanaUnderTest.TASKS);
                    long countedBefore = asana.sim().log().counter(AsanaSimulator.BUDGET_COUNTED);
                    Instant start = Instant.now();
                    Await.until("every order's task", Duration.ofMinutes(6),
                            () -> asana.sim().taskCount() >= AsanaUnderTest.TASKS + orders.size());
                    Duration took = Duration.between(start, Instant.now());
                    long counted = asana.sim().log().counter(AsanaSimulator.BUDGET_COUNTED) - countedBefore;
                    double used = counted / (budget * (double) took.toMillis() / window.toMillis());
                    Await.until("the source read every new task", Duration.ofMinutes(3), () -> events("asana.task-events")
                            .stream().filter(e -> e.get("action").asText().equals("added")).count() >= orders.size());
                    Duration sourceLag = Duration.between(start.plus(took), Instant.now());
                    long limited = asana.sim().log().callsWithStatus(429);
                    System.out.printf("three workers, one token at %d per 20 s: sink tasks on %s, source on %s; %d orders "
                            + "in %d s, %d requests counted = %.1f %% of the budget, %d answered 429; the source read "
                            + "the last task %d s after it was made%n", budget, workersOf(spread),
                            cluster.workerRunning(source, 0).id(), orders.size(), took.toSeconds(), counted,
                            used * 100, limited, sourceLag.toSeconds());
                    // Connect balances all connectors' tasks together, so two sink tasks may share a worker
                    assertTrue(workersOf(spread).size() > 1, "the sink's tasks spread: " + spread);
                    assertEquals(0, limited, "the token's budget held across the workers");
                    assertTrue(used >= 0.85, "at least 85 % of the budget used: " + used);
                    assertTrue(took.compareTo(window.multipliedBy(2)) > 0, "the run outlasted two windows (took " + took + ")");
                } finally {
                    cluster.liveRest().delete(sink);
                }
            } finally {
                cluster.liveRest().delete(source);
            }
        }
    }

    /** Orders keyed so that the default partitioner gives each partition the same number. */
    private static List<Map.Entry<String, String>> ordersEvenlyOverPartitions(int partitions, int perPartition) {
        int[] counts = new int[partitions];
        List<Map.Entry<String, String>> orders = new ArrayList<>();
        for (int i = 1; orders.size() < partitions * perPartition; i++) {
            Map.Entry<String, String> order = PurchaseOrderRecords.purchaseOrder(String.format("42%08d", i), "S00001",
                    "Supplier 01 AB", new BigDecimal("100.00").add(BigDecimal.valueOf(i)), "EUR", "20");
            int partition = Utils.toPositive(Utils.murmur2(order.getKey().getBytes(StandardCharsets.UTF_8))) % partitions;
            if (counts[partition] < perPartition) {
                counts[partition]++;
                orders.add(order);
            }
        }
        return orders;
    }

    private static void approve(AsanaUnderTest asana, List<String> tasks) {
        for (String task : tasks) {
            asana.sim().changeTaskAsUser(task, asana.user(), JsonNodeFactory.instance.objectNode().put("completed", true));
        }
    }

    /** The tasks whose completion is among the events. */
    private static Set<String> approved(List<JsonNode> events) {
        Set<String> tasks = new HashSet<>();
        for (JsonNode event : events) {
            if (event.at("/task/completed").asBoolean()) {
                tasks.add(event.get("task_gid").asText());
            }
        }
        return tasks;
    }

    /** The events on the topic now (read committed). */
    private static List<JsonNode> events(String topic) {
        return payloads(cluster.topics().readToEnd(topic, Duration.ofSeconds(30)));
    }

    private static List<JsonNode> payloads(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ThreeWorkersIT::payload).toList();
    }

    private static JsonNode payload(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).get("payload");
        } catch (Exception e) {
            throw new AssertionError("not JSON with a schema envelope: " + record.value(), e);
        }
    }

    private static Set<String> workersOf(JsonNode status) {
        Set<String> ids = new HashSet<>();
        status.path("tasks").forEach(t -> ids.add(t.path("worker_id").asText()));
        return ids;
    }

    private static int sum(Map<String, Integer> versions) {
        return versions.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
