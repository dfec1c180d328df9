package io.mlconnector.connect.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.function.IntUnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The settings of a push endpoint's {@link HttpListener}: where it listens, what it allows a client, and its TLS
 * certificate. Each connector that hosts one defines them under the same names, with its own defaults and the
 * name of who pushes.
 */
public final class ListenerSettings {

    public static final String BIND = "listener.bind.address";
    public static final String PORT = "listener.port";
    public static final String PATH = "listener.path";
    public static final String MAX_BODY = "listener.max.body.bytes";
    public static final String MAX_CONNECTIONS = "listener.max.connections";
    public static final String IDLE_TIMEOUT = "listener.idle.timeout.ms";
    public static final String HEADER_TIMEOUT = "listener.header.timeout.ms";
    public static final String REQUEST_TIMEOUT = "listener.request.timeout.ms";
    public static final String MAX_CONCURRENT_DELIVERIES = "listener.max.concurrent.deliveries";
    public static final String MAX_QUEUED_DELIVERIES = "listener.max.queued.deliveries";
    public static final String KEYSTORE_PATH = "listener.tls.keystore.path";
    public static final String KEYSTORE_PASSWORD = "listener.tls.keystore.password";
    public static final String KEYSTORE_TYPE = "listener.tls.keystore.type";

    /**
     * What differs between endpoints.
     *
     * @param sender       who pushes, e.g. {@code Asana} or {@code ION}
     * @param senderWait   how long the sender waits for an answer, in words, or empty when unknown
     * @param deliveryWork what processing a delivery involves, e.g. {@code reads its tasks from Asana}
     * @param concurrentDeliveries the default of deliveries processed at once: few where each calls out, more
     *                     where each only waits for Kafka (they then share a transaction)
     * @param setupPage    the docs page on reaching the endpoint
     */
    public record Endpoint(String sender, int port, String path, String pathDoc, int maxBodyBytes,
                           long requestTimeoutMs, String senderWait, String deliveryWork, int concurrentDeliveries,
                           String setupPage) {
    }

    private ListenerSettings() {
    }

    /**
     * Adds the listener settings to {@code def} in {@code group}, numbered from {@code order} on; {@code between}
     * is called after the body limit, so that a connector can put a setting of its own there.
     *
     * @return the last order number used in the group
     */
    public static int define(ConfigDef def, String group, int order, Endpoint endpoint,
                             IntUnaryOperator between) {
        String sender = endpoint.sender();
        def.define(BIND, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Address the endpoint binds to: the interface the load balancer reaches, e.g. a "
                                + "private address. 0.0.0.0 also listens on every other interface of the worker; see "
                                + endpoint.setupPage() + ".", group, ++order, Width.MEDIUM, "Bind address")
                .define(PORT, Type.INT, endpoint.port(), ConfigDef.Range.between(1, 65535), Importance.HIGH,
                        "Port on which the task listens for " + sender + "'s requests.",
                        group, ++order, Width.SHORT, "Listener port")
                .define(PATH, Type.STRING, endpoint.path(), new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        endpoint.pathDoc(), group, ++order, Width.MEDIUM, "Listener path")
                .define(MAX_BODY, Type.INT, endpoint.maxBodyBytes(), ConfigDef.Range.between(1024, 64 * 1_048_576),
                        Importance.LOW, "Largest POST body accepted; larger ones get 413 unread.",
                        group, ++order, Width.SHORT, "Body size limit");
        order = between.applyAsInt(order);
        def.define(MAX_CONNECTIONS, Type.INT, 256, ConfigDef.Range.between(1, 10_000), Importance.LOW,
                        "Connections the endpoint keeps open at once, each on its own thread; one more is answered 503 "
                                + "and closed. Bounds what a flood of idle or slow clients can hold.",
                        group, ++order, Width.SHORT, "Connection limit")
                .define(IDLE_TIMEOUT, Type.LONG, 30_000L, ConfigDef.Range.between(1000, 600_000), Importance.LOW,
                        "How long an open connection may wait for its next request before it is closed.",
                        group, ++order, Width.SHORT, "Idle timeout")
                .define(HEADER_TIMEOUT, Type.LONG, 5000L, ConfigDef.Range.between(100, 60_000), Importance.LOW,
                        "Deadline for a request's line and headers, from its first byte; a client that trickles them "
                                + "is answered 408 and closed.",
                        group, ++order, Width.SHORT, "Header timeout")
                .define(REQUEST_TIMEOUT, Type.LONG, endpoint.requestTimeoutMs(), ConfigDef.Range.between(1000, 60_000),
                        Importance.LOW, "Deadline for a whole request, from its first byte to the answer: the body "
                                + "must arrive and the delivery be processed within it, else 408 or 503 (" + sender
                                + " retries)." + (endpoint.senderWait().isEmpty() ? "" : " " + endpoint.senderWait()),
                        group, ++order, Width.SHORT, "Request timeout")
                .define(MAX_CONCURRENT_DELIVERIES, Type.INT, endpoint.concurrentDeliveries(),
                        ConfigDef.Range.between(1, 256), Importance.LOW,
                        "Verified deliveries processed at once (each " + endpoint.deliveryWork() + ").",
                        group, ++order, Width.SHORT, "Concurrent deliveries")
                .define(MAX_QUEUED_DELIVERIES, Type.INT, 64, ConfigDef.Range.between(1, 10_000), Importance.LOW,
                        "Verified deliveries that may wait for a free slot; one more is answered 503 at once, and "
                                + sender + " retries it.",
                        group, ++order, Width.SHORT, "Queued deliveries")
                .define(KEYSTORE_PATH, Type.STRING, "", Importance.MEDIUM,
                        "Keystore with the endpoint's TLS certificate; empty serves plain HTTP, for a load balancer "
                                + "that terminates TLS.",
                        group, ++order, Width.LONG, "TLS keystore")
                .define(KEYSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM,
                        "Password of the TLS keystore and its key.",
                        group, ++order, Width.MEDIUM, "TLS keystore password")
                .define(KEYSTORE_TYPE, Type.STRING, "PKCS12", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Type of the TLS keystore.", group, ++order, Width.SHORT, "TLS keystore type");
        return order;
    }

    public static InetSocketAddress address(AbstractConfig config) {
        return new InetSocketAddress(config.getString(BIND), config.getInt(PORT));
    }

    /** What the endpoint allows a client. */
    public static ListenerLimits limits(AbstractConfig config) {
        return new ListenerLimits(config.getInt(MAX_CONNECTIONS), Duration.ofMillis(config.getLong(IDLE_TIMEOUT)),
                Duration.ofMillis(config.getLong(HEADER_TIMEOUT)), Duration.ofMillis(config.getLong(REQUEST_TIMEOUT)),
                config.getInt(MAX_BODY), config.getInt(MAX_CONCURRENT_DELIVERIES), config.getInt(MAX_QUEUED_DELIVERIES));
    }

    /** The endpoint's TLS context, or null for plain HTTP. */
    public static SSLContext tls(AbstractConfig config) {
        String path = config.getString(KEYSTORE_PATH);
        if (path.isBlank()) {
            return null;
        }
        char[] password = config.getPassword(KEYSTORE_PASSWORD).value().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(config.getString(KEYSTORE_TYPE));
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConnectException("cannot load the TLS keystore " + path + ": " + e.getMessage(), e);
        }
    }
}
