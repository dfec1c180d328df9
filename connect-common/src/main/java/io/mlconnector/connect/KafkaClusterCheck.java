package io.mlconnector.connect;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Utils;

/**
 * The live check of a connector's own Kafka setting (the task ledger's, the audit log's): the cluster named must
 * answer. A connector cannot read its worker's {@code bootstrap.servers}, so a copied example or a typo shows here,
 * on that setting, instead of as a task that fails later.
 */
public final class KafkaClusterCheck {

    /** Long enough for a healthy cluster, short enough for {@code config/validate}. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The environment variable the example configs read the Connect cluster's bootstrap servers from. */
    public static final String ENV_VARIABLE = "CONNECT_BOOTSTRAP_SERVERS";

    private KafkaClusterCheck() {
    }

    /**
     * Checks every named setting (a bootstrap list, with its client settings under {@code clientPrefix}) that is
     * set; settings naming the same cluster with the same client settings are asked once.
     *
     * @param settings bootstrap setting name to its client-settings prefix, e.g. {@code ledger.client.}
     */
    public static void check(LiveValidation validation, Map<String, String> connectorConfig,
            Map<String, String> settings, Duration timeout) {
        Map<Map<String, Object>, Optional<String>> asked = new HashMap<>();
        settings.forEach((setting, clientPrefix) -> {
            String value = connectorConfig.get(setting);
            if (value == null || value.isBlank()) {
                return;
            }
            Map<String, Object> client = new HashMap<>();
            connectorConfig.forEach((k, v) -> {
                if (k.startsWith(clientPrefix)) {
                    client.put(k.substring(clientPrefix.length()), v);
                }
            });
            List<String> servers = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", servers));
            asked.computeIfAbsent(client, c -> problem(servers, c, timeout))
                    .ifPresent(p -> validation.error(setting, p + advice(clientPrefix)));
        });
    }

    /** {@link #check(LiveValidation, Map, Map, Duration)} with {@link #TIMEOUT}. */
    public static void check(LiveValidation validation, Map<String, String> connectorConfig, Map<String, String> settings) {
        check(validation, connectorConfig, settings, TIMEOUT);
    }

    /** Why the cluster at {@code servers} cannot be used, or empty when it answered. */
    static Optional<String> problem(List<String> servers, Map<String, Object> client, Duration timeout) {
        String list = String.join(",", servers);
        if (servers.isEmpty()) {
            return Optional.of("names no bootstrap server");
        }
        if (list.contains("${")) {
            // A placeholder reaches the connector only when the worker has no provider for it.
            return Optional.of(list + " was not resolved by the worker: its config.providers do not supply it");
        }
        Optional<String> unreachable = nothingListens(servers, timeout);
        if (unreachable.isPresent()) {
            return unreachable;
        }
        Map<String, Object> settings = new LinkedHashMap<>(client);
        int millis = (int) timeout.toMillis();
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "ml-connector-validate");
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        Admin admin;
        try {
            admin = Admin.create(settings);
        } catch (KafkaException e) {
            // Kafka's message is shown only when it is about the addresses: one about a client setting could quote a secret.
            String why = e.getMessage() != null && e.getMessage().contains(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    ? e.getMessage() : e.getClass().getSimpleName() + " from the client settings";
            return Optional.of("cannot make a Kafka client for " + list + ": " + why);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId()
                    .get(millis + 1000L, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of("no Kafka cluster answered at " + list + " within " + timeout.toSeconds() + " s ("
                    + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")");
        } catch (TimeoutException e) {
            return Optional.of("no Kafka cluster answered at " + list + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while asking Kafka at " + list);
        } finally {
            // Pending calls are dropped: validate must not wait on a cluster that does not answer.
            admin.close(Duration.ZERO);
        }
    }

    /**
     * A plain TCP connect to each address first: when none accepts, that is the answer at once, where the admin client
     * would retry until its timeout. When one does, the admin client decides (protocol, TLS, SASL).
     */
    private static Optional<String> nothingListens(List<String> servers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> failures = new ArrayList<>();
        for (String server : servers) {
            String host = Utils.getHost(server);
            Integer port = Utils.getPort(server);
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (host == null || port == null || left <= 0) {
                return Optional.empty();
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) left);
                return Optional.empty();
            } catch (IOException e) {
                failures.add(server + ": " + (e instanceof UnknownHostException ? "unknown host" : e.getMessage()));
            }
        }
        return Optional.of("no Kafka broker listens at " + String.join(",", servers) + " (" + String.join("; ", failures) + ")");
    }

    private static String advice(String clientPrefix) {
        return ". Use the Connect cluster's own bootstrap servers (the worker's bootstrap.servers): either the list "
                + "itself, e.g. broker-1:9092,broker-2:9092, or ${env:" + ENV_VARIABLE + "} with "
                + ENV_VARIABLE + " set in the worker's environment and the worker's EnvVarConfigProvider declared "
                + "(env among config.providers, config.providers.env.class="
                + "org.apache.kafka.common.config.provider.EnvVarConfigProvider, and an allowlist.pattern, if any, "
                + "that admits " + ENV_VARIABLE + "). Security settings go under " + clientPrefix + "*.";
    }
}
