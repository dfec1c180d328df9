package io.mlconnector.infor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.infor.IonApiCredentials;
import io.mlconnector.infor.IonClient;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An ION simulator for one test class, a client of it that holds the service account's token (so the code under
 * test does not log in anew each time), and its control API (/_sim/...): rows put in place and read back behind
 * ION's back.
 */
final class SimControl implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final IonSimulator sim;
    final IonClient ion;
    private final String base;

    private SimControl(IonSimulator sim) {
        this.sim = sim;
        this.ion = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson())).build();
        this.base = sim.baseUrl() + "/_sim/";
    }

    /** A simulator with these volumes, and a client that already holds a token. */
    static SimControl start(int orders, int invoices, int suppliers) throws java.io.IOException {
        SimControl control = new SimControl(IonSimulator.start(IonSimulatorConfig.defaults()
                .withVolumes(orders, invoices, suppliers)));
        control.ion.tokens().accessToken();
        return control;
    }

    @Override
    public void close() {
        ion.close();
        sim.close();
    }

    /** Adds an M3 row, e.g. {@code m3Insert("MPHEAD", ...)}; MPHEAD gets a fresh PUNO. The stored row. */
    Map<String, String> m3Insert(String table, Map<String, String> row) {
        return send("POST", "m3/" + table, row, 201, new TypeReference<>() { });
    }

    /** The M3 rows whose fields equal those given. */
    List<Map<String, String>> m3Rows(String table, Map<String, String> match) {
        String query = match.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send("GET", "m3/" + table + "?" + query, null, 200, new TypeReference<>() { });
    }

    /** Adds an IDO row in one Mongoose configuration (site). */
    Map<String, String> idoInsert(String site, String ido, Map<String, String> row) {
        return send("POST", "ido/" + site + "/" + ido, row, 201, new TypeReference<>() { });
    }

    /** The IDO rows of one site whose property equals the value. */
    List<Map<String, String>> idoRows(String site, String ido, String property, String value) {
        List<Map<String, String>> rows = send("GET", "ido/" + site + "/" + ido, null, 200, new TypeReference<>() { });
        return rows.stream().filter(r -> value.equals(r.get(property))).toList();
    }

    private <T> T send(String method, String path, Object body, int expectedStatus, TypeReference<T> type) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expectedStatus, response.statusCode(), method + " " + path + ": " + response.body());
            return JSON.readValue(response.body(), type);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
