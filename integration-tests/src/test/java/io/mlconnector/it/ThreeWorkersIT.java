package io.mlconnector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mlconnector.it.infor.source.InforUnderTest;
import io.mlconnector.it.webhook.AsanaUnderTest;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
            rest.putConfig(name, infor.exampleConfig("infor-source-m3.json"));
            try {
                JsonNode spread = cluster.awaitRunningOnLiveWorkers(name, 3, Duration.ofSeconds(90));
                infor.awaitEndOffset(orderTopic, orders / 3, Duration.ofMinutes(2));
                KafkaConnectCluster.Worker victim = cluster.workerRunning(name, 0);
                victim.kill();
                long atKill = infor.endOffset(orderTopic);
                JsonNode moved = cluster.awaitRunningOnLiveWorkers(name, 3, Duration.ofSeconds(120));

                cluster.topics().read(orderTopic, orders, Duration.ofSeconds(180));
                cluster.topics().read(invoiceTopic, invoices, Duration.ofSeconds(60));
                // every record there should be, then a look a little longer for any beyond them
                Map<String, Integer> orderVersions = InforUnderTest.versions(
                        cluster.topics().read(orderTopic, orders + 1, Duration.ofSeconds(5)));
                Map<String, Integer> invoiceVersions = InforUnderTest.versions(
                        cluster.topics().read(invoiceTopic, invoices + 1, Duration.ofSeconds(5)));
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
                await("webhook registered through the balancer", Duration.ofSeconds(30),
                        () -> asana.webhooks().size() == 1);
                // the sealed secret must be in the offsets for another worker's task to take the webhook over
                await("secret stored", Duration.ofSeconds(30),
                        () -> cluster.liveRest().offsets(name).toString().contains("secret_key_id"));
                String webhook = asana.webhooks().get(0).gid();
                List<String> tasks = asana.tasks();

                approve(asana, tasks.subList(0, 5));
                await("the first approvals", Duration.ofSeconds(60), () -> approved(topic).size() >= 5);
                KafkaConnectCluster.Worker first = cluster.workerRunning(name, 0);
                first.kill();
                approve(asana, tasks.subList(5, 10));
                cluster.awaitRunningOnLiveWorkers(name, 1, Duration.ofSeconds(120));
                KafkaConnectCluster.Worker second = cluster.workerRunning(name, 0);
                approve(asana, tasks.subList(10, 15));

                await("all 15 approvals", Duration.ofSeconds(120), () -> approved(topic).size() >= 15);
                List<JsonNode> events = events(topic);
                assertEquals(new HashSet<>(tasks.subList(0, 15)), approved(topic), "every approval, none lost");
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

    private static void approve(AsanaUnderTest asana, List<String> tasks) {
        for (String task : tasks) {
            asana.sim().changeTaskAsUser(task, asana.user(), JsonNodeFactory.instance.objectNode().put("completed", true));
        }
    }

    /** The tasks whose completion is in the topic. */
    private static Set<String> approved(String topic) {
        Set<String> tasks = new HashSet<>();
        for (JsonNode event : events(topic)) {
            if (event.at("/task/completed").asBoolean()) {
                tasks.add(event.get("task_gid").asText());
            }
        }
        return tasks;
    }

    private static List<JsonNode> events(String topic) {
        try {
            return readEvents(topic);
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + topic, e);
        }
    }

    private static List<JsonNode> readEvents(String topic) throws Exception {
        long end = cluster.topics().endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : cluster.topics().read(topic, (int) end, Duration.ofSeconds(10))) {
            events.add(JSON.readTree(r.value()).get("payload"));
        }
        return events;
    }

    private static Set<String> workersOf(JsonNode status) {
        Set<String> ids = new HashSet<>();
        status.path("tasks").forEach(t -> ids.add(t.path("worker_id").asText()));
        return ids;
    }

    private static int sum(Map<String, Integer> versions) {
        return versions.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(250);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
