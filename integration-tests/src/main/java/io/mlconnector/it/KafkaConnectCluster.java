package io.mlconnector.it;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.StreamSupport;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker and one or more distributed-mode Connect workers in one group, each a child JVM
 * started from the stock Kafka jars, bound to 127.0.0.1 on free ports. Any worker can be killed and started
 * again on its own; the single-worker methods ({@link #rest()}, {@link #killWorker()}, ...) mean worker 0.
 * The plugins are unzipped from their component archives into the workers' {@code plugin.path}, exactly as a
 * user installs them. The {@code mlsecret}
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
    private final Map<Integer, Map<String, String>> environmentPerWorker;
    private final String pluginLogLevel;
    private final int brokerPort;
    private final int controllerPort;
    private final List<Worker> workers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread shutdownHook = new Thread(this::killAll, "kafka-connect-cluster-shutdown");

    private ManagedProcess broker;
    private KafkaTopics topics;
    private Duration startupTime;

    private KafkaConnectCluster(Builder builder) {
        this.workDir = builder.workDir.toAbsolutePath();
        this.kafkaLib = builder.kafkaLib;
        this.pluginArchives = List.copyOf(builder.pluginArchives);
        this.secretsProviderJar = builder.secretsProviderJar;
        this.workerOverrides = Map.copyOf(builder.workerOverrides);
        this.workerEnvironment = Map.copyOf(builder.workerEnvironment);
        this.environmentPerWorker = Map.copyOf(builder.environmentPerWorker);
        this.pluginLogLevel = builder.pluginLogLevel;
        this.brokerPort = freePort();
        this.controllerPort = freePort();
        for (int i = 0; i < builder.workers; i++) {
            workers.add(new Worker(i, freePort()));
        }
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

    /** Formats storage, starts the broker, then the workers, and returns once every worker's REST API is healthy. */
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
        for (Worker w : workers) {
            writeProperties(w.propertiesFile().getFileName().toString(), workerProperties(pluginPath, w.restPort),
                    workerOverrides);
        }

        ManagedProcess.runJava("storage-format", kafkaLib, "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString(), "--standalone"),
                workDir.resolve("storage-format.log"), Duration.ofSeconds(60));
        broker = ManagedProcess.startJava("broker", kafkaLib, jvmOptions("512m", "512m"), "kafka.Kafka",
                List.of(serverProperties.toString()), Map.of(), workDir.resolve("broker.log"));
        awaitBroker();
        topics = new KafkaTopics(bootstrapServers());
        // together, as a group forms in production: the first to finish joining does not wait for the others
        for (Worker w : workers) {
            w.launch();
        }
        for (Worker w : workers) {
            w.awaitHealthy();
        }
        startupTime = Duration.between(begin, Instant.now());
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Worker 0's REST API. */
    public URI connectUrl() {
        return worker(0).url();
    }

    /** Worker 0's REST API; with several workers, {@link #liveRest()} reaches one that runs. */
    public ConnectRest rest() {
        return worker(0).rest();
    }

    /** The REST API of the first worker that is running: any worker forwards writes to the group's leader. */
    public ConnectRest liveRest() {
        return workers.stream().filter(Worker::isAlive).findFirst()
                .orElseThrow(() -> new IllegalStateException("no worker is running")).rest();
    }

    public List<Worker> workers() {
        return List.copyOf(workers);
    }

    public Worker worker(int index) {
        return workers.get(index);
    }

    /** The worker whose id ({@code 127.0.0.1:port}, as the status API names it) is given. */
    public Worker workerWithId(String workerId) {
        return workers.stream().filter(w -> w.id().equals(workerId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no worker of this cluster is " + workerId));
    }

    public KafkaTopics topics() {
        return topics;
    }

    public Path workDir() {
        return workDir;
    }

    /** The worker the status API names as running the connector's task. */
    public Worker workerRunning(String connector, int task) {
        for (JsonNode t : liveRest().status(connector).path("tasks")) {
            if (t.path("id").asInt() == task) {
                return workerWithId(t.path("worker_id").asText());
            }
        }
        throw new IllegalStateException("connector " + connector + " has no task " + task);
    }

    /**
     * Waits until the connector and its tasks run, each on a worker that is alive: after a kill -9, the status topic
     * still names the dead worker until the group has moved its work (scheduled.rebalance.max.delay.ms).
     */
    public JsonNode awaitRunningOnLiveWorkers(String connector, int tasks, Duration timeout)
            throws InterruptedException {
        return liveRest().awaitStatus(connector, timeout, "running with " + tasks + " task(s) on live workers",
                status -> status.path("tasks").size() == tasks && runsOnLiveWorker(status.path("connector"))
                        && StreamSupport.stream(status.path("tasks").spliterator(), false)
                                .allMatch(this::runsOnLiveWorker));
    }

    private boolean runsOnLiveWorker(JsonNode state) {
        return "RUNNING".equals(state.path("state").asText()) && workers.stream()
                .anyMatch(w -> w.isAlive() && w.id().equals(state.path("worker_id").asText()));
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

    /** Worker 0's log. */
    public Path workerLog() {
        return worker(0).log();
    }

    public Path brokerLog() {
        return workDir.resolve("broker.log");
    }

    /** Time from {@link #start()} to a healthy worker. */
    public Duration startupTime() {
        return startupTime;
    }

    public long workerPid() {
        return worker(0).pid();
    }

    /** Starts worker 0 (again, after {@link #killWorker()} or {@link #stopWorker()}) and waits until healthy. */
    public void startWorker() throws IOException, InterruptedException {
        worker(0).start();
    }

    /** {@code kill -9} of worker 0: no offset flush, no task stop, no rebalance goodbye. */
    public void killWorker() {
        worker(0).kill();
    }

    /** A graceful stop (SIGTERM) of worker 0. */
    public void stopWorker() {
        worker(0).stop();
    }

    public int workerStarts() {
        return worker(0).starts();
    }

    @Override
    public void close() {
        if (topics != null) {
            topics.close();
        }
        for (Worker w : workers) {
            w.stop();
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
        for (Worker w : workers) {
            w.kill();
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

    private Map<String, String> workerProperties(Path pluginPath, int restPort) {
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
        try (Admin admin = Admin.create(config)) {
            Await.until("the " + broker.name() + " to be ready (see " + broker.logFile() + ")", STARTUP_TIMEOUT, () -> {
                ensureAlive(broker);
                try {
                    return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false; // the broker is still starting
                }
            });
        }
    }

    private static void ensureAlive(ManagedProcess process) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + process.name() + " exited during start-up; see " + process.logFile());
        }
    }

    /** A port free on 127.0.0.1 now, for a listener a test or the demo starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** One worker of the group: its own REST port, properties file and log; killed and started on its own. */
    public final class Worker {
        private final int index;
        private final int restPort;
        private final ConnectRest rest;
        private ManagedProcess process;
        private int starts;

        private Worker(int index, int restPort) {
            this.index = index;
            this.restPort = restPort;
            this.rest = new ConnectRest(url());
        }

        public int index() {
            return index;
        }

        /** The id Connect's status API gives this worker. */
        public String id() {
            return "127.0.0.1:" + restPort;
        }

        public URI url() {
            return URI.create("http://127.0.0.1:" + restPort);
        }

        public ConnectRest rest() {
            return rest;
        }

        /** Worker 0 keeps the single-worker names ({@code worker.log}), the others are numbered. */
        public Path log() {
            return workDir.resolve(index == 0 ? "worker.log" : "worker-" + index + ".log");
        }

        Path propertiesFile() {
            return workDir.resolve(index == 0 ? "connect-distributed.properties"
                    : "connect-distributed-" + index + ".properties");
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process != null && process.isAlive();
        }

        public int starts() {
            return starts;
        }

        /** Starts the worker (again, after {@link #kill()} or {@link #stop()}) and waits until it is healthy. */
        public void start() throws IOException, InterruptedException {
            launch();
            awaitHealthy();
        }

        /** {@code kill -9}: no offset flush, no task stop, no rebalance goodbye. */
        public void kill() {
            if (process != null) {
                process.kill();
            }
        }

        /** A graceful stop (SIGTERM). */
        public void stop() {
            if (process != null) {
                process.stop(STOP_GRACE);
            }
        }

        private void launch() throws IOException {
            if (isAlive()) {
                throw new IllegalStateException("worker " + index + " is already running");
            }
            starts++;
            process = ManagedProcess.startJava(index == 0 ? "worker" : "worker-" + index, kafkaLib,
                    jvmOptions("256m", "768m"), "org.apache.kafka.connect.cli.ConnectDistributed",
                    List.of(propertiesFile().toString()), environment(), log());
        }

        private Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>(workerEnvironment);
            environment.putAll(environmentPerWorker.getOrDefault(index, Map.of()));
            return environment;
        }

        private void awaitHealthy() throws InterruptedException {
            HttpRequest health = HttpRequest.newBuilder(url().resolve("/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            Await.until("the " + process.name() + " to be healthy (see " + process.logFile() + ")", STARTUP_TIMEOUT, () -> {
                ensureAlive(process);
                try {
                    return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false; // the REST server is not listening yet
                }
            });
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
        private final Map<Integer, Map<String, String>> environmentPerWorker = new LinkedHashMap<>();
        private String pluginLogLevel = "DEBUG";
        private int workers = 1;

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

        /** How many workers form the Connect group (1 unless told). */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least one worker");
            }
            workers = count;
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
         * An environment variable of one worker only: with {@code ${env:NAME}} in a connector's config, each worker
         * resolves its own value for the tasks it runs, as hosts that differ would.
         */
        public Builder workerEnvironment(int worker, String name, String value) {
            environmentPerWorker.computeIfAbsent(worker, w -> new LinkedHashMap<>()).put(name, value);
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
