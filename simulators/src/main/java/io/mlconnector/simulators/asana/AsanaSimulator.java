package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.RequestLog;
import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A stateful Asana on 127.0.0.1: the REST API under {@code /api/1.0} (validated against the vendored
 * spec, rate limited per token), OAuth refresh at {@code /-/oauth_token}, webhook delivery, and the
 * {@code /_sim/} control API (documented in {@code AsanaSimulatorMain}'s usage text).
 */
public final class AsanaSimulator implements AutoCloseable {
    public static final String API = "/api/1.0";
    /** The log counter of requests counted against budgets, as Asana counts them: each action of a batch, 429s too. */
    public static final String BUDGET_COUNTED = "asana.budget_counted";
    private static final int MAX_BATCH_ACTIONS = 10;
    private static final Set<String> READ_METHODS = Set.of("get", "head");
    private static final int EVENTS_PER_CALL = 100;

    /**
     * Rate limits, webhook timings, the life of an OAuth access token, and whether each answer is checked against
     * the spec ({@link #answerProblems()}); {@link #defaults()} are Asana's paid-workspace numbers and its one-hour
     * access tokens, with answers unchecked (the check costs the simulator time that benchmarks would count).
     */
    public record Config(int port, int budget, Duration window, int maxReads, int maxWrites,
            WebhookDispatcher.Timing webhooks, Duration oauthTokenLifetime, boolean checkAnswers) {
        public static Config defaults() {
            return new Config(0, 1500, Duration.ofMinutes(1), 50, 15, WebhookDispatcher.Timing.asana(),
                    Duration.ofHours(1), false);
        }

        /** Checks every 2xx answer against the spec's response schema and the request's opt_fields. */
        public Config withAnswerChecks() {
            return new Config(port, budget, window, maxReads, maxWrites, webhooks, oauthTokenLifetime, true);
        }

        public Config withPort(int port) {
            return new Config(port, budget, window, maxReads, maxWrites, webhooks, oauthTokenLifetime, checkAnswers);
        }

        public Config withBudget(int budget, Duration window) {
            return new Config(port, budget, window, maxReads, maxWrites, webhooks, oauthTokenLifetime, checkAnswers);
        }

        /** Shrinks webhook timing for tests: first retry, failure window before deletion, heartbeat interval. */
        public Config withWebhookTiming(Duration firstRetry, Duration failureWindow, Duration heartbeat) {
            return new Config(port, budget, window, maxReads, maxWrites, new WebhookDispatcher.Timing(
                    webhooks.deliveryTimeout(), firstRetry, failureWindow, heartbeat, webhooks.batchDelay(),
                    webhooks.maxBatch()), oauthTokenLifetime, checkAnswers);
        }

        /** How long an access token from {@code /-/oauth_token} is accepted; tests shorten it to see refreshes. */
        public Config withOAuthTokenLifetime(Duration lifetime) {
            return new Config(port, budget, window, maxReads, maxWrites, webhooks, lifetime, checkAnswers);
        }
    }

    /** A bearer token's owner; {@code expiresAt} is null for tokens that live until revoked. */
    private record Caller(String token, String user, boolean oauth, Instant expiresAt) {
    }

    private interface Operation {
        SimResponse handle(SimRequest request, Caller caller, Map<String, String> path) throws Exception;
    }

    private final SimulatorHttpServer server;
    private final AsanaState state = new AsanaState(Clock.systemUTC());
    private final SpecValidator validator = SpecValidator.load();
    private final SimRateLimits limits;
    private final WebhookDispatcher webhooks;
    private final Map<String, Caller> tokens = new ConcurrentHashMap<>();
    private final Map<String, String[]> syncTokens = new ConcurrentHashMap<>();
    private final AsanaOAuthServer oauth;
    private final boolean checkAnswers;
    private final List<String> answerProblems = Collections.synchronizedList(new ArrayList<>());

    private AsanaSimulator(Config config) throws IOException {
        this.limits = new SimRateLimits(config.budget(), config.window(), config.maxReads(), config.maxWrites());
        this.webhooks = new WebhookDispatcher(state, config.webhooks());
        this.oauth = new AsanaOAuthServer(this::issueAccessToken, config.oauthTokenLifetime(), Clock.systemUTC());
        this.checkAnswers = config.checkAnswers();
        this.server = SimulatorHttpServer.start(config.port());
        registerApi();
        registerControl();
    }

    public static AsanaSimulator start(Config config) throws IOException {
        return new AsanaSimulator(config);
    }

    /** {@code http://127.0.0.1:PORT/api/1.0}: what an Asana client takes as base URL. */
    public String apiUrl() {
        return server.baseUrl() + API;
    }

    /** {@code http://127.0.0.1:PORT}: the control API lives under {@code /_sim/}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    public String tokenUrl() {
        return server.baseUrl() + "/-/oauth_token";
    }

    /** With {@link Config#withAnswerChecks()}: each way an answer so far broke the spec, with its operation. */
    public List<String> answerProblems() {
        synchronized (answerProblems) {
            return List.copyOf(answerProblems);
        }
    }

    /** {@link #answerProblems()} once each, with list positions folded ({@code data[3]} as {@code data[]}). */
    public List<String> answerProblemKinds() {
        return answerProblems().stream().map(problem -> problem.replaceAll("\\[\\d+]", "[]")).distinct().toList();
    }

    public RequestLog log() {
        return server.log();
    }

    public SimulatorHttpServer server() {
        return server;
    }

    public String oauthClientId() {
        return oauth.clientId();
    }

    public String oauthClientSecret() {
        return oauth.clientSecret();
    }

    /** {@code http://127.0.0.1:PORT/-/oauth_authorize}, where a user consents to an app. */
    public String authorizeUrl() {
        return server.baseUrl() + "/-/oauth_authorize";
    }

    /** The user who is signed in and allows any app that asks at {@link #authorizeUrl()}. */
    public void consentAs(String userGid) {
        oauth.consent(AsanaState.require(state.users, userGid, "user").get("gid").asText());
    }

    // ---- seeding, for tests in-process and for the control API

    public String addWorkspace(String name, boolean premium) {
        return state.addWorkspace(name, premium).get("gid").asText();
    }

    public String addUser(String name, String email) {
        return state.addUser(name, email).get("gid").asText();
    }

    /** Accepts {@code token} as a bearer token of {@code userGid}, as a PAT or as an OAuth access token. */
    public void addToken(String token, String userGid, boolean oauth) {
        tokens.put(token, new Caller(token, userGid, oauth, null));
    }

    /** A refresh token for {@code userGid}, redeemable at {@link #tokenUrl()} with this simulator's client id and secret. */
    public String addRefreshToken(String userGid) {
        return oauth.addRefreshToken(userGid);
    }

    public String addProject(String workspaceGid, String name) {
        return state.addProject(workspaceGid, name).get("gid").asText();
    }

    public String addSection(String projectGid, String name) {
        return state.addSection(projectGid, name).get("gid").asText();
    }

    /** Creates a field and attaches it to the projects; options are names for enum fields. */
    public String addCustomField(String workspaceGid, String name, String subtype, Integer precision, String format,
            String currencyCode, List<String> options, List<String> projectGids) {
        String gid = state.addCustomField(workspaceGid, name, subtype, precision, format, currencyCode, options)
                .get("gid").asText();
        projectGids.forEach(project -> state.addCustomFieldSetting(project, gid, false));
        return gid;
    }

    /** Attaches a workspace custom field to one more project. */
    public void attachCustomField(String projectGid, String customFieldGid) {
        state.addCustomFieldSetting(projectGid, customFieldGid, false);
    }

    /** Changes a task as {@code userGid} would in the UI (fires events and webhooks); data as in updateTask. */
    public void changeTaskAsUser(String taskGid, String userGid, JsonNode data) {
        state.updateTask(taskGid, data, userGid, true);
    }

    /** Creates {@code count} tasks in the project as {@code userGid} without API calls, for paging and load tests. */
    public List<String> seedTasks(String projectGid, String userGid, int count) {
        List<String> gids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ObjectNode data = Json.MAPPER.createObjectNode().put("name", "Seeded task " + i);
            data.putArray("projects").add(projectGid);
            gids.add(state.createTask(data, userGid, false).get("gid").asText());
        }
        return gids;
    }

    /** Forgets every sync token, so the next events call answers 412 (as when Asana expires them). */
    public void expireSyncTokens() {
        syncTokens.clear();
    }

    /**
     * Deletes the webhook as Asana does when its deliveries failed for the whole failure window: the
     * owner is not asked and pending events are dropped. False when there is no such webhook.
     */
    public boolean deleteWebhookAsAsana(String webhookGid) {
        return webhooks.drop(webhookGid);
    }

    /**
     * Every webhook POST that carried events so far: its answer time in ms (a delivery that failed counts with the
     * time it took to fail), and how many were answered 2xx. Heartbeats are left out.
     */
    public List<Long> webhookDeliveryMillis() {
        return webhooks.deliveries().millis();
    }

    public long webhookDeliveriesAcknowledged() {
        return webhooks.deliveries().acknowledged();
    }

    /** The webhook's signing secret, for tests that check it never leaks; null when there is no such webhook. */
    public String webhookSecret(String webhookGid) {
        return webhooks.secret(webhookGid);
    }

    public int taskCount() {
        synchronized (state) {
            return state.tasks.size();
        }
    }

    /**
     * Seeds a workspace, a user with {@code token}, the purchasing project with the PO fields and the accounts
     * payable project ("apProject") with the invoice fields; returns the gids.
     */
    public Map<String, Object> seedPurchaseOrderProject(String token) {
        Map<String, Object> gids = new LinkedHashMap<>();
        String workspace = addWorkspace("Sim Distribution Inc.", true);
        String user = addUser("Sim Integration User", "integration@example.com");
        addToken(token, user, false);
        String project = addProject(workspace, "Purchase orders and invoices");
        gids.put("workspace", workspace);
        gids.put("project", project);
        gids.put("user", user);
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> projects = List.of(project);
        fields.put("PO number", addCustomField(workspace, "PO number", "text", null, null, null, null, projects));
        fields.put("Invoice number", addCustomField(workspace, "Invoice number", "text", null, null, null, null, projects));
        fields.put("Supplier", addCustomField(workspace, "Supplier", "enum", null, null, null,
                List.of("ACME Industrial Supply", "Nordic Fasteners AB"), projects));
        fields.put("Amount", addCustomField(workspace, "Amount", "number", 2, "none", null, null, projects));
        fields.put("Currency", addCustomField(workspace, "Currency", "enum", null, null, null,
                List.of("EUR", "USD", "GBP", "SEK"), projects));
        fields.put("GL account", addCustomField(workspace, "GL account", "enum", null, null, null,
                List.of("4000 Purchases", "6100 Services"), projects));
        String accountsPayable = addProject(workspace, "Accounts payable");
        gids.put("apProject", accountsPayable);
        List<String> ap = List.of(accountsPayable);
        Map<String, String> apFields = new LinkedHashMap<>();
        apFields.put("Invoice key", addCustomField(workspace, "Invoice key", "text", null, null, null, null, ap));
        apFields.put("Invoice date", addCustomField(workspace, "Invoice date", "date", null, null, null, null, ap));
        apFields.put("Payment", addCustomField(workspace, "Payment", "enum", null, null, null,
                List.of("UNPAID", "PART_PAID", "PAID"), ap));
        for (String shared : List.of("Invoice number", "PO number", "Supplier", "Amount", "Currency")) {
            attachCustomField(accountsPayable, fields.get(shared));
        }
        gids.put("customFields", fields);
        gids.put("apCustomFields", apFields);
        return gids;
    }

    @Override
    public void close() {
        webhooks.close();
        server.close();
    }

    // ---- REST API

    private void registerApi() {
        String id = "([^/]+)";
        server.route("POST", API + "/batch", "asana.createBatchRequest", this::batch);
        route("GET", "/users/" + id, "getUser", false, (r, c, p) -> single(r, user(p.get("user_gid"), c)));
        route("GET", "/workspaces", "getWorkspaces", false, (r, c, p) -> page(r, list(state.workspaces)));
        route("GET", "/workspaces/" + id + "/tasks/search", "searchTasksForWorkspace", false, this::search);
        route("GET", "/workspaces/" + id + "/custom_fields", "getCustomFieldsForWorkspace", false, (r, c, p) -> {
            String workspace = p.get("workspace_gid");
            AsanaState.require(state.workspaces, workspace, "workspace");
            synchronized (state) {
                return page(r, state.customFields.values().stream()
                        .filter(f -> f.get("workspace_gid").asText().equals(workspace)).map(this::field).toList());
            }
        });
        route("POST", "/tasks", "createTask", true,
                (r, c, p) -> created(r, state.createTask(data(r), c.user(), c.oauth())));
        route("GET", "/tasks", "getTasks", false, (r, c, p) -> {
            Map<String, String> q = r.query();
            if (q.containsKey("project")) {
                return page(r, state.projectTaskGids(q.get("project"), q.get("completed_since"),
                        q.get("modified_since")), this::task);
            }
            if (q.containsKey("section")) {
                return page(r, state.sectionTasks(q.get("section")));
            }
            throw AsanaError.badRequest("project: You must specify a project or tag if you do not specify assignee and workspace");
        });
        route("GET", "/tasks/" + id, "getTask", false, (r, c, p) -> single(r, state.renderTask(p.get("task_gid"), c.oauth())));
        route("PUT", "/tasks/" + id, "updateTask", true,
                (r, c, p) -> single(r, state.updateTask(p.get("task_gid"), data(r), c.user(), c.oauth())));
        route("POST", "/tasks/" + id + "/stories", "createStoryForTask", true, (r, c, p) -> {
            JsonNode data = data(r);
            if (!data.hasNonNull("text") && !data.hasNonNull("html_text")) {
                throw AsanaError.badRequest("text: Missing input");
            }
            String text = data.hasNonNull("text") ? data.get("text").asText() : data.get("html_text").asText();
            return created(r, state.addComment(p.get("task_gid"), text, c.user(), c.oauth()));
        });
        route("GET", "/tasks/" + id + "/stories", "getStoriesForTask", false,
                (r, c, p) -> page(r, state.stories(p.get("task_gid"), c.oauth())));
        route("GET", "/projects/" + id + "/tasks", "getTasksForProject", false,
                (r, c, p) -> page(r, state.projectTaskGids(p.get("project_gid"), r.query().get("completed_since")),
                        this::task));
        route("GET", "/projects/" + id + "/sections", "getSectionsForProject", false, (r, c, p) -> {
            AsanaState.require(state.projects, p.get("project_gid"), "project");
            synchronized (state) {
                return page(r, state.sections.values().stream()
                        .filter(s -> s.path("project").path("gid").asText().equals(p.get("project_gid"))).toList());
            }
        });
        route("POST", "/projects/" + id + "/sections", "createSectionForProject", true,
                (r, c, p) -> created(r, state.addSection(p.get("project_gid"), data(r).path("name").asText())));
        route("GET", "/projects/" + id + "/custom_field_settings", "getCustomFieldSettingsForProject", false,
                (r, c, p) -> page(r, state.settings(p.get("project_gid")).stream().map(s -> {
                    s.set("custom_field", field((ObjectNode) s.get("custom_field")));
                    return s;
                }).toList()));
        route("POST", "/sections/" + id + "/addTask", "addTaskForSection", true, (r, c, p) -> {
            state.addTaskToSection(p.get("section_gid"), data(r).path("task").asText(), c.user());
            return SimResponse.json(200, Map.of("data", Map.of()));
        });
        route("GET", "/sections/" + id + "/tasks", "getTasksForSection", false,
                (r, c, p) -> page(r, state.sectionTasks(p.get("section_gid"))));
        route("GET", "/custom_fields/" + id, "getCustomField", false, (r, c, p) -> {
            synchronized (state) {
                return single(r, field(AsanaState.require(state.customFields, p.get("custom_field_gid"), "custom_field")));
            }
        });
        route("POST", "/custom_fields/" + id + "/enum_options", "createEnumOptionForCustomField", true, (r, c, p) -> {
            JsonNode data = data(r);
            return created(r, state.addEnumOption(p.get("custom_field_gid"), data.path("name").asText(),
                    data.path("color").asText("none")));
        });
        route("POST", "/webhooks", "createWebhook", true, (r, c, p) -> {
            JsonNode data = data(r);
            Object[] made = webhooks.create(data.get("resource").asText(), data.get("target").asText(),
                    data.get("filters"), c.user());
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.set("data", project(r, (ObjectNode) made[0]));
            body.put("X-Hook-Secret", (String) made[1]);
            return SimResponse.json(201, body);
        });
        route("GET", "/webhooks", "getWebhooks", false, (r, c, p) -> {
            AsanaState.require(state.workspaces, r.query().get("workspace"), "workspace");
            return page(r, webhooks.list(c.user(), r.query().get("resource")));
        });
        route("GET", "/webhooks/" + id, "getWebhook", false, (r, c, p) -> single(r, webhooks.get(p.get("webhook_gid"), c.user())));
        route("DELETE", "/webhooks/" + id, "deleteWebhook", true, (r, c, p) -> {
            webhooks.delete(p.get("webhook_gid"), c.user());
            return SimResponse.json(200, Map.of("data", Map.of()));
        });
        route("GET", "/events", "getEvents", false, this::events);
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
            server.route(method, API + "/.*", "asana.unimplemented", request -> guarded(request, method, null, false, null));
        }
        server.route("POST", "/-/oauth_token", "asana.oauth_token", oauth::token);
        server.route("GET", "/-/oauth_authorize", "asana.oauth_authorize", oauth::authorize);
    }

    private void route(String method, String pathRegex, String operationId, boolean write, Operation operation) {
        server.route(method, API + pathRegex, "asana." + operationId,
                request -> guarded(request, method, operationId, write, operation));
    }

    /** Auth, budget, spec validation, then the operation; every failure in Asana's error envelope. */
    private SimResponse guarded(SimRequest request, String method, String operationId, boolean write,
            Operation operation) {
        Caller caller = caller(request);
        if (caller == null) {
            server.log().increment("asana.unauthorized");
            return AsanaError.envelope(401, List.of("Not Authorized"));
        }
        // The batch that carries a nested request has admitted it already, with the batch's other actions.
        Long retryAfter = null;
        if (!request.nested()) {
            server.log().increment(BUDGET_COUNTED);
            retryAfter = limits.admit(caller.token(), write);
        }
        if (retryAfter != null) {
            return rateLimited(retryAfter);
        }
        try {
            String apiPath = SimRequest.decode(request.rawPath().substring(API.length()), false);
            SpecValidator.Result check = validator.validate(method, apiPath, request.query(), request.body());
            if (!check.known()) {
                return AsanaError.envelope(404, check.errors());
            }
            if (!check.errors().isEmpty()) {
                server.log().increment("asana.invalid_requests");
                return AsanaError.envelope(400, check.errors());
            }
            if (operation == null || !check.operationId().equals(operationId)) {
                return AsanaError.envelope(501, List.of(check.operationId() + " is not implemented by the simulator"));
            }
            SimResponse answer = operation.handle(request, caller, check.pathParameters());
            if (checkAnswers) {
                validator.validateAnswer(operationId, request.query(), answer.status(), answer.body())
                        .forEach(problem -> answerProblems.add(operationId + " " + problem));
            }
            return answer;
        } catch (AsanaError e) {
            return e.response();
        } catch (Exception e) {
            return AsanaError.envelope(500, List.of("Server Error: " + e));
        } finally {
            if (!request.nested()) {
                limits.release(caller.token(), write);
            }
        }
    }

    private Caller caller(SimRequest request) {
        String authorization = request.header("Authorization");
        Caller caller = authorization != null && authorization.startsWith("Bearer ")
                ? tokens.get(authorization.substring(7)) : null;
        if (caller != null && caller.expiresAt() != null && !Instant.now().isBefore(caller.expiresAt())) {
            server.log().increment("asana.expired_tokens");
            return null;
        }
        return caller;
    }

    private SimResponse rateLimited(long retryAfter) {
        server.log().increment("asana.rate_limited");
        return AsanaError.envelope(429, List.of("You've made too many requests and hit a rate limit."
                + " Please retry after the given amount of time.")).header("Retry-After", String.valueOf(retryAfter));
    }

    /**
     * {@code POST /batch}: up to 10 actions, each served as a request of its own and answered in order. Each action
     * counts against the budget and the concurrency limits, the batch itself not; if one would exceed a limit, the
     * whole batch is refused with 429.
     */
    private SimResponse batch(SimRequest request) {
        Caller caller = caller(request);
        if (caller == null) {
            server.log().increment("asana.unauthorized");
            return AsanaError.envelope(401, List.of("Not Authorized"));
        }
        SpecValidator.Result check = validator.validate("POST", "/batch", request.query(), request.body());
        if (!check.errors().isEmpty()) {
            server.log().increment("asana.invalid_requests");
            return AsanaError.envelope(400, check.errors());
        }
        JsonNode actions = request.json().path("data").path("actions");
        if (actions.isEmpty() || actions.size() > MAX_BATCH_ACTIONS) {
            return AsanaError.envelope(400, List.of("data.actions: a batch holds 1 to " + MAX_BATCH_ACTIONS + " actions"));
        }
        int writes = 0;
        for (JsonNode action : actions) {
            writes += READ_METHODS.contains(action.path("method").asText()) ? 0 : 1;
        }
        int reads = actions.size() - writes;
        server.log().add(BUDGET_COUNTED, actions.size());
        Long retryAfter = limits.admitAll(caller.token(), reads, writes);
        if (retryAfter != null) {
            return rateLimited(retryAfter);
        }
        try {
            ArrayNode results = Json.MAPPER.createArrayNode();
            for (JsonNode action : actions) {
                results.add(batchAction(request, action));
            }
            return SimResponse.json(200, Map.of("data", results));
        } finally {
            limits.release(caller.token(), reads, writes);
        }
    }

    private ObjectNode batchAction(SimRequest batch, JsonNode action) {
        String method = action.path("method").asText().toUpperCase(Locale.ROOT);
        String path = action.path("relative_path").asText();
        SimResponse response;
        if (!path.startsWith("/") || path.contains("?")) {
            response = AsanaError.envelope(400, List.of("relative_path: a path, with query parameters in data"));
        } else if (path.equals("/batch") || path.startsWith("/batch/")) {
            response = AsanaError.envelope(400, List.of("relative_path: a batch cannot hold a batch"));
        } else {
            Map<String, String> query = new LinkedHashMap<>();
            byte[] body = new byte[0];
            JsonNode data = action.path("data");
            if (READ_METHODS.contains(method.toLowerCase(Locale.ROOT)) || method.equals("DELETE")) {
                data.properties().forEach(e -> query.put(e.getKey(), text(e.getValue())));
            } else if (!data.isMissingNode()) {
                body = Json.MAPPER.createObjectNode().set("data", data).toString().getBytes(StandardCharsets.UTF_8);
            }
            JsonNode options = action.path("options");
            if (options.has("fields")) {
                query.put("opt_fields", text(options.get("fields")));
            }
            for (String paging : List.of("limit", "offset")) {
                if (options.has(paging)) {
                    query.put(paging, options.get(paging).asText());
                }
            }
            StringBuilder rawQuery = new StringBuilder();
            query.forEach((name, value) -> rawQuery.append(rawQuery.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            response = server.serveNested(batch, method, API + path, rawQuery.toString(),
                    Map.of("Authorization", List.of(batch.header("Authorization")), "Content-Type", List.of("application/json")),
                    body);
            if (response == null) {
                response = AsanaError.envelope(404, List.of("No matching route for request"));
            }
        }
        ObjectNode result = Json.MAPPER.createObjectNode().put("status_code", response.status());
        ObjectNode headers = result.putObject("headers");
        response.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                headers.put(name.toLowerCase(Locale.ROOT), value);
            }
        });
        try {
            result.set("body", response.body().length == 0 ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("the simulator answered an action with malformed JSON", e);
        }
        return result;
    }

    /** A batch action's data value as a query parameter: arrays comma-separated, as opt_fields are. */
    private static String text(JsonNode value) {
        if (!value.isArray()) {
            return value.asText();
        }
        List<String> items = new ArrayList<>();
        value.forEach(v -> items.add(v.asText()));
        return String.join(",", items);
    }

    private SimResponse search(SimRequest request, Caller caller, Map<String, String> path) {
        ObjectNode workspace = AsanaState.require(state.workspaces, path.get("workspace_gid"), "workspace");
        if (!workspace.path("is_premium").asBoolean()) {
            throw new AsanaError(402, "Search is only available to premium users.");
        }
        Map<String, String> q = request.query();
        String subtype = q.getOrDefault("resource_subtype", "milestone");
        String after = q.get("created_at.after");
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode task : state.allTasks(workspace.get("gid").asText())) {
            if (!task.get("resource_subtype").asText().equals(subtype)
                    || after != null && task.get("created_at").asText().compareTo(normalizeInstant(after)) <= 0
                    || q.containsKey("projects.any") && task.get("projects").findValuesAsText("gid").stream()
                            .noneMatch(List.of(q.get("projects.any").split(","))::contains)) {
                continue;
            }
            boolean matches = true;
            for (Map.Entry<String, String> e : q.entrySet()) {
                if (e.getKey().startsWith("custom_fields.")) {
                    String[] parts = e.getKey().split("\\.");
                    matches &= customFieldMatches(task, parts[1], parts[2], e.getValue());
                }
            }
            if (matches) {
                found.add(task);
            }
        }
        String sortKey = q.getOrDefault("sort_by", "modified_at").replace("due_date", "due_on");
        Comparator<ObjectNode> order = Comparator.comparing(t -> t.path(sortKey).asText(""));
        found.sort("true".equals(q.get("sort_ascending")) ? order : order.reversed());
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        ArrayNode data = Json.MAPPER.createArrayNode();
        found.stream().limit(limit).forEach(t -> data.add(project(request, t, true)));
        return SimResponse.json(200, Map.of("data", data));
    }

    private static String normalizeInstant(String text) {
        return AsanaState.format(java.time.OffsetDateTime.parse(text).toInstant());
    }

    private static boolean customFieldMatches(ObjectNode task, String fieldGid, String op, String expected) {
        for (JsonNode value : task.get("custom_fields")) {
            if (!value.get("gid").asText().equals(fieldGid)) {
                continue;
            }
            JsonNode actual = switch (value.get("resource_subtype").asText()) {
                case "text" -> value.get("text_value");
                case "number" -> value.get("number_value");
                case "enum" -> value.path("enum_value").path("gid");
                case "date" -> value.path("date_value").path("date");
                default -> throw AsanaError.badRequest("custom_fields." + fieldGid + ": Cannot search this field type");
            };
            boolean set = actual != null && !actual.isNull() && !actual.isMissingNode();
            return switch (op) {
                case "is_set" -> set == Boolean.parseBoolean(expected);
                case "value" -> set && (actual.isNumber() ? actual.decimalValue().compareTo(new BigDecimal(expected)) == 0
                        : actual.asText().equals(expected));
                case "contains" -> set && actual.asText().contains(expected);
                case "starts_with" -> set && actual.asText().startsWith(expected);
                case "ends_with" -> set && actual.asText().endsWith(expected);
                case "less_than" -> set && actual.decimalValue().compareTo(new BigDecimal(expected)) < 0;
                case "greater_than" -> set && actual.decimalValue().compareTo(new BigDecimal(expected)) > 0;
                default -> throw AsanaError.badRequest("custom_fields." + fieldGid + "." + op + ": Unknown filter");
            };
        }
        return false;
    }

    private SimResponse events(SimRequest request, Caller caller, Map<String, String> path) {
        String resource = request.query().get("resource");
        if (!state.exists(resource)) {
            throw AsanaError.notFound("resource");
        }
        String sync = request.query().get("sync");
        String[] position = sync == null ? null : syncTokens.get(sync);
        if (position == null || !position[0].equals(resource)) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putArray("errors").addObject().put("message", "Sync token invalid or too old. If you are attempting"
                    + " to keep resources in sync, you must fetch the full dataset for this query now and use the"
                    + " new sync token for the next sync.");
            body.put("sync", newSyncToken(resource, state.lastEventSeq()));
            return SimResponse.json(412, body);
        }
        List<AsanaState.Event> found = state.eventsFor(resource, Long.parseLong(position[1]), EVENTS_PER_CALL);
        boolean more = found.size() > EVENTS_PER_CALL;
        List<AsanaState.Event> batch = more ? found.subList(0, EVENTS_PER_CALL) : found;
        long last = batch.isEmpty() ? Long.parseLong(position[1]) : batch.get(batch.size() - 1).seq();
        Projection projection = Projection.parse(request.query().get("opt_fields"));
        ArrayNode data = Json.MAPPER.createArrayNode();
        batch.forEach(e -> data.add(projection == null ? e.json() : projection.apply(e.json())));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", data);
        body.put("sync", newSyncToken(resource, last)).put("has_more", more);
        return SimResponse.json(200, body);
    }

    private String newSyncToken(String resource, long seq) {
        String token = UUID.randomUUID().toString().replace("-", "");
        syncTokens.put(token, new String[] {resource, String.valueOf(seq)});
        return token;
    }

    private Map<String, String> issueAccessToken(String token, String userGid, Instant expiresAt) {
        tokens.put(token, new Caller(token, userGid, true, expiresAt));
        ObjectNode user = state.users.get(userGid);
        return Map.of("id", userGid, "name", user.get("name").asText(), "email", user.get("email").asText());
    }

    // ---- control API

    private void registerControl() {
        server.controlRoute("POST", "/_sim/workspaces", r -> control(() -> state.addWorkspace(
                r.json().path("name").asText("Workspace"), r.json().path("premium").asBoolean(true))));
        server.controlRoute("POST", "/_sim/users", r -> control(() -> state.addUser(
                r.json().path("name").asText("User"), r.json().path("email").asText(UUID.randomUUID() + "@example.com"))));
        server.controlRoute("POST", "/_sim/tokens", r -> control(() -> {
            JsonNode body = r.json();
            AsanaState.require(state.users, body.path("user").asText(), "user");
            addToken(body.path("token").asText(), body.path("user").asText(), body.path("oauth").asBoolean(false));
            return Json.MAPPER.createObjectNode().put("token", "accepted");
        }));
        server.controlRoute("POST", "/_sim/oauth/grants", r -> control(() -> Json.MAPPER.createObjectNode()
                .put("refresh_token", addRefreshToken(AsanaState.require(state.users, r.json().path("user").asText(),
                        "user").get("gid").asText()))
                .put("client_id", oauth.clientId()).put("client_secret", oauth.clientSecret())
                .put("token_url", tokenUrl()).put("authorize_url", authorizeUrl())));
        server.controlRoute("POST", "/_sim/oauth/consent", r -> control(() -> {
            consentAs(r.json().path("user").asText());
            return Json.MAPPER.createObjectNode().put("consenting_user", r.json().path("user").asText());
        }));
        server.controlRoute("POST", "/_sim/projects", r -> control(() -> state.addProject(
                r.json().path("workspace").asText(), r.json().path("name").asText("Project"))));
        server.controlRoute("POST", "/_sim/sections", r -> control(() -> state.addSection(
                r.json().path("project").asText(), r.json().path("name").asText("Section"))));
        server.controlRoute("POST", "/_sim/custom_fields", r -> control(() -> {
            JsonNode b = r.json();
            List<String> options = new ArrayList<>();
            b.path("enum_options").forEach(o -> options.add(o.asText()));
            List<String> projects = new ArrayList<>();
            b.path("projects").forEach(o -> projects.add(o.asText()));
            String gid = addCustomField(b.path("workspace").asText(), b.path("name").asText(),
                    b.path("resource_subtype").asText(), b.hasNonNull("precision") ? b.get("precision").asInt() : null,
                    b.path("format").asText(null), b.path("currency_code").asText(null), options, projects);
            return field(state.customFields.get(gid));
        }));
        server.controlRoute("POST", "/_sim/seed", r -> control(() -> Json.MAPPER.valueToTree(
                seedPurchaseOrderProject(r.json().path("token").asText()))));
        server.controlRoute("POST", "/_sim/projects/([^/]+)/tasks", r -> control(() -> Json.MAPPER.valueToTree(
                seedTasks(r.group(1), AsanaState.require(state.users, r.json().path("user").asText(), "user")
                        .get("gid").asText(), r.json().path("count").asInt(1)))));
        server.controlRoute("POST", "/_sim/tasks/([^/]+)/change", r -> control(() -> {
            JsonNode b = r.json();
            AsanaState.require(state.users, b.path("user").asText(), "user");
            return state.updateTask(r.group(1), b.path("data"), b.path("user").asText(), true);
        }));
        server.controlRoute("POST", "/_sim/tasks/([^/]+)/complete", r -> control(() -> {
            JsonNode b = r.json();
            AsanaState.require(state.users, b.path("user").asText(), "user");
            return state.updateTask(r.group(1), Json.MAPPER.createObjectNode()
                    .put("completed", b.path("completed").asBoolean(true)), b.path("user").asText(), true);
        }));
        server.controlRoute("DELETE", "/_sim/webhooks/([^/]+)", r -> deleteWebhookAsAsana(r.group(1))
                ? SimResponse.empty(204) : AsanaError.notFound("webhook").response());
        server.controlRoute("POST", "/_sim/events/expire", r -> {
            expireSyncTokens();
            return SimResponse.empty(204);
        });
        server.controlRoute("GET", "/_sim/state", r -> {
            synchronized (state) {
                return SimResponse.json(200, Map.of("workspaces", state.workspaces.size(), "projects",
                        state.projects.size(), "tasks", state.tasks.size(), "custom_fields", state.customFields.size(),
                        "stories", state.stories.size()));
            }
        });
    }

    private interface ControlAction {
        JsonNode run();
    }

    private static SimResponse control(ControlAction action) {
        try {
            return SimResponse.json(200, action.run());
        } catch (AsanaError e) {
            return e.response();
        }
    }

    // ---- response shaping

    private static JsonNode data(SimRequest request) {
        return request.json().path("data");
    }

    private ObjectNode user(String gid, Caller caller) {
        String resolved = gid.equals("me") ? caller.user() : gid;
        return AsanaState.require(state.users, resolved, "user");
    }

    private ObjectNode task(String gid) {
        return state.renderTask(gid, false);
    }

    /**
     * A custom field's definition. Asana answers every field asked for in opt_fields, including the conditional
     * ones for types they do not apply to (measured through a spec-checking proxy, issue 22); their values here
     * are inferred from the spec's descriptions: precision 0, format "none", currency_code null, no enum options.
     */
    private ObjectNode field(ObjectNode field) {
        ObjectNode out = field.deepCopy();
        out.remove("workspace_gid");
        if (!out.has("precision")) {
            out.put("precision", 0).put("format", "none").putNull("currency_code");
        }
        if (!out.has("enum_options")) {
            out.putArray("enum_options");
        }
        return out;
    }

    private List<ObjectNode> list(Map<String, ObjectNode> map) {
        synchronized (state) {
            return new ArrayList<>(map.values());
        }
    }

    private static SimResponse single(SimRequest request, ObjectNode full) {
        return SimResponse.json(200, Map.of("data", project(request, full, false)));
    }

    private static SimResponse created(SimRequest request, ObjectNode full) {
        return SimResponse.json(201, Map.of("data", project(request, full, false)))
                .header("Location", API + "/" + full.get("resource_type").asText() + "s/" + full.get("gid").asText());
    }

    private static ObjectNode project(SimRequest request, ObjectNode full) {
        return project(request, full, false);
    }

    private static ObjectNode project(SimRequest request, ObjectNode full, boolean compactByDefault) {
        Projection projection = Projection.parse(request.query().get("opt_fields"));
        if (projection != null) {
            return projection.apply(full);
        }
        return compactByDefault ? Projection.compact(full) : full;
    }

    /** Offset pagination: limit 1-100 (validated by the spec), opaque offset, next_page null on the last page. */
    private static SimResponse page(SimRequest request, List<ObjectNode> all) {
        return page(request, all, Function.identity());
    }

    private static <T> SimResponse page(SimRequest request, List<T> all, Function<T, ObjectNode> render) {
        Map<String, String> q = request.query();
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        int start = 0;
        if (q.containsKey("offset")) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(q.get("offset")), StandardCharsets.UTF_8);
                start = Integer.parseInt(decoded.substring("page:".length()));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw AsanaError.badRequest("offset: Your pagination token is invalid");
            }
        }
        ArrayNode data = Json.MAPPER.createArrayNode();
        all.stream().skip(start).limit(limit).forEach(item -> data.add(project(request, render.apply(item), true)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("data", data);
        int next = start + limit;
        if (next < all.size()) {
            String offset = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("page:" + next).getBytes(StandardCharsets.UTF_8));
            String path = request.rawPath().substring(API.length()) + "?limit=" + limit + "&offset=" + offset;
            body.putObject("next_page").put("offset", offset).put("path", path)
                    .put("uri", "https://app.asana.com" + API + path);
        } else {
            body.putNull("next_page");
        }
        return SimResponse.json(200, body);
    }
}
