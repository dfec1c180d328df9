package io.mlconnector.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topic administration, producing and reading back, for assertions on what the connectors wrote. */
public final class KafkaTopics implements AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;
    private KafkaProducer<String, String> producer;

    KafkaTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(config);
    }

    public void create(String topic, int partitions) throws ExecutionException, InterruptedException, TimeoutException {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    /** Deletes the topics if they exist and creates them anew, empty. */
    public void recreate(int partitions, String... topics) throws InterruptedException, ExecutionException,
            TimeoutException {
        Set<String> existing = names();
        List<String> doomed = Arrays.stream(topics).filter(existing::contains).toList();
        if (!doomed.isEmpty()) {
            admin.deleteTopics(doomed).all().get(30, TimeUnit.SECONDS);
            // A producer that wrote to the deleted topics keeps their partitions' sequence numbers, which the new
            // topics never saw: the broker refused its batches as out of order until they expired (a CI run).
            forgetProducer();
        }
        for (String topic : topics) {
            // a deleted topic's name stays taken until the broker has removed its partitions
            Await.until("topic " + topic + " created anew", Duration.ofSeconds(60),
                    () -> createdUnlessTaken(topic, partitions));
        }
    }

    /** Creates the topic; false while its name is still taken. */
    private boolean createdUnlessTaken(String topic, int partitions) throws InterruptedException, ExecutionException,
            TimeoutException {
        try {
            create(topic, partitions);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Waits until the consumer group (a sink connector's is {@code connect-<name>}) has committed every
     * partition of the topic up to its end: everything produced so far is processed.
     */
    public void awaitConsumed(String group, String topic, Duration timeout) throws InterruptedException,
            ExecutionException, TimeoutException {
        awaitCommitted(group, topic, endOffsets(topic), timeout);
    }

    /**
     * Waits until the consumer group has committed these offsets (or beyond). For a topic written in transactions,
     * give the offset after each partition's last record: a commit marker follows it, and no consumer commits past
     * a marker that no record follows.
     */
    public void awaitCommitted(String group, String topic, Map<TopicPartition, Long> ends, Duration timeout)
            throws InterruptedException {
        Await.until("group " + group + " to commit " + topic + " up to " + ends, timeout, () -> {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
            return ends.entrySet().stream().allMatch(end -> {
                OffsetAndMetadata offset = committed.get(end.getKey());
                return end.getValue() == 0 || offset != null && offset.offset() >= end.getValue();
            });
        }, () -> "committed " + committed(group));
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) throws InterruptedException,
            ExecutionException, TimeoutException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }

    /** Waits until no consumer is left in the group: every sink task of a deleted connector has stopped. */
    public void awaitGroupEmpty(String group, Duration timeout) throws InterruptedException {
        Await.until("group " + group + " to have no members", timeout,
                () -> describe(group).map(g -> g.members().isEmpty()).orElse(true),
                () -> describe(group).map(g -> g.members().size() + " members").orElse("gone"));
    }

    /**
     * Waits until the consumer group is stable with {@code members} members, each assigned partitions: a sink
     * connector's tasks have then all joined (a late joiner would otherwise rebalance the others mid-run).
     */
    public void awaitGroupMembers(String group, int members, Duration timeout) throws InterruptedException {
        Await.until("group " + group + " to be stable with " + members + " members", timeout,
                () -> describe(group).filter(g -> g.groupState() == GroupState.STABLE && g.members().size() == members
                        && g.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty())).isPresent(),
                () -> describe(group).map(g -> g.groupState() + " with " + g.members().size() + " members")
                        .orElse("not there"));
    }

    /** The group as the broker describes it; empty while it does not exist. */
    private Optional<ConsumerGroupDescription> describe(String group) throws InterruptedException, ExecutionException,
            TimeoutException {
        try {
            return Optional.of(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Records written to the topic so far (the sum of its end offsets); 0 while it does not exist. */
    public long size(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        if (!names().contains(topic)) {
            return 0;
        }
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many of the topic's records the consumer group has committed (a sink connector's is connect-<name>). */
    public long consumed(String group, String topic) throws InterruptedException, ExecutionException,
            TimeoutException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    public Map<TopicPartition, Long> endOffsets(String topic) throws InterruptedException, ExecutionException,
            TimeoutException {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    public Set<String> names() throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    /** Produces one record and waits for the broker's acknowledgement. */
    public void produce(String topic, String key, String value) throws ExecutionException, InterruptedException {
        producer().send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Produces key/value pairs in order and waits until the broker has acknowledged all of them. */
    public void produceAll(String topic, List<Map.Entry<String, String>> records) throws InterruptedException {
        KafkaProducer<String, String> producer = producer();
        List<Future<?>> sent = new ArrayList<>();
        records.forEach(r -> sent.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue()))));
        producer.flush();
        for (Future<?> ack : sent) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("producing to " + topic + " failed", e.getCause());
            }
        }
    }

    /**
     * Reads the topic from the beginning (committed transactions only) until at least {@code count}
     * records arrived or the timeout passed, and returns everything read.
     */
    public List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = committedFromTheStart(topic)) {
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * Reads the topic from the beginning (committed transactions only) until {@code barriers} records that
     * {@code isBarrier} knows have been read, and returns everything read. A test makes barrier changes after the
     * data it checks: whatever was written about that data, a late duplicate included, is on the topic before them.
     */
    public List<ConsumerRecord<String, String>> readThroughBarriers(String topic, int barriers,
            Predicate<ConsumerRecord<String, String>> isBarrier, Duration timeout) throws InterruptedException {
        try (KafkaConsumer<String, String> consumer = committedFromTheStart(topic)) {
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            // what is there already first, at full speed: each look while waiting then reads only what is new
            AtomicInteger seen = new AtomicInteger(readAvailable(consumer, records, isBarrier));
            return Await.value(barriers + " barrier record(s) in " + topic, timeout, () -> {
                seen.addAndGet(readAvailable(consumer, records, isBarrier));
                return seen.get() >= barriers ? Optional.of(records) : Optional.empty();
            }, () -> seen.get() + " barrier(s) among " + records.size() + " records read"
                    + (records.isEmpty() ? "" : ", the last " + abbreviated(records.get(records.size() - 1))));
        }
    }

    /** Polls until a poll brings nothing new; returns how many of the records read are barriers. */
    private static int readAvailable(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records,
            Predicate<ConsumerRecord<String, String>> isBarrier) {
        int barriers = 0;
        ConsumerRecords<String, String> polled;
        do {
            polled = consumer.poll(Duration.ofMillis(100));
            for (ConsumerRecord<String, String> record : polled) {
                records.add(record);
                barriers += isBarrier.test(record) ? 1 : 0;
            }
        } while (!polled.isEmpty());
        return barriers;
    }

    private static String abbreviated(ConsumerRecord<String, String> record) {
        String text = "at " + record.partition() + "/" + record.offset() + ": " + record.key() + " = " + record.value();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    /**
     * Reads the topic from the beginning to its end as it is now (committed transactions only; transaction markers
     * and aborted records are passed over), however many records that is.
     */
    public List<ConsumerRecord<String, String>> readToEnd(String topic, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = committedFromTheStart(topic)) {
            Set<TopicPartition> partitions = consumer.assignment();
            // under read_committed the end is the last stable offset: no open transaction is waited for
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(topic + " was not read to its end " + end + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /** A consumer of every partition of the topic, at its beginning, that sees committed transactions only. */
    private KafkaConsumer<String, String> committedFromTheStart(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private synchronized void forgetProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        admin.close(Duration.ofSeconds(10));
    }
}
