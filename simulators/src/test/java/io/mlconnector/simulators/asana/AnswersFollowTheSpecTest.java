package io.mlconnector.simulators.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mlconnector.simulators.common.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With answer checks on, every operation the simulator implements is driven, with the opt_fields the asana-client
 * sends (copied from its records: Task, CustomFieldValue, CustomField, CustomFieldSetting, Story, Webhook, and the
 * events call) and without opt_fields (the full or compact default), and no answer may break the spec: the
 * simulator's own record of answer problems must stay empty.
 */
class AnswersFollowTheSpecTest {
    // ---- opt_fields as asana-client sends them (io.mlconnector.asana.*.FIELDS)
    private static final String CUSTOM_FIELD_VALUE = "name,resource_subtype,type,enabled,display_value,text_value,"
            + "number_value,enum_value.name,enum_value.enabled,multi_enum_values.name,multi_enum_values.enabled,"
            + "date_value,people_value.name";
    private static final String TASK = "name,notes,resource_subtype,completed,completed_at,created_at,modified_at,"
            + "due_on,assignee,created_by,completed_by,permalink_url,memberships.project.name,memberships.section.name,"
            + prefixed("custom_fields.", CUSTOM_FIELD_VALUE);
    private static final String TASK_OAUTH = TASK + ",external";
    private static final String CUSTOM_FIELD = "name,resource_subtype,type,precision,format,currency_code,"
            + "enum_options.name,enum_options.enabled,enum_options.color";
    private static final String SETTING = "is_important," + prefixed("custom_field.", CUSTOM_FIELD);
    private static final String STORY = "resource_subtype,text,created_at,created_by.name";
    private static final String WEBHOOK = "resource.name,target,active,created_at,filters,last_success_at,"
            + "last_failure_at,last_failure_content,delivery_retry_count,next_attempt_after,failure_deletion_timestamp";
    private static final String EVENT = "user.name,resource,parent,created_at,action,change";

    private final HttpClient http = HttpClient.newHttpClient();
    private AsanaSimulator sim;
    private HttpServer receiver;
    private final AtomicInteger delivered = new AtomicInteger();
    private String pat = "pat-spec";
    private String oauth = "oauth-spec";
    private String workspace;
    private String project;
    private String apProject;
    private String user;
    private Map<String, String> fields;
    private Map<String, String> apFields;

    private static String prefixed(String prefix, String fields) {
        return prefix + String.join("," + prefix, fields.split(","));
    }

    @BeforeEach
    @SuppressWarnings("unchecked")
    void start() throws Exception {
        // webhook retries and deletion shrunk, so that a failing receiver shows the failure fields within the test
        sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1))
                .withWebhookTiming(Duration.ofMillis(50), Duration.ofHours(1), Duration.ofHours(1)).withAnswerChecks());
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(pat);
        workspace = (String) seeded.get("workspace");
        project = (String) seeded.get("project");
        apProject = (String) seeded.get("apProject");
        user = (String) seeded.get("user");
        fields = (Map<String, String>) seeded.get("customFields");
        apFields = (Map<String, String>) seeded.get("apCustomFields");
        sim.addToken(oauth, user, true);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String secret = exchange.getRequestHeaders().getFirst("X-Hook-Secret");
            if (secret != null) {
                exchange.getResponseHeaders().add("X-Hook-Secret", secret);
            } else {
                delivered.incrementAndGet();
            }
            exchange.getRequestBody().readAllBytes();
            // a receiver at /hook/failing takes the handshake but fails every delivery
            exchange.sendResponseHeaders(secret == null && exchange.getRequestURI().getPath().endsWith("failing")
                    ? 500 : 200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        sim.close();
        receiver.stop(0);
    }

    @Test
    void everyAnswerFollowsTheSpec() throws Exception {
        users();
        String task = tasks();
        stories(task);
        sections(task);
        customFields();
        webhooks(task);
        events(task);
        search();
        batch(task);
        assertEquals(List.of(), sim.answerProblemKinds(), "answers that broke the spec");
        everyOperationWasAnswered();
    }

    /**
     * Guards the test: each operation the simulator routes (an operation added later too) was answered 2xx at least
     * once. Left out: the catch-all for operations it does not implement, and OAuth, which is not in the spec's paths.
     */
    private void everyOperationWasAnswered() throws Exception {
        JsonNode counted = call("GET", sim.baseUrl() + "/_sim/counters", null, null, 200).get("routes");
        List<String> unanswered = sim.server().routeNames().stream()
                .filter(name -> name.startsWith("asana.") && !name.equals("asana.unimplemented")
                        && !name.startsWith("asana.oauth_"))
                .filter(name -> counted.path(name).path("statuses").properties().stream()
                        .noneMatch(status -> status.getKey().startsWith("2")))
                .toList();
        assertEquals(List.of(), unanswered, "operations the test never got a 2xx answer from");
        assertTrue(sim.server().routeNames().size() > 25, sim.server().routeNames()::toString);
    }

    private void users() throws Exception {
        assertEquals(user, get("/users/me", "name").at("/data/gid").asText());
        get("/users/me", null);
        get("/users/" + user, "name,email");
        get("/workspaces", null);
        get("/workspaces", "name,is_organization");
    }

    /** Creates, reads, updates and lists tasks; returns the task the other cases use. */
    private String tasks() throws Exception {
        String body = "{\"data\":{\"name\":\"PO 4711\",\"notes\":\"Two lines\",\"projects\":[\"" + project + "\"],"
                + "\"due_on\":\"2026-12-24\",\"assignee\":\"me\",\"custom_fields\":{"
                + "\"" + fields.get("PO number") + "\":\"4711\","
                + "\"" + fields.get("Amount") + "\":1234.5,"
                + "\"" + fields.get("Supplier") + "\":\"" + option(fields.get("Supplier"), 0) + "\"}}}";
        JsonNode created = call("POST", api("/tasks", TASK), pat, body, 201).get("data");
        String task = created.get("gid").asText();
        call("POST", api("/tasks", null), pat, "{\"data\":{\"name\":\"Bare\",\"workspace\":\"" + workspace + "\"}}", 201);
        // an OAuth app's task with its external id, and one in the accounts payable project with a date value
        String external = "{\"data\":{\"name\":\"PO 4712\",\"memberships\":[{\"project\":\"" + apProject + "\"}],"
                + "\"external\":{\"gid\":\"PO-4712\",\"data\":\"{\\\"v\\\":1}\"},\"custom_fields\":{"
                + "\"" + apFields.get("Invoice date") + "\":\"2026-12-01\","
                + "\"" + apFields.get("Payment") + "\":\"" + option(apFields.get("Payment"), 0) + "\"}}}";
        call("POST", api("/tasks", TASK_OAUTH), oauth, external, 201);
        get("/tasks/" + task, TASK);
        get("/tasks/" + task, null);
        getAs(oauth, "/tasks/external:PO-4712", TASK_OAUTH);
        getAs(oauth, "/tasks/external:PO-4712", null);
        call("PUT", api("/tasks/" + task, TASK), pat, "{\"data\":{\"name\":\"PO 4711 rev 2\",\"completed\":true,"
                + "\"custom_fields\":{\"" + fields.get("Amount") + "\":99.99,\"" + fields.get("PO number") + "\":null}}}",
                200);
        call("PUT", api("/tasks/" + task, null), pat, "{\"data\":{\"completed\":false}}", 200);
        sim.seedTasks(project, user, 3);
        get("/projects/" + project + "/tasks", TASK, "limit", "2");
        JsonNode firstPage = get("/projects/" + project + "/tasks", null, "limit", "2");
        get("/projects/" + project + "/tasks", null, "limit", "2", "offset",
                firstPage.at("/next_page/offset").asText());
        get("/tasks", TASK, "project", project, "modified_since", "2020-01-01T00:00:00.000Z", "limit", "100");
        get("/tasks", null, "project", project);
        return task;
    }

    private void stories(String task) throws Exception {
        call("POST", api("/tasks/" + task + "/stories", STORY), pat, "{\"data\":{\"text\":\"Goods received\"}}", 201);
        call("POST", api("/tasks/" + task + "/stories", null), pat,
                "{\"data\":{\"html_text\":\"<body>Invoice <strong>matched</strong></body>\"}}", 201);
        get("/tasks/" + task + "/stories", STORY, "limit", "100");
        get("/tasks/" + task + "/stories", null);
    }

    private void sections(String task) throws Exception {
        JsonNode section = call("POST", api("/projects/" + project + "/sections", "name"), pat,
                "{\"data\":{\"name\":\"Received\"}}", 201).get("data");
        call("POST", api("/projects/" + project + "/sections", null), pat, "{\"data\":{\"name\":\"Invoiced\"}}", 201);
        get("/projects/" + project + "/sections", "name", "limit", "100");
        get("/projects/" + project + "/sections", null);
        call("POST", api("/sections/" + section.get("gid").asText() + "/addTask", null), pat,
                "{\"data\":{\"task\":\"" + task + "\"}}", 200);
        get("/sections/" + section.get("gid").asText() + "/tasks", TASK);
        get("/sections/" + section.get("gid").asText() + "/tasks", null);
        get("/tasks", null, "section", section.get("gid").asText());
    }

    private void customFields() throws Exception {
        get("/workspaces/" + workspace + "/custom_fields", CUSTOM_FIELD, "limit", "100");
        get("/workspaces/" + workspace + "/custom_fields", null);
        for (String field : List.of(fields.get("Supplier"), fields.get("Amount"), fields.get("PO number"),
                apFields.get("Invoice date"))) {
            get("/custom_fields/" + field, CUSTOM_FIELD);
            get("/custom_fields/" + field, null);
        }
        call("POST", api("/custom_fields/" + fields.get("Supplier") + "/enum_options", "name,enabled,color"), pat,
                "{\"data\":{\"name\":\"Baltic Bolts OU\",\"color\":\"blue\"}}", 201);
        call("POST", api("/custom_fields/" + fields.get("Supplier") + "/enum_options", null), pat,
                "{\"data\":{\"name\":\"Iberia Tornillos SL\"}}", 201);
        get("/projects/" + project + "/custom_field_settings", SETTING, "limit", "100");
        get("/projects/" + project + "/custom_field_settings", null);
        get("/projects/" + apProject + "/custom_field_settings", SETTING);
    }

    private void webhooks(String task) throws Exception {
        String target = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        JsonNode created = call("POST", api("/webhooks", WEBHOOK), pat, "{\"data\":{\"resource\":\"" + project
                + "\",\"target\":\"" + target + "\",\"filters\":[{\"resource_type\":\"task\",\"action\":\"changed\","
                + "\"fields\":[\"completed\",\"custom_fields\"]},{\"resource_type\":\"story\"}]}}", 201);
        String hook = created.at("/data/gid").asText();
        JsonNode failing = call("POST", api("/webhooks", null), pat, "{\"data\":{\"resource\":\"" + task
                + "\",\"target\":\"" + target + "/failing\"}}", 201);
        String failingHook = failing.at("/data/gid").asText();
        get("/webhooks/" + hook, WEBHOOK);
        get("/webhooks", WEBHOOK, "workspace", workspace, "limit", "100");
        get("/webhooks", null, "workspace", workspace, "resource", project);

        // deliveries: one webhook succeeds, the other fails, so both kinds of delivery fields get values
        call("PUT", api("/tasks/" + task, null), pat, "{\"data\":{\"completed\":true}}", 200);
        await(() -> delivered.get() >= 2, "both webhooks were posted to");
        await(() -> {
            try {
                return get("/webhooks/" + failingHook, WEBHOOK).at("/data/failure_deletion_timestamp").isTextual()
                        && get("/webhooks/" + hook, WEBHOOK).at("/data/last_success_at").isTextual();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the webhooks record their deliveries");
        get("/webhooks/" + hook, null);
        get("/webhooks/" + failingHook, null);
        get("/webhooks", WEBHOOK, "workspace", workspace);
        call("DELETE", api("/webhooks/" + failingHook, null), pat, null, 200);
        call("DELETE", api("/webhooks/" + hook, null), pat, null, 200);
    }

    private void events(String task) throws Exception {
        String projectSync = call("GET", api("/events", EVENT, "resource", project), pat, null, 412).get("sync").asText();
        String taskSync = call("GET", api("/events", EVENT, "resource", task), pat, null, 412).get("sync").asText();
        // every kind of event the simulator makes: added to a project and to a section, changed (plain field, custom
        // field, assignee), a comment added, and more than one call's worth (has_more)
        JsonNode made = call("POST", api("/tasks", null), pat, "{\"data\":{\"name\":\"PO 4713\",\"projects\":[\""
                + project + "\"]}}", 201).get("data");
        String other = made.get("gid").asText();
        call("PUT", api("/tasks/" + other, null), pat, "{\"data\":{\"name\":\"PO 4713 rev 2\",\"assignee\":\"" + user
                + "\",\"custom_fields\":{\"" + fields.get("Currency") + "\":\"" + option(fields.get("Currency"), 1)
                + "\"}}}", 200);
        call("POST", api("/tasks/" + task + "/stories", null), pat, "{\"data\":{\"text\":\"Paid\"}}", 201);
        String section = get("/projects/" + project + "/sections", null).at("/data/1/gid").asText();
        call("POST", api("/sections/" + section + "/addTask", null), pat, "{\"data\":{\"task\":\"" + other + "\"}}", 200);
        sim.seedTasks(project, user, 110);

        JsonNode first = call("GET", api("/events", EVENT, "resource", project, "sync", projectSync), pat, null, 200);
        assertTrue(first.get("has_more").asBoolean(), "more than 100 events");
        JsonNode second = call("GET", api("/events", EVENT, "resource", project, "sync", first.get("sync").asText()),
                pat, null, 200);
        assertFalse(second.get("has_more").asBoolean());
        call("GET", api("/events", null, "resource", task, "sync", taskSync), pat, null, 200);
        call("GET", api("/events", EVENT, "resource", task, "sync", taskSync), pat, null, 200);
        call("GET", api("/events", "action,resource.name,parent.name,change.field", "resource", project, "sync",
                projectSync), pat, null, 200);
    }

    private void search() throws Exception {
        get("/workspaces/" + workspace + "/tasks/search", TASK, "resource_subtype", "default_task",
                "custom_fields." + fields.get("PO number") + ".value", "4711", "sort_by", "created_at",
                "sort_ascending", "true", "limit", "100");
        get("/workspaces/" + workspace + "/tasks/search", null, "resource_subtype", "default_task",
                "created_at.after", "2020-01-01T00:00:00.000Z");
        getAs(oauth, "/workspaces/" + workspace + "/tasks/search", TASK_OAUTH, "resource_subtype", "default_task");
    }

    private void batch(String task) throws Exception {
        StringBuilder fieldsArray = new StringBuilder();
        for (String field : TASK.split(",")) {
            fieldsArray.append(fieldsArray.isEmpty() ? "" : ",").append('"').append(field).append('"');
        }
        String body = "{\"data\":{\"actions\":["
                + "{\"relative_path\":\"/tasks/" + task + "\",\"method\":\"get\",\"options\":{\"fields\":["
                + fieldsArray + "]}},"
                + "{\"relative_path\":\"/tasks/4040404\",\"method\":\"get\"},"
                + "{\"relative_path\":\"/tasks/" + task + "\",\"method\":\"get\"},"
                + "{\"relative_path\":\"/tasks\",\"method\":\"post\",\"data\":{\"name\":\"Batched\",\"projects\":[\""
                + project + "\"]}}]}}";
        JsonNode results = call("POST", api("/batch", null), pat, body, 200).get("data");
        assertEquals(List.of(200, 404, 200, 201), results.findValues("status_code").stream().map(JsonNode::asInt)
                .toList());
    }

    // ---- plumbing

    private String option(String fieldGid, int index) throws Exception {
        return get("/custom_fields/" + fieldGid, "enum_options.name").at("/data/enum_options/" + index + "/gid").asText();
    }

    private JsonNode get(String path, String optFields, String... query) throws Exception {
        return getAs(pat, path, optFields, query);
    }

    private JsonNode getAs(String token, String path, String optFields, String... query) throws Exception {
        return call("GET", api(path, optFields, query), token, null, 200);
    }

    private String api(String path, String optFields, String... query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (optFields != null) {
            parameters.put("opt_fields", optFields);
        }
        for (int i = 0; i < query.length; i += 2) {
            parameters.put(query[i], query[i + 1]);
        }
        String encoded = parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return sim.apiUrl() + path + (encoded.isEmpty() ? "" : "?" + encoded);
    }

    private JsonNode call(String method, String url, String token, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), method + " " + url + ": " + response.body());
        return response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
