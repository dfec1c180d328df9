package io.mlconnector.it.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.KafkaTopics;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Live lines a person can follow: a summary line whenever a count moves (POs and invoices read and synced
 * to Asana, payments read, task events received, writebacks audited) and one line per writeback outcome.
 */
final class ProgressBoard implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KafkaConnectCluster cluster;
    private final String purchaseOrders;
    private final String invoices;
    private final String payments;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong writebacks = new AtomicLong();
    private final Thread summary;
    private final Thread auditTail;

    ProgressBoard(KafkaConnectCluster cluster, String tenant) {
        this.cluster = cluster;
        this.purchaseOrders = "infor." + tenant + ".purchase-orders";
        this.invoices = "infor." + tenant + ".supplier-invoices";
        this.payments = "infor." + tenant + ".payments";
        this.summary = new Thread(this::summarize, "demo-progress");
        this.auditTail = new Thread(this::tailAudit, "demo-audit-tail");
        summary.setDaemon(true);
        auditTail.setDaemon(true);
    }

    void start() {
        summary.start();
        auditTail.start();
    }

    /** Writebacks audited so far. */
    long writebacks() {
        return writebacks.get();
    }

    static void say(String line) {
        System.out.println("[" + LocalTime.now().format(CLOCK) + "] " + line);
    }

    private void summarize() {
        KafkaTopics topics = cluster.topics();
        String last = "";
        while (running.get()) {
            try {
                String line = String.format("POs read %d · synced to Asana %d | invoices read %d · synced to AP's "
                        + "project %d · payments read %d | task events %d · writebacks %d",
                        topics.size(purchaseOrders), topics.consumed("connect-" + Pipeline.ASANA_SINK, purchaseOrders),
                        size(topics, invoices), consumed(topics, Pipeline.INVOICE_SINK, invoices), size(topics, payments),
                        topics.size("asana.task-events"), topics.size("ml.audit"));
                if (!line.equals(last)) {
                    say(line);
                    last = line;
                }
                Thread.sleep(2000); // pacing: the board's refresh rate, not a wait for anything
            } catch (InterruptedException e) {
                return;
            } catch (Exception whileStarting) {
                sleepQuietly();
            }
        }
    }

    private void tailAudit() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            while (running.get() && consumer.partitionsFor("ml.audit", Duration.ofSeconds(5)).isEmpty()) {
                sleepQuietly();
            }
            List<TopicPartition> partitions = consumer.partitionsFor("ml.audit").stream()
                    .map(p -> new TopicPartition("ml.audit", p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode audit = JSON.readTree(record.value());
                    writebacks.incrementAndGet();
                    say(String.format("writeback of %s by rule %s: %s (%s)", audit.path("reference").asText(),
                            audit.path("rule").asText(), audit.path("outcome").asText(), audit.path("message").asText()));
                }
            }
        } catch (Exception stopped) {
            if (running.get()) {
                say("audit tail stopped: " + stopped.getMessage());
            }
        }
    }

    /** A topic of a queue that may not run (real systems without AP's project): 0 until it exists. */
    private static long size(KafkaTopics topics, String topic) {
        try {
            return topics.size(topic);
        } catch (Exception notThere) {
            return 0;
        }
    }

    private static long consumed(KafkaTopics topics, String connector, String topic) {
        try {
            return topics.consumed("connect-" + connector, topic);
        } catch (Exception notThere) {
            return 0;
        }
    }

    /**
     * Pacing: a second between looks at topics the demo has not made yet. The board lives as long as the demo and
     * gives up on nothing, so there is no deadline to wait under.
     */
    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        summary.interrupt();
    }
}
