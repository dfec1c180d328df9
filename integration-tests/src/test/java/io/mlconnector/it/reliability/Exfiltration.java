package io.mlconnector.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.demo.Pipeline;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Someone with write access to the Connect REST API copies a connector's secret references and points them at a
 * host of their own, through {@code config/validate} and through a connector config of their own. No connection may
 * reach that host, and each attempt must fail on the setting that names it.
 *
 * <p>The foreign host listens on 127.0.0.1 but is named {@code localhost}: the worker may reach the simulators on
 * 127.0.0.1 (its unsafe test setting), and nothing else.
 */
final class Exfiltration {

    /**
     * @param attempts        validate calls and connector PUTs tried
     * @param notRefused      attempts not refused with an error on the setting naming the foreign host
     * @param connections     connections that reached the foreign host
     */
    record Outcome(long attempts, long notRefused, long connections, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConnectCluster cluster;
    private final PipelineRun run;
    private final List<String> notRefused = new ArrayList<>();
    private long attempts;

    Exfiltration(KafkaConnectCluster cluster, PipelineRun run) {
        this.cluster = cluster;
        this.run = run;
    }

    Outcome attempt() throws Exception {
        try (ForeignHost host = new ForeignHost()) {
            for (String connector : List.of(Pipeline.ASANA_SINK, Pipeline.WEBHOOK_SOURCE)) {
                for (String url : List.of("http://localhost:" + host.port() + "/api/1.0",
                        "https://localhost:" + host.port() + "/api/1.0", "http://app.asana.com/api/1.0")) {
                    tryBoth(connector, "asana.base.url", url);
                }
            }
            // The .ionapi itself, with its secrets, pointed elsewhere: over http to the foreign host.
            ObjectNode ionapi = (ObjectNode) JSON.readTree(run.systems().ion().ionApiJson());
            String foreign = "http://localhost:" + host.port() + "/";
            ObjectNode redirected = ionapi.deepCopy().put("iu", foreign).put("pu", foreign);
            for (String connector : List.of(Pipeline.SOURCE, Pipeline.INFOR_SINK)) {
                tryBoth(connector, "ion.credentials", redirected.toString());
            }
            // A copied reference wrapped so that a repeated key overrides its URL (Jackson keeps the last by default).
            String overridden = ionapi.toString().replaceFirst("\\}$", ",\"iu\":\"" + foreign + "\"}");
            tryBoth(Pipeline.SOURCE, "ion.credentials", overridden);
            long connections = host.connections();
            return new Outcome(attempts, notRefused.size(), connections, ("%d attempts through validate and connector "
                    + "PUTs (Asana base URL: foreign http, foreign https, Asana over http; .ionapi URLs: foreign, "
                    + "overridden by a repeated key); %d connections reached the foreign host%s").formatted(attempts,
                    connections, notRefused.isEmpty() ? "" : "; not refused on their setting: " + notRefused));
        }
    }

    private void tryBoth(String connector, String setting, String value) {
        Map<String, String> config = new LinkedHashMap<>(run.pipeline().config(connector));
        config.put(setting, value);
        String name = run.name(connector) + "-exfiltration";
        config.put("name", name);

        attempts++;
        JsonNode answer = cluster.rest().validate(config.get("connector.class"), config);
        run.recordRestAnswer(answer);
        if (!hasError(answer, setting)) {
            notRefused.add("validate " + connector + " " + setting);
        }

        attempts++;
        try {
            JsonNode created = cluster.rest().putConfig(name, config);
            run.recordRestAnswer(created);
            notRefused.add("PUT " + connector + " " + setting);
            cluster.rest().delete(name);
        } catch (ConnectRest.ConnectRestException refused) {
            // Connect validates a PUT and answers 400 with the errors; the message names the setting.
            if (refused.status() != 400 || !refused.body().contains(setting)) {
                notRefused.add("PUT " + connector + " " + setting + " answered " + refused.status());
            }
        }
    }

    private static boolean hasError(JsonNode answer, String setting) {
        for (JsonNode field : answer.path("configs")) {
            if (setting.equals(field.path("value").path("name").asText())
                    && !field.path("value").path("errors").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A host that counts every connection made to it, TLS or not, and answers none. */
    private static final class ForeignHost implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicLong connections = new AtomicLong();
        private final Thread acceptor;

        ForeignHost() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                        connections.incrementAndGet();
                        socket.setSoTimeout(200);
                        in.readNBytes(1);
                    } catch (IOException closedOrSilent) {
                        // counted already; a closed server ends the loop
                    }
                }
            }, "foreign-host");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        long connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
