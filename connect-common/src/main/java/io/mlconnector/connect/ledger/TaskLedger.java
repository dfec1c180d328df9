package io.mlconnector.connect.ledger;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task ledger: a compacted Kafka topic, written by the Asana sink, that maps each task it made to
 * its CloudSuite record. The Asana sink reads it as its index; the Infor sink reads it to know which
 * record an Asana event may touch. Both name it with the same settings, defined here.
 */
public final class TaskLedger {

    public static final String TOPIC = "ledger.topic";
    public static final String BOOTSTRAP = "ledger.bootstrap.servers";
    public static final String CLIENT_PREFIX = "ledger.client.";
    public static final String REPLICATION = "ledger.topic.replication.factor";
    public static final String GROUP = "Task ledger";

    private static final Logger log = LoggerFactory.getLogger(TaskLedger.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private TaskLedger() {
    }

    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
                .define(TOPIC, Type.STRING, "ml.task-ledger", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Compacted topic mapping each Asana task the sink made to its CloudSuite record. The Asana "
                                + "sink writes it (and creates it if missing); the Infor sink writes back only for "
                                + "tasks found in it. Both connectors must name the same topic.",
                        GROUP, ++order, Width.MEDIUM, "Ledger topic")
                .define(BOOTSTRAP, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonNullValidator(),
                        Importance.HIGH, "Kafka bootstrap servers of the ledger topic, usually the Connect cluster's "
                                + "own: a connector cannot read its worker's bootstrap.servers, so give the list, or "
                                + "${env:CONNECT_BOOTSTRAP_SERVERS} through the worker's EnvVarConfigProvider. Validate "
                                + "checks that the cluster answers. Client settings such as security go under "
                                + CLIENT_PREFIX + "* (e.g. "
                                + CLIENT_PREFIX + "security.protocol).",
                        GROUP, ++order, Width.LONG, "Ledger bootstrap servers")
                .define(REPLICATION, Type.SHORT, (short) -1, Importance.LOW,
                        "Replication factor when the sink creates the ledger topic; -1 uses the broker's default.",
                        GROUP, ++order, Width.SHORT, "Ledger replication factor");
    }

    /** Where the ledger lives and how to reach it, read from a connector's config. */
    public record Settings(String topic, Map<String, Object> client, short replication) {

        public static Settings from(AbstractConfig config) {
            Map<String, Object> client = new HashMap<>(config.originalsWithPrefix(CLIENT_PREFIX));
            client.put("bootstrap.servers", String.join(",", config.getList(BOOTSTRAP)));
            return new Settings(config.getString(TOPIC), client, config.getShort(REPLICATION));
        }
    }

    /** Creates the topic, compacted, when it does not exist yet. */
    public static void ensureTopic(Settings settings) {
        try (Admin admin = Admin.create(settings.client())) {
            NewTopic topic = new NewTopic(settings.topic(), Optional.of(1),
                    settings.replication() < 0 ? Optional.empty() : Optional.of(settings.replication()))
                    .configs(Map.of("cleanup.policy", "compact"));
            admin.createTopics(List.of(topic)).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created the task ledger topic {} (compacted)", settings.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new RetriableException("cannot create the task ledger topic " + settings.topic(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new RetriableException("the task ledger topic " + settings.topic() + " was not created within "
                    + CALL_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while creating the task ledger topic", e);
        }
    }

    /** Where entries are written. */
    public interface Appender {
        void append(LedgerEntry entry);

        /** Removes an entry (a tombstone): its create was refused, so no task stands for it. */
        void remove(LedgerEntry entry);

        /** Blocks until every entry appended so far is safe; a failure is retriable. */
        void awaitAppended();
    }

    /** Where entries are read. */
    public interface Source {
        /**
         * Hands every entry written since the last call (the whole ledger the first time) to {@code each}
         * with its ledger key; a removed entry comes as null.
         */
        void catchUp(BiConsumer<String, LedgerEntry> each);

        /** The next {@link #catchUp} starts again from the ledger's beginning. */
        void rewind();
    }

    /** A writer's view of the ledger: it appends, and reads on from where it last read, or from the start again. */
    public interface Connection extends Appender, Source, AutoCloseable {
        @Override
        void close();
    }

    /** Creates the topic if missing and opens a writer; the reader opens at the first {@code catchUp}. */
    public static Connection connect(Settings settings, String clientId) {
        ensureTopic(settings);
        Writer writer = new Writer(settings, clientId);
        return new Connection() {
            private Reader reader;

            @Override
            public void append(LedgerEntry entry) {
                writer.append(entry);
            }

            @Override
            public void remove(LedgerEntry entry) {
                writer.remove(entry);
            }

            @Override
            public void awaitAppended() {
                writer.awaitAppended();
            }

            @Override
            public void catchUp(BiConsumer<String, LedgerEntry> each) {
                if (reader == null) {
                    reader = new Reader(settings, clientId + "-reader");
                }
                reader.catchUp(each);
            }

            @Override
            public void rewind() {
                if (reader != null) {
                    reader.rewind();
                }
            }

            @Override
            public void close() {
                writer.close();
                if (reader != null) {
                    reader.close();
                }
            }
        };
    }

    /** Appends entries with an idempotent producer; {@link #awaitAppended} tells when they are safe. */
    public static final class Writer implements Appender, AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final List<Future<RecordMetadata>> pending = new ArrayList<>();

        public Writer(Settings settings, String clientId) {
            Map<String, Object> client = new HashMap<>(settings.client());
            client.putIfAbsent("acks", "all");
            client.putIfAbsent("enable.idempotence", "true");
            client.put("client.id", clientId);
            this.producer = new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer());
            this.topic = settings.topic();
        }

        @Override
        public synchronized void append(LedgerEntry entry) {
            pending.add(producer.send(new ProducerRecord<>(topic, entry.ledgerKey().getBytes(UTF_8),
                    entry.toJson())));
        }

        @Override
        public synchronized void remove(LedgerEntry entry) {
            pending.add(producer.send(new ProducerRecord<>(topic, entry.ledgerKey().getBytes(UTF_8),
                    null)));
        }

        @Override
        public void awaitAppended() {
            List<Future<RecordMetadata>> acks;
            synchronized (this) {
                acks = new ArrayList<>(pending);
                pending.clear();
            }
            producer.flush();
            try {
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
            } catch (ExecutionException e) {
                throw new RetriableException("the task ledger " + topic + " did not take an entry", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableException("interrupted while writing the task ledger", e);
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Reads the whole topic, then whatever was added since, on demand. Not thread-safe. */
    public static final class Reader implements Source, AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String topic;

        public Reader(Settings settings, String clientId) {
            Map<String, Object> client = new HashMap<>(settings.client());
            client.put("client.id", clientId);
            client.put("enable.auto.commit", "false");
            client.put("auto.offset.reset", "earliest");
            client.remove("group.id");
            this.consumer = new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.topic = settings.topic();
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, CALL_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                consumer.close();
                throw new RetriableException("the task ledger topic " + topic + " does not exist (yet); the Asana "
                        + "sink creates it when it starts");
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
        }

        /** Reads up to the end the topic had when called; entries that do not parse are skipped with a WARN. */
        @Override
        public void catchUp(BiConsumer<String, LedgerEntry> each) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), CALL_TIMEOUT);
            Instant deadline = Instant.now().plus(CALL_TIMEOUT);
            while (!reached(end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new RetriableException("the task ledger " + topic + " was not read to its end within "
                            + CALL_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() == null) {
                        continue;
                    }
                    String key = new String(record.key(), UTF_8);
                    try {
                        each.accept(key, record.value() == null ? null : LedgerEntry.fromJson(record.value()));
                    } catch (IllegalArgumentException e) {
                        log.warn("Skipped the entry at {}-{}@{} of the task ledger: {}", record.topic(),
                                record.partition(), record.offset(), e.getMessage());
                    }
                }
            }
        }

        @Override
        public void rewind() {
            consumer.seekToBeginning(consumer.assignment());
        }

        private boolean reached(Map<TopicPartition, Long> end) {
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), CALL_TIMEOUT) >= e.getValue());
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(10));
        }
    }
}
