package io.mlconnector.it.reliability;

import io.mlconnector.it.KafkaConnectCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks for secret values where they must never be: every log file of the broker and the worker
 * (connector logs go to the worker's), the REST answers a run collected, and every record of every
 * topic, keys, values and headers, the Connect config, offset and status topics included.
 */
final class SecretScan {

    private final KafkaConnectCluster cluster;
    private final List<String> findings = new ArrayList<>();

    SecretScan(KafkaConnectCluster cluster) {
        this.cluster = cluster;
    }

    /** Returns how many places hold one of the secrets; each is kept as a finding. */
    long scan(List<String> secrets, List<String> restAnswers) throws Exception {
        List<String> values = secrets.stream().filter(s -> s != null && s.length() >= 8).distinct().toList();
        long found = 0;
        for (Path log : logFiles()) {
            try {
                found += count("log " + cluster.workDir().relativize(log), read(log), values);
            } catch (java.nio.file.NoSuchFileException deleted) {
                // a segment of a topic the broker is deleting: its records were read through Kafka or are gone
            }
        }
        for (String answer : restAnswers) {
            found += count("REST answer", answer, values);
        }
        for (String topic : cluster.topics().names()) {
            found += scanTopic(topic, values);
        }
        return found;
    }

    /** Every .log file under the cluster's directory; directories the broker deletes meanwhile are skipped. */
    private List<Path> logFiles() throws IOException {
        List<Path> logs = new java.util.ArrayList<>();
        Files.walkFileTree(cluster.workDir(), new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (file.getFileName().toString().endsWith(".log")) {
                    logs.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return logs;
    }

    List<String> findings() {
        return findings;
    }

    private long scanTopic(String topic, List<String> values) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long found = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder text = new StringBuilder().append(utf8(record.key())).append('\n').append(utf8(record.value()));
                    for (Header header : record.headers()) {
                        text.append('\n').append(header.key()).append('=').append(utf8(header.value()));
                    }
                    found += count("record " + topic + "-" + record.partition() + "@" + record.offset(), text.toString(),
                            values);
                }
            }
        }
        return found;
    }

    private long count(String where, String text, List<String> values) {
        long found = 0;
        for (int i = 0; i < values.size(); i++) {
            if (text.contains(values.get(i))) {
                // name the place and which secret (by position), never the secret itself
                findings.add(where + " holds secret #" + i);
                found++;
            }
        }
        return found;
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
