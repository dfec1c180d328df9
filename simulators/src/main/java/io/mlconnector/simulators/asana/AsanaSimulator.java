package io.mlconnector.simulators.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.simulators.common.Json;
import io.mlconnector.simulators.common.RequestLog;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stateful Asana on 127.0.0.1: the REST API under {@code /api/1.0} (validated against the vendored
 * spec, rate limited per token), OAuth refresh at {@code /-/oauth_token}, webhook delivery, and the
 * {@code /_sim/} control API (documented in {@code AsanaSimulatorMain}'s usage text).
 *
 * <p>This class wires the parts and offers the seeding methods tests call in-process: the workspace is
 * {@link AsanaState}, rendered by {@link Rendering}; every REST operation passes {@link ApiGate} and lives in a
 * route class per resource ({@link TaskRoutes}, {@link CustomFieldRoutes}, {@link ProjectRoutes}, {@link
 * WebhookRoutes}, {@link EventRoutes}, {@link SearchRoute}, {@link UserRoutes}), batches in {@link BatchRoute};
 * the control API is {@link ControlRoutes}.
 */
public final class AsanaSimulator implements AutoCloseable {
    public static final String API = "/api/1.0";
    /** The log counter of requests counted against budgets, as Asana counts them: each action of a batch, 429s too. */
    public static final String BUDGET_COUNTED = "asana.budget_counted";

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

    private final SimulatorHttpServer server;
    private final AsanaState state = new AsanaState(Clock.systemUTC());
    private final Rendering render = new Rendering(state);
    private final Tokens tokens = new Tokens(state);
    private final EventRoutes events = new EventRoutes(state);
    private final WebhookDispatcher webhooks;
    private final AsanaOAuthServer oauth;
    private final ApiGate gate;

    private AsanaSimulator(Config config) throws IOException {
        SpecValidator validator = SpecValidator.load();
        SimRateLimits limits = new SimRateLimits(config.budget(), config.window(), config.maxReads(),
                config.maxWrites());
        this.webhooks = new WebhookDispatcher(state, config.webhooks());
        this.oauth = new AsanaOAuthServer(tokens::issue, config.oauthTokenLifetime(), Clock.systemUTC());
        this.server = SimulatorHttpServer.start(config.port());
        this.gate = new ApiGate(server, validator, limits, tokens, config.checkAnswers());
        new BatchRoute(server, gate, validator, limits).register();
        new UserRoutes(state).register(gate);
        new SearchRoute(state, render).register(gate);
        new TaskRoutes(state, render).register(gate);
        new ProjectRoutes(state).register(gate);
        new CustomFieldRoutes(state, render).register(gate);
        new WebhookRoutes(state, webhooks).register(gate);
        events.register(gate);
        gate.routeUnimplemented();
        server.route("POST", "/-/oauth_token", "asana.oauth_token", oauth::token);
        server.route("GET", "/-/oauth_authorize", "asana.oauth_authorize", oauth::authorize);
        new ControlRoutes(this, state, render).register(server);
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
        return gate.answerProblems();
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
        tokens.add(token, userGid, oauth);
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
            gids.add(state.createTask(data, userGid, false).gid);
        }
        return gids;
    }

    /** Forgets every sync token, so the next events call answers 412 (as when Asana expires them). */
    public void expireSyncTokens() {
        events.expireSyncTokens();
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
        return PurchaseOrderSeed.seed(this, token);
    }

    @Override
    public void close() {
        webhooks.close();
        server.close();
    }
}
