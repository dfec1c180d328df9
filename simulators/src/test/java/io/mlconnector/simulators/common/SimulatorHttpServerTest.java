package io.mlconnector.simulators.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatorHttpServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private SimulatorHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = SimulatorHttpServer.start(0, 7);
        server.route("GET", "/things/([^/;]+)(;.*)?", "things.{1}",
                req -> SimResponse.json(200, Map.of("id", req.group(1), "q", req.query())));
        server.route("POST", "/things", "things.create", req -> SimResponse.json(201, req.json()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesDecodePathGroupsAndQueryAndNameTheRouteFromGroups() throws Exception {
        HttpResponse<String> r = get("/things/a%23b;x=1?name=A+B&v=%26");
        assertEquals(200, r.statusCode());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("a#b", body.get("id").asText());
        assertEquals("A B", body.get("q").get("name").asText());
        assertEquals("&", body.get("q").get("v").asText());
        assertEquals(1, server.log().calls("things.a#b"));
        assertEquals(404, get("/nothing").statusCode());
        assertEquals(405, send("DELETE", "/things", null).statusCode());
    }

    @Test
    void theLogNamesTheConnectionEachRequestCameOn() throws Exception {
        HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient mine = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (HttpClient client : java.util.List.of(mine, other, mine)) {
            client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/things/x")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        java.util.List<RequestLog.Entry> entries = server.log().entries("things.*", 10);
        assertEquals(3, entries.size());
        entries.forEach(e -> assertTrue(e.client().matches("127\\.0\\.0\\.1:\\d+"), e.client()));
        assertEquals(entries.get(0).client(), entries.get(2).client(), "a kept-alive connection keeps its port");
        assertTrue(!entries.get(0).client().equals(entries.get(1).client()), "another client, another connection");
    }

    @Test
    void statusBurstFiresCountTimesWithRetryAfterThenStops() throws Exception {
        send("POST", "/_sim/faults", "{\"route\":\"things.*\",\"kind\":\"status\",\"statuses\":[429],"
                + "\"retryAfterSeconds\":2,\"count\":2}");
        HttpResponse<String> first = get("/things/x");
        assertEquals(429, first.statusCode());
        assertEquals("2", first.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(429, get("/things/x").statusCode());
        assertEquals(200, get("/things/x").statusCode());
        assertEquals(2, server.log().calls("things.x", 429));
        assertEquals(1, server.log().calls("things.x", 200));
        assertEquals(201, send("POST", "/things", "{}").statusCode(), "other routes are untouched");
    }

    @Test
    void percentRuleFailsRoughlyThatShareOfCallsAndIsReproducibleFromTheSeed() throws Exception {
        int[] failures = new int[2];
        for (int run = 0; run < 2; run++) {
            FaultInjector injector = new FaultInjector(99);
            injector.add(new FaultRule("m3.*", FaultRule.Kind.STATUS, java.util.List.of(429, 503), null, 0, -1, 10));
            for (int i = 0; i < 2_000; i++) {
                FaultInjector.Decision d = injector.decide("m3.PPS200MI.GetHead");
                if (d != null) {
                    assertTrue(d.status() == 429 || d.status() == 503);
                    failures[run]++;
                }
                assertEquals(null, injector.decide("oauth.token"), "other routes never fault");
            }
        }
        assertEquals(failures[0], failures[1], "same seed, same faults");
        assertTrue(failures[0] > 150 && failures[0] < 250, "about 10% of 2000 failed: " + failures[0]);
        server.faults().add(new FaultRule("things.*", FaultRule.Kind.STATUS, java.util.List.of(503), null, 0, -1, 50));
        int served = 0;
        for (int i = 0; i < 40; i++) {
            served += get("/things/p").statusCode() == 200 ? 1 : 0;
        }
        assertTrue(served > 5 && served < 35, "over HTTP too: " + served + " of 40 served");
    }

    @Test
    void malformedLatencyAndTimeoutFaults() throws Exception {
        server.faults().add(new FaultRule("things.m", FaultRule.Kind.MALFORMED, null, null, 0, 1, 100));
        HttpResponse<String> bad = get("/things/m");
        assertEquals(200, bad.statusCode());
        assertThrows(Exception.class, () -> Json.MAPPER.readTree(bad.body()));

        server.faults().add(new FaultRule("things.slow", FaultRule.Kind.LATENCY, null, null, 300, 1, 100));
        long t0 = System.nanoTime();
        assertEquals(200, get("/things/slow").statusCode());
        assertTrue(System.nanoTime() - t0 >= 300_000_000L);

        server.faults().add(new FaultRule("things.held", FaultRule.Kind.TIMEOUT, null, null, 5_000, 1, 100));
        HttpRequest held = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/things/held"))
                .timeout(Duration.ofMillis(300)).build();
        assertThrows(HttpTimeoutException.class, () -> http.send(held, HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, get("/things/other").statusCode(), "a held request does not block others");
    }

    @Test
    void controlApiListsRequestsCountersAndFaultsAndIsNeverFaulted() throws Exception {
        server.log().increment("logins");
        get("/things/a");
        get("/things/b?z=1");
        send("POST", "/_sim/faults", "[{\"kind\":\"status\",\"statuses\":[500]}]");
        assertEquals(1, Json.MAPPER.readTree(get("/_sim/faults").body()).size());
        assertEquals(500, get("/things/c").statusCode());

        JsonNode requests = Json.MAPPER.readTree(get("/_sim/requests?route=things.b").body());
        assertEquals(1, requests.size(), requests::toString);
        assertEquals("z=1", requests.get(0).get("query").asText());
        JsonNode counters = Json.MAPPER.readTree(get("/_sim/counters").body());
        assertEquals(1, counters.at("/counters/logins").asLong());
        assertEquals(1, counters.at("/routes/things.c/statuses/500").asLong());

        assertEquals(204, send("DELETE", "/_sim/faults", null).statusCode());
        assertEquals(200, get("/things/c").statusCode());
        assertEquals(204, send("DELETE", "/_sim/requests", null).statusCode());
        assertEquals(0, server.log().calls("things.a"));
        assertEquals(400, send("POST", "/_sim/faults", "{\"route\":\"x\"}").statusCode(), "kind is required");
    }
}
