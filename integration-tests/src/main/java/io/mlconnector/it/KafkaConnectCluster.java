package io.mlconnector.it;

import io.mlconnector.secrets.KeyRing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker and a distributed-mode Connect worker, each a child JVM started from the
 * stock Kafka jars, bound to 127.0.0.1 on free ports. The plugins are unzipped from their component
 * archives into the worker's {@code plugin.path}, exactly as a user installs them. The {@code mlsecret}
 * ConfigProvider, when its jar is given, decrypts with a key file generated for the cluster
 * ({@link #secretKeys()} seals values for it). Logs and data stay under the work directory.
 */
public final class KafkaConnectCluster implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path workDir;
    private final Path kafkaLib;
    private final List<Path> pluginArchives;
    private final Path secretsProviderJar;
    private final Map<String, String> workerOverrides;
    private final Map<String, String> workerEnvironment;
    private final String pluginLogLevel;
    private final int brokerPort;
    private final int controllerPort;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread shutdownHook = new Thread(this::killAll, "kafka-connect-cluster-shutdown");

    private ManagedProcess broker;
    private ManagedProcess worker;
    private int workerStarts;
    private ConnectRest rest;
    private KafkaTopics topics;
    private Duration startupTime;

    private KafkaConnectCluster(Builder builder) {
        this.workDir = builder.workDir.toAbsolutePath();
        this.kafkaLib = builder.kafkaLib;
        this.pluginArchives = List.copyOf(builder.pluginArchives);
        this.secretsProviderJar = builder.secretsProviderJar;
        this.workerOverrides = Map.copyOf(builder.workerOverrides);
        this.workerEnvironment = Map.copyOf(builder.workerEnvironment);
        this.pluginLogLevel = builder.pluginLogLevel;
        this.brokerPort = freePort();
        this.controllerPort = freePort();
        this.restPort = freePort();
    }

    /** A cluster of this project's build: the stock Kafka jars, all four plugin archives and the mlsecret provider. */
    public static Builder forProject(Path workDir) {
        return forProject(workDir, ProjectLayout.locate().kafkaLib());
    }

    /** The same on another Kafka line's classpath, e.g. {@link ProjectLayout#oldestKafkaLib()}. */
    public static Builder forProject(Path workDir, Path kafkaLib) {
        ProjectLayout layout = ProjectLayout.locate();
        return new Builder(workDir, kafkaLib).pluginArchives(layout.pluginArchives())
                .secretsProvider(layout.secretsProviderJar());
    }

    public static Builder builder(Path workDir, Path kafkaLib) {
        return new Builder(workDir, kafkaLib);
    }

    /** Formats storage, starts the broker, then the worker, and returns once the worker's REST API is healthy. */
    public KafkaConnectCluster start() throws IOException, InterruptedException {
        Instant begin = Instant.now();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Files.createDirectories(workDir);
        Path pluginPath = installPlugins();
        if (secretsProviderJar != null) {
            writeSecretKeys();
        }
        writeLogConfig("log4j2.properties");
        writeLogConfig("log4j.properties");
        Path serverProperties = writeProperties("server.properties", brokerProperties(), Map.of());
        writeProperties("connect-distributed.properties", workerProperties(pluginPath), workerOverrides);

        ManagedProcess.runJava("storage-format", kafkaLib, "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString(), "--standalone"),
                workDir.resolve("storage-format.log"), Duration.ofSeconds(60));
        broker = ManagedProcess.startJava("broker", kafkaLib, jvmOptions("512m", "512m"), "kafka.Kafka",
                List.of(serverProperties.toString()), Map.of(), workDir.resolve("broker.log"));
        awaitBroker();
        topics = new KafkaTopics(bootstrapServers());
        rest = new ConnectRest(connectUrl());
        startWorker();
        startupTime = Duration.between(begin, Instant.now());
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public URI connectUrl() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    public ConnectRest rest() {
        return rest;
    }

    public KafkaTopics topics() {
        return topics;
    }

    public Path workDir() {
        return workDir;
    }

    /** The keys the worker's {@code mlsecret} provider decrypts with: seal values for {@code ${mlsecret:...}} with them. */
    public KeyRing secretKeys() {
        if (secretsProviderJar == null) {
            throw new IllegalStateException("this cluster was built without the mlsecret ConfigProvider");
        }
        return KeyRing.fromFile(secretKeyFile());
    }

    private Path secretKeyFile() {
        return workDir.resolve("secret-keys");
    }

    public Path workerLog() {
        return workDir.resolve("worker.log");
    }

    public Path brokerLog() {
        return workDir.resolve("broker.log");
    }

    /** Time from {@link #start()} to a healthy worker. */
    public Duration startupTime() {
        return startupTime;
    }

    public long workerPid() {
        return worker.pid();
    }

    /** Starts the worker (again, after {@link #killWorker()} or {@link #stopWorker()}) and waits until healthy. */
    public void startWorker() throws IOException, InterruptedException {
        if (worker != null && worker.isAlive()) {
            throw new IllegalStateException("the worker is already running");
        }
        workerStarts++;
        worker = ManagedProcess.startJava("worker", kafkaLib, jvmOptions("256m", "768m"),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of(workDir.resolve("connect-distributed.properties").toString()), workerEnvironment,
                workDir.resolve("worker.log"));
        awaitWorker();
    }

    /** {@code kill -9} of the worker: no offset flush, no task stop, no rebalance goodbye. */
    public void killWorker() {
        worker.kill();
    }

    /** A graceful stop (SIGTERM) of the worker. */
    public void stopWorker() {
        worker.stop(STOP_GRACE);
    }

    public int workerStarts() {
        return workerStarts;
    }

    @Override
    public void close() {
        if (topics != null) {
            topics.close();
        }
        if (worker != null) {
            worker.stop(STOP_GRACE);
        }
        if (broker != null) {
            broker.stop(STOP_GRACE);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to undo
        }
    }

    private void killAll() {
        if (worker != null) {
            worker.kill();
        }
        if (broker != null) {
            broker.kill();
        }
    }

    private Path installPlugins() throws IOException {
        Path pluginPath = workDir.resolve("plugins");
        Files.createDirectories(pluginPath);
        for (Path archive : pluginArchives) {
            unzip(archive, pluginPath);
        }
        if (secretsProviderJar != null) {
            // a jar directly in plugin.path is a plugin of its own, as docs/secrets.md tells users to install it
            Files.copy(secretsProviderJar, pluginPath.resolve(secretsProviderJar.getFileName()));
        }
        return pluginPath;
    }

    /** A fresh key, readable by this user only, as docs/secrets.md asks of a worker's key file. */
    private void writeSecretKeys() throws IOException {
        Files.writeString(secretKeyFile(), KeyRing.generateKeyLine("it1") + "\n");
        Files.setPosixFilePermissions(secretKeyFile(), PosixFilePermissions.fromString("rw-------"));
    }

    private static void unzip(Path archive, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry escapes the plugin path: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out);
                }
            }
        }
    }

    private Map<String, String> brokerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", workDir.resolve("kraft").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private Map<String, String> workerProperties(Path pluginPath) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("group.id", "ml-connector-it");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("config.storage.topic", "_connect-configs");
        p.put("offset.storage.topic", "_connect-offsets");
        p.put("status.storage.topic", "_connect-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.flush.interval.ms", "1000");
        p.put("listeners", "http://127.0.0.1:" + restPort);
        p.put("rest.advertised.host.name", "127.0.0.1");
        p.put("rest.advertised.port", String.valueOf(restPort));
        p.put("plugin.path", pluginPath.toString());
        // service_load proves every plugin ships its ServiceLoader manifest
        p.put("plugin.discovery", "service_load");
        p.put("config.providers", secretsProviderJar == null ? "env,file,dir" : "env,file,dir,mlsecret");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        p.put("config.providers.dir.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        if (secretsProviderJar != null) {
            p.put("config.providers.mlsecret.class", "io.mlconnector.secrets.EncryptedConfigProvider");
            p.put("config.providers.mlsecret.param.key.file", secretKeyFile().toString());
        }
        // a rejoining worker (after kill -9) takes its tasks back quickly instead of waiting out the default 5 min
        p.put("scheduled.rebalance.max.delay.ms", "10000");
        return p;
    }

    private Path writeProperties(String name, Map<String, String> base, Map<String, String> overrides)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(overrides);
        StringBuilder text = new StringBuilder();
        all.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path file = workDir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private void writeLogConfig(String name) throws IOException {
        try (InputStream in = KafkaConnectCluster.class.getResourceAsStream(name)) {
            String config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(workDir.resolve(name), config.replace("PLUGIN_LOG_LEVEL", pluginLogLevel));
        }
    }

    /**
     * The garbage collection Kafka's start scripts set (kafka-run-class.sh: G1 aiming at 20 ms pauses), with the
     * initial heap of connect-distributed.sh for the worker and a fixed heap for the broker as kafka-server-start.sh
     * has it; not {@code ExplicitGCInvokesConcurrent}, so that a requested GC is a full one
     * (the benchmarks read the live heap after one). Kafka 4 logs through Log4j 2, earlier lines through Log4j 1;
     * each reads its own property.
     */
    private List<String> jvmOptions(String initialHeap, String maxHeap) {
        List<String> options = new ArrayList<>();
        options.add("-Xms" + initialHeap);
        options.add("-Xmx" + maxHeap);
        options.add("-XX:+UseG1GC");
        options.add("-XX:MaxGCPauseMillis=20");
        options.add("-XX:InitiatingHeapOccupancyPercent=35");
        options.add("-Djava.awt.headless=true");
        options.add("-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties").toUri());
        options.add("-Dlog4j.configuration=" + workDir.resolve("log4j.properties").toUri());
        return options;
    }

    private void awaitBroker() throws InterruptedException {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                ensureAlive(broker);
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // the broker is still starting
                }
                failAfter(deadline, broker);
                Thread.sleep(200);
            }
        }
    }

    private void awaitWorker() throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(connectUrl().resolve("/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (true) {
            ensureAlive(worker);
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the REST server is not listening yet
            }
            failAfter(deadline, worker);
            Thread.sleep(200);
        }
    }

    private static void ensureAlive(ManagedProcess process) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + process.name() + " exited during start-up; see " + process.logFile());
        }
    }

    private static void failAfter(Instant deadline, ManagedProcess process) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("the " + process.name() + " was not ready within " + STARTUP_TIMEOUT
                    + "; see " + process.logFile());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Where the cluster lives and what the worker gets beyond its defaults. */
    public static final class Builder {
        private final Path workDir;
        private final Path kafkaLib;
        private final List<Path> pluginArchives = new ArrayList<>();
        private Path secretsProviderJar;
        private final Map<String, String> workerOverrides = new LinkedHashMap<>();
        private final Map<String, String> workerEnvironment = new LinkedHashMap<>();
        private String pluginLogLevel = "DEBUG";

        private Builder(Path workDir, Path kafkaLib) {
            this.workDir = workDir;
            this.kafkaLib = kafkaLib;
        }

        public Builder pluginArchives(List<Path> archives) {
            pluginArchives.addAll(archives);
            return this;
        }

        /** Installs the {@code mlsecret} ConfigProvider from its jar and generates the cluster's key file. */
        public Builder secretsProvider(Path jar) {
            secretsProviderJar = jar;
            return this;
        }

        /** A worker property, e.g. {@code exactly.once.source.support=enabled}. */
        public Builder workerProperty(String name, String value) {
            workerOverrides.put(name, value);
            return this;
        }

        /** An environment variable of the worker process, readable through {@code ${env:NAME}}. */
        public Builder workerEnvironment(String name, String value) {
            workerEnvironment.put(name, value);
            return this;
        }

        /**
         * Lets the plugins send secrets over plain http to the simulators on 127.0.0.1, through the worker's
         * {@code ML_CONNECTOR_UNSAFE_TEST_HOSTS} (the product's {@code Destinations}): for tests and the simulated
         * demo, never with real systems.
         */
        public Builder reachSimulators() {
            return workerEnvironment("ML_CONNECTOR_UNSAFE_TEST_HOSTS", "127.0.0.1");
        }

        /**
         * How much the plugins log: DEBUG by default, so that tests read their debug lines too (and the secret scans
         * check them); benchmarks log INFO, as a production worker would.
         */
        public Builder pluginLogLevel(String level) {
            pluginLogLevel = level;
            return this;
        }

        public KafkaConnectCluster build() {
            return new KafkaConnectCluster(this);
        }
    }
}
