package io.mlconnector.simulators.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.common.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsanaSimulatorTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode call(String method, String url, String token, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
    }

    @Test
    void controlApiSeedsAndChangesTasksAsAUserWould() throws Exception {
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            String control = sim.baseUrl() + "/_sim";
            String ws = call("POST", control + "/workspaces", null, "{\"name\":\"WS\"}", 200).get("gid").asText();
            String user = call("POST", control + "/users", null, "{\"name\":\"Ann\",\"email\":\"ann@example.com\"}", 200)
                    .get("gid").asText();
            call("POST", control + "/tokens", null, "{\"token\":\"t1\",\"user\":\"" + user + "\"}", 200);
            String project = call("POST", control + "/projects", null,
                    "{\"workspace\":\"" + ws + "\",\"name\":\"P\"}", 200).get("gid").asText();
            JsonNode field = call("POST", control + "/custom_fields", null, "{\"workspace\":\"" + ws
                    + "\",\"name\":\"Amount\",\"resource_subtype\":\"number\",\"precision\":2,\"projects\":[\"" + project + "\"]}", 200);
            String fieldGid = field.get("gid").asText();

            JsonNode task = call("POST", sim.apiUrl() + "/tasks?opt_fields=name,custom_fields.number_value", "t1",
                    "{\"data\":{\"name\":\"PO\",\"projects\":[\"" + project + "\"],\"custom_fields\":{\"" + fieldGid + "\":10.005}}}",
                    201).get("data");
            assertEquals("10.01", task.at("/custom_fields/0/number_value").decimalValue().toPlainString());
            assertEquals(3, task.size());

            String gid = task.get("gid").asText();
            call("POST", control + "/tasks/" + gid + "/complete", null, "{\"user\":\"" + user + "\"}", 200);
            JsonNode compact = call("GET", sim.apiUrl() + "/projects/" + project + "/tasks", "t1", null, 200);
            assertEquals("[\"gid\",\"name\",\"resource_subtype\",\"resource_type\"]",
                    Json.MAPPER.valueToTree(iterable(compact.at("/data/0").fieldNames())).toString());
            JsonNode full = call("GET", sim.apiUrl() + "/tasks/" + gid + "?opt_fields=completed,completed_at", "t1", null, 200);
            assertTrue(full.at("/data/completed").asBoolean());
            assertTrue(full.at("/data/completed_at").asText().endsWith("Z"));

            JsonNode counters = call("GET", control + "/counters", null, null, 200);
            assertEquals(1, counters.at("/routes/asana.createTask/calls").asInt());
            assertEquals(1, counters.at("/routes/asana.getTasksForProject/statuses/200").asInt());
            JsonNode unauthorized = call("GET", sim.apiUrl() + "/tasks/" + gid, "nope", null, 401);
            assertEquals("Not Authorized", unauthorized.at("/errors/0/message").asText());
            call("GET", sim.apiUrl() + "/no_such_thing", "t1", null, 404);
            call("GET", sim.apiUrl() + "/portfolios?workspace=" + ws, "t1", null, 501);
        }
    }

    @Test
    void aBatchServesEachActionInOrderAndCountsEachAgainstTheBudget() throws Exception {
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(5, Duration.ofMinutes(1)))) {
            String ws = sim.addWorkspace("WS", true);
            String user = sim.addUser("Ann", "ann@example.com");
            sim.addToken("t1", user, false);
            String project = sim.addProject(ws, "P");
            java.util.List<String> tasks = sim.seedTasks(project, user, 2);
            String batch = "{\"data\":{\"actions\":["
                    + "{\"relative_path\":\"/tasks/" + tasks.get(1) + "\",\"method\":\"get\",\"options\":{\"fields\":[\"name\",\"completed\"]}},"
                    + "{\"relative_path\":\"/tasks/4040\",\"method\":\"get\"},"
                    + "{\"relative_path\":\"/tasks\",\"method\":\"post\",\"data\":{\"name\":\"New\",\"projects\":[\"" + project + "\"]}},"
                    + "{\"relative_path\":\"/batch\",\"method\":\"post\",\"data\":{}}]}}";

            JsonNode results = call("POST", sim.apiUrl() + "/batch", "t1", batch, 200).get("data");

            assertEquals(4, results.size());
            assertEquals(200, results.at("/0/status_code").asInt());
            assertEquals("Seeded task 2", results.at("/0/body/data/name").asText());
            assertEquals(3, results.at("/0/body/data").size(), "gid and the two fields asked for");
            assertEquals(404, results.at("/1/status_code").asInt());
            assertEquals(201, results.at("/2/status_code").asInt());
            assertTrue(results.at("/2/headers/location").asText().startsWith("/api/1.0/tasks/"));
            assertEquals(400, results.at("/3/status_code").asInt(), "a batch cannot hold a batch");
            assertEquals(2, sim.log().calls("asana.getTask"), "each action is counted as a request of its own");

            // Four of the five requests a minute are spent: a batch of two would exceed the budget, so all of it is refused.
            call("POST", sim.apiUrl() + "/batch", "t1", "{\"data\":{\"actions\":["
                    + "{\"relative_path\":\"/tasks/" + tasks.get(0) + "\",\"method\":\"get\"},"
                    + "{\"relative_path\":\"/tasks/" + tasks.get(1) + "\",\"method\":\"get\"}]}}", 429);
            assertEquals(2, sim.log().calls("asana.getTask"));
            call("POST", sim.apiUrl() + "/batch", "t1", "{\"data\":{\"actions\":[]}}", 400);
        }
    }

    @Test
    void deletesAWebhookAsAsanaDoesAfterFailedDeliveries() throws Exception {
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String secret = exchange.getRequestHeaders().getFirst("X-Hook-Secret");
            if (secret != null) {
                exchange.getResponseHeaders().add("X-Hook-Secret", secret);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults())) {
            String project = (String) sim.seedPurchaseOrderProject("t3").get("project");
            String target = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            JsonNode created = call("POST", sim.apiUrl() + "/webhooks", "t3",
                    "{\"data\":{\"resource\":\"" + project + "\",\"target\":\"" + target + "\"}}", 201);
            String gid = created.at("/data/gid").asText();
            assertEquals(created.get("X-Hook-Secret").asText(), sim.webhookSecret(gid));

            call("DELETE", sim.baseUrl() + "/_sim/webhooks/" + gid, null, null, 204);

            call("GET", sim.apiUrl() + "/webhooks/" + gid, "t3", null, 404);
            assertEquals(null, sim.webhookSecret(gid));
            call("DELETE", sim.baseUrl() + "/_sim/webhooks/" + gid, null, null, 404);
            call("POST", sim.apiUrl() + "/webhooks", "t3",
                    "{\"data\":{\"resource\":\"" + project + "\",\"target\":\"" + target + "\"}}", 201);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void answers429WithRetryAfterBeyondTheBudget() throws Exception {
        try (AsanaSimulator sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(3, Duration.ofSeconds(30)))) {
            sim.seedPurchaseOrderProject("t2");
            for (int i = 0; i < 3; i++) {
                call("GET", sim.apiUrl() + "/workspaces", "t2", null, 200);
            }
            HttpResponse<String> limited = http.send(HttpRequest.newBuilder(URI.create(sim.apiUrl() + "/workspaces"))
                    .header("Authorization", "Bearer t2").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, limited.statusCode());
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 29 && retryAfter <= 30, "Retry-After " + retryAfter);
        }
    }

    @Test
    void runsOnItsOwnAndPrintsTheSeededGids() throws Exception {
        Process process = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), AsanaSimulatorMain.class.getName(),
                "--port", "0", "--token", "demo-token", "--rate-limit-per-minute", "150").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            JsonNode line = Json.MAPPER.readTree(out.readLine());
            assertTrue(line.get("baseUrl").asText().matches("http://127\\.0\\.0\\.1:\\d+/api/1\\.0"));
            for (String name : new String[] {"PO number", "Supplier", "Amount", "Currency", "GL account"}) {
                assertTrue(line.at("/customFields").has(name), name);
            }
            JsonNode fields = call("GET", line.get("baseUrl").asText() + "/workspaces/" + line.get("workspace").asText()
                    + "/custom_fields?opt_fields=name,resource_subtype,precision", "demo-token", null, 200);
            assertEquals(9, fields.get("data").size());
            assertTrue(line.hasNonNull("apProject"), "the accounts payable project");
            assertTrue(line.at("/apCustomFields").has("Invoice key") && line.at("/apCustomFields").has("Invoice date"));
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        java.util.List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        list.sort(null);
        return list;
    }
}
