package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.http.HttpClients;
import io.mlconnector.http.Json;
import io.mlconnector.http.RetryPolicy;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Asana's REST API for tasks, custom fields, webhooks and events. Thread-safe; every call passes
 * the per-token {@link RateLimiter}, sends {@code opt_fields} on reads and maps errors to
 * {@link AsanaException} subclasses. Works against app.asana.com or any base URL serving the same API.
 *
 * <p>{@link #close()} ends the client's use of its token's limiter; a client that is dropped unclosed ends it
 * when the garbage collector finds it unreachable.
 *
 * <p>Over 400 lines: one short method per Asana operation the connectors use, over the paging, batch and field
 * handling they share; the transport, limits and credentials live in classes of their own.
 *
 * <p>Over 400 lines: the one entry point over every resource the connectors use; each method is one call.
 */
public final class AsanaClient implements AutoCloseable {
    public static final String DEFAULT_BASE_URL = "https://app.asana.com/api/1.0";
    /** Asana's page size cap. */
    public static final int PAGE_SIZE = 100;
    /** Asana's cap on the actions of one batch call. */
    public static final int BATCH_ACTIONS = 10;
    /** How long connecting may take, unless {@link Builder#httpClient} brings its own. */
    public static final Duration CONNECT_TIMEOUT = HttpClients.CONNECT_TIMEOUT;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /**
     * 5 calls in all, backoff from 1 s up to 30 s; up to 10 repeats after 429, each after a Retry-After of at most
     * 60 s. Asana's budget windows are a minute long; a longer Retry-After is not one to sit out.
     */
    public static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(5, 10, Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ofSeconds(60));

    // Gives back the limiter lease of a client dropped without close(), so it cannot pin its token's budget.
    private static final Cleaner LEASE_RETURNER = Cleaner.create();

    private final Transport transport;
    private final AsanaCredentials credentials;
    private final Cleaner.Cleanable leaseReturn;
    private final Map<String, CustomFieldCatalog> catalogs = new ConcurrentHashMap<>();

    private AsanaClient(Transport transport, RateLimiter.Lease lease, AsanaCredentials credentials) {
        this.transport = transport;
        this.credentials = credentials;
        this.leaseReturn = LEASE_RETURNER.register(this, lease::close);
    }

    public static Builder builder(AsanaCredentials credentials) {
        return new Builder(credentials);
    }

    /** The limiter shared by every client of this token: budget, use and counters. */
    public RateLimiter rateLimiter() {
        return transport.limiter();
    }

    // ---- users

    /**
     * The gid of the user this token acts as: the author of every change the connector makes. The gid comes with
     * any opt_fields; the spec's list for this operation names no "gid".
     */
    public String currentUserGid() {
        return data(transport.call("GET", List.of("users", "me"), fields("name"), null, true))
                .path("gid").asText();
    }

    // ---- tasks

    /** Creates a task in one POST. Never retried on 5xx or timeout: see {@link AsanaIOException#outcomeUnknown()}. */
    public Task createTask(TaskRequest request) {
        requireOAuthFor(request.usesExternal());
        return Task.from(data(transport.call("POST", List.of("tasks"), taskFields(), request.json(), false)));
    }

    public Task updateTask(String taskGid, TaskUpdate update) {
        requireOAuthFor(update.usesExternal());
        return Task.from(data(transport.call("PUT", List.of("tasks", taskGid), taskFields(), update.json(), true)));
    }

    public Task getTask(String taskGid) {
        return Task.from(data(transport.call("GET", List.of("tasks", taskGid), taskFields(), null, true)));
    }

    /**
     * The tasks, read through Asana's batch API, up to {@link #BATCH_ACTIONS} to a call, one call after another;
     * empty for a task that no longer exists. Each read counts against the budget as a request of its own: a batch
     * saves round trips, not budget. A read that the batch answered with another error is made again on its own,
     * with the usual retries.
     */
    public Map<String, Optional<Task>> getTasks(Collection<String> taskGids) {
        Map<String, Optional<Task>> tasks = new LinkedHashMap<>();
        for (List<String> batch : batches(taskGids)) {
            tasks.putAll(readBatch(batch));
        }
        return tasks;
    }

    /**
     * {@link #getTasks(Collection)} with the batch calls run on {@code calls}, side by side as far as it has threads:
     * the caller waits for the slowest call, not for the sum of them. The budget and Asana's concurrency limits
     * still hold, as for every call.
     */
    public Map<String, Optional<Task>> getTasks(Collection<String> taskGids, Executor calls) {
        List<CompletableFuture<Map<String, Optional<Task>>>> reads = new ArrayList<>();
        for (List<String> batch : batches(taskGids)) {
            reads.add(CompletableFuture.supplyAsync(() -> readBatch(batch), calls));
        }
        Map<String, Optional<Task>> tasks = new LinkedHashMap<>();
        try {
            for (CompletableFuture<Map<String, Optional<Task>>> read : reads) {
                tasks.putAll(read.join());
            }
        } catch (CompletionException e) {
            reads.forEach(read -> read.cancel(false));
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return tasks;
    }

    /** The distinct gids in batches of {@link #BATCH_ACTIONS}, fewer when the budget is smaller (a test's, say). */
    private List<List<String>> batches(Collection<String> taskGids) {
        List<String> gids = List.copyOf(new LinkedHashSet<>(taskGids));
        int perCall = Math.min(BATCH_ACTIONS, transport.limiter().allowance());
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < gids.size(); from += perCall) {
            batches.add(gids.subList(from, Math.min(gids.size(), from + perCall)));
        }
        return batches;
    }

    private Map<String, Optional<Task>> readBatch(List<String> batch) {
        List<String> fields = List.of(taskFields().get("opt_fields").split(","));
        ObjectNode data = Json.MAPPER.createObjectNode();
        ArrayNode actions = data.putArray("actions");
        for (String gid : batch) {
            ObjectNode action = actions.addObject().put("relative_path", "/tasks/" + gid).put("method", "get");
            ArrayNode optFields = action.putObject("options").putArray("fields");
            fields.forEach(optFields::add);
        }
        JsonNode results = data(transport.batchOfReads(data, batch.size()));
        if (!results.isArray() || results.size() != batch.size()) {
            throw new AsanaException(200, List.of("POST /batch answered " + results.size() + " results for "
                    + batch.size() + " actions"), null);
        }
        Map<String, Optional<Task>> tasks = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode result = results.get(i);
            int status = result.path("status_code").asInt();
            JsonNode task = result.path("body").path("data");
            if (status == 200 && task.isObject()) {
                tasks.put(batch.get(i), Optional.of(Task.from(task)));
            } else if (status == 404) {
                tasks.put(batch.get(i), Optional.empty());
            } else {
                tasks.put(batch.get(i), readAlone(batch.get(i)));
            }
        }
        return tasks;
    }

    private Optional<Task> readAlone(String taskGid) {
        try {
            return Optional.of(getTask(taskGid));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The task whose {@code external.gid} is {@code externalGid} (OAuth only), or empty. */
    public Optional<Task> findTaskByExternalId(String externalGid) {
        requireOAuthFor(true);
        try {
            return Optional.of(getTask("external:" + externalGid));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    public Page<Task> listProjectTasks(String projectGid, String offset) {
        return page(List.of("projects", projectGid, "tasks"), taskFields(), offset, Task::from);
    }

    /** Every task of the project, fetched page by page (100 per call) as the stream is consumed. */
    public Stream<Task> projectTasks(String projectGid) {
        return all(offset -> listProjectTasks(projectGid, offset));
    }

    /**
     * The project's tasks modified at or after {@code since} ({@code GET /tasks?project=&modified_since=}),
     * the strongly consistent way to find recent changes, e.g. a task a failed create may have made.
     */
    public Stream<Task> projectTasksModifiedSince(String projectGid, Instant since) {
        return all(offset -> {
            Map<String, String> query = taskFields();
            query.put("project", projectGid);
            query.put("modified_since", since.toString());
            return page(List.of("tasks"), query, offset, Task::from);
        });
    }

    /**
     * Tasks whose custom field equals {@code value} (text, number, date {@code YYYY-MM-DD}, or an enum
     * option gid). Search is premium-only (402 otherwise), limited to 60 calls a minute and eventually
     * consistent, so it is for recovery, never for dedupe right after a create. Pages by creation time.
     */
    public List<Task> searchTasksByCustomField(String workspaceGid, CustomField field, String value) {
        List<Task> found = new ArrayList<>();
        String after = null;
        while (true) {
            Map<String, String> query = taskFields();
            query.put("resource_subtype", "default_task");
            query.put("custom_fields." + field.gid() + ".value", value);
            query.put("sort_by", "created_at");
            query.put("sort_ascending", "true");
            query.put("limit", String.valueOf(PAGE_SIZE));
            query.put("created_at.after", after);
            JsonNode page = data(transport.call("GET", List.of("workspaces", workspaceGid, "tasks", "search"),
                    query, null, true));
            page.forEach(t -> found.add(Task.from(t)));
            if (page.size() < PAGE_SIZE) {
                return found;
            }
            after = found.get(found.size() - 1).createdAt().toString();
        }
    }

    public Story addComment(String taskGid, String text) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("text", text);
        return Story.from(data(transport.call("POST", List.of("tasks", taskGid, "stories"),
                fields(Story.FIELDS), data, false)));
    }

    public Page<Story> listStories(String taskGid, String offset) {
        return page(List.of("tasks", taskGid, "stories"), fields(Story.FIELDS), offset, Story::from);
    }

    // ---- sections

    public List<Section> listSections(String projectGid) {
        return all(offset -> page(List.of("projects", projectGid, "sections"), fields("name"), offset,
                Section::from)).toList();
    }

    public Section createSection(String projectGid, String name) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("name", name);
        return Section.from(data(transport.call("POST", List.of("projects", projectGid, "sections"),
                fields("name"), data, false)));
    }

    /** Moves the task into the section (and out of the project's other sections); safe to repeat. */
    public void addTaskToSection(String sectionGid, String taskGid) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("task", taskGid);
        transport.call("POST", List.of("sections", sectionGid, "addTask"), new LinkedHashMap<>(), data, true);
    }

    // ---- custom fields

    public List<CustomField> listWorkspaceCustomFields(String workspaceGid) {
        return all(offset -> page(List.of("workspaces", workspaceGid, "custom_fields"), fields(CustomField.FIELDS),
                offset, CustomField::from)).toList();
    }

    public List<CustomFieldSetting> listProjectCustomFieldSettings(String projectGid) {
        return all(offset -> page(List.of("projects", projectGid, "custom_field_settings"),
                fields(CustomFieldSetting.FIELDS), offset, CustomFieldSetting::from)).toList();
    }

    public CustomField getCustomField(String customFieldGid) {
        return CustomField.from(data(transport.call("GET", List.of("custom_fields", customFieldGid),
                fields(CustomField.FIELDS), null, true)));
    }

    /** The workspace's fields by name, read once per client and workspace. */
    public CustomFieldCatalog customFields(String workspaceGid) {
        return catalogs.computeIfAbsent(workspaceGid,
                gid -> new CustomFieldCatalog(gid, listWorkspaceCustomFields(gid)));
    }

    /** Reads the workspace's fields again, e.g. after meeting an unknown field or option gid. */
    public CustomFieldCatalog refreshCustomFields(String workspaceGid) {
        catalogs.remove(workspaceGid);
        return customFields(workspaceGid);
    }

    /** The field's options, disabled ones included. */
    public List<EnumOption> listEnumOptions(String customFieldGid) {
        return getCustomField(customFieldGid).enumOptions();
    }

    /**
     * Adds an option at the end of an enum or multi_enum field. Fails with {@link IllegalStateException}
     * when the field already has {@value CustomField#MAX_ENUM_OPTIONS} options (disabled ones count).
     */
    public EnumOption createEnumOption(CustomField field, String name, String color) {
        if (field.type() != CustomFieldType.ENUM && field.type() != CustomFieldType.MULTI_ENUM) {
            throw new IllegalArgumentException(field.name() + " is not an enum field");
        }
        if (field.enumOptions().size() >= CustomField.MAX_ENUM_OPTIONS) {
            throw new IllegalStateException(field.name() + " already has " + CustomField.MAX_ENUM_OPTIONS
                    + " options, Asana's cap; disable or reuse one");
        }
        ObjectNode data = Json.MAPPER.createObjectNode().put("name", name);
        if (color != null) {
            data.put("color", color);
        }
        return EnumOption.from(data(transport.call("POST", List.of("custom_fields", field.gid(), "enum_options"),
                fields("name,enabled,color"), data, false)));
    }

    // ---- webhooks

    /**
     * Registers a webhook. Asana performs the handshake with {@code target} before answering, so the
     * receiver must already be serving and echo {@code X-Hook-Secret}.
     */
    public WebhookCreated createWebhook(String resourceGid, String target, List<WebhookFilter> filters) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("resource", resourceGid).put("target", target);
        if (!filters.isEmpty()) {
            filters.forEach(f -> data.withArray("filters").add(f.json()));
        }
        ObjectNode answer = transport.call("POST", List.of("webhooks"), fields(Webhook.FIELDS), data, false);
        return new WebhookCreated(Webhook.from(data(answer)), JsonFields.text(answer, "X-Hook-Secret"));
    }

    /** This app's webhooks in the workspace, optionally only those on {@code resourceGid}. */
    public List<Webhook> listWebhooks(String workspaceGid, String resourceGid) {
        return all(offset -> {
            Map<String, String> query = fields(Webhook.FIELDS);
            query.put("workspace", workspaceGid);
            query.put("resource", resourceGid);
            return page(List.of("webhooks"), query, offset, Webhook::from);
        }).toList();
    }

    public Webhook getWebhook(String webhookGid) {
        return Webhook.from(data(transport.call("GET", List.of("webhooks", webhookGid), fields(Webhook.FIELDS),
                null, true)));
    }

    public void deleteWebhook(String webhookGid) {
        transport.call("DELETE", List.of("webhooks", webhookGid), new LinkedHashMap<>(), null, true);
    }

    // ---- events

    /** A stream of the resource's events from {@code token}, or from now when {@code token} is null. */
    public EventStream events(String resourceGid, SyncToken token) {
        return new EventStream(this, resourceGid, token);
    }

    /** One events call. Throws {@link SyncTokenExpiredException} (with a fresh token) on 412. */
    public EventBatch getEvents(String resourceGid, SyncToken token) {
        // resource and parent compact (gid, resource_type, name), so with their types: without them a change to a
        // task and one to a story look alike; the spec's opt_fields for events go no deeper than .name
        Map<String, String> query = fields("user.name,resource,parent,created_at,action,change");
        query.put("resource", resourceGid);
        query.put("sync", token == null ? null : token.value());
        ObjectNode answer = transport.call("GET", List.of("events"), query, null, true);
        return new EventBatch(Event.list(answer.path("data")), new SyncToken(answer.path("sync").asText()),
                answer.path("has_more").asBoolean(false));
    }

    /** A token marking "now" for the resource: Asana's answer to a call without one is 412 carrying it. */
    SyncToken startEvents(String resourceGid) {
        try {
            return getEvents(resourceGid, null).sync();
        } catch (SyncTokenExpiredException e) {
            return e.freshToken();
        }
    }

    // ---- plumbing

    private <T> Page<T> page(List<String> segments, Map<String, String> query, String offset,
            Function<JsonNode, T> mapper) {
        query.put("limit", String.valueOf(PAGE_SIZE));
        query.put("offset", offset);
        ObjectNode answer = transport.call("GET", segments, query, null, true);
        List<T> items = new ArrayList<>();
        answer.path("data").forEach(item -> items.add(mapper.apply(item)));
        JsonNode next = answer.path("next_page");
        return new Page<>(items, Optional.ofNullable(next.isObject() ? JsonFields.text(next, "offset") : null));
    }

    private static <T> Stream<T> all(Function<String, Page<T>> fetch) {
        Iterator<T> items = new Iterator<>() {
            private Iterator<T> current = List.<T>of().iterator();
            private Optional<String> next = Optional.empty();
            private boolean started;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && (!started || next.isPresent())) {
                    Page<T> page = fetch.apply(next.orElse(null));
                    started = true;
                    current = page.items().iterator();
                    next = page.nextOffset();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED), false);
    }

    private Map<String, String> taskFields() {
        return fields(credentials.isOAuth() ? Task.FIELDS + ",external" : Task.FIELDS);
    }

    private static Map<String, String> fields(String optFields) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("opt_fields", optFields);
        return query;
    }

    private static JsonNode data(ObjectNode answer) {
        return answer.path("data");
    }

    private void requireOAuthFor(boolean usesExternal) {
        if (usesExternal && !credentials.isOAuth()) {
            throw new IllegalStateException("the task external field needs an OAuth token; a PAT cannot use it");
        }
    }

    /**
     * Ends this client's use of its token's rate limiter; later calls fail with {@link IllegalStateException}.
     * When the last client of a token has closed, a client with another budget may use the token.
     */
    @Override
    public void close() {
        transport.close();
        leaseReturn.clean();
    }

    @Override
    public String toString() {
        return "AsanaClient{" + credentials + ", " + transport.limiter() + "}";
    }

    /** Configures a client; only the credentials are required. */
    public static final class Builder {
        private final AsanaCredentials credentials;
        private String baseUrl = DEFAULT_BASE_URL;
        private int budgetPerMinute = RateLimiter.FREE_BUDGET_PER_MINUTE;
        private Duration budgetWindow = Duration.ofMinutes(1);
        private int share;
        private RetryPolicy retryPolicy = DEFAULT_RETRY;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private OkHttpClient http;

        private Builder(AsanaCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * Requests per window for this token: 150 on free workspaces, 1,500 on paid ones. Every client of one token
         * in the JVM must ask the same budget: {@link #build()} throws {@link RateLimiter.BudgetConflictException}
         * while clients with another budget use the token.
         */
        public Builder budget(int requests, Duration window) {
            this.budgetPerMinute = requests;
            this.budgetWindow = window;
            return this;
        }

        /**
         * The part of the budget this client may spend, in requests per window; the whole budget unless told. The
         * token's limiter in this JVM lets through the shares of its clients together, at most the budget, so
         * clients in several JVMs keep to the token's budget when their shares add up to no more than it.
         */
        public Builder share(int requests) {
            this.share = requests;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /**
         * How long an answer may keep silent before the call counts as failed. Default 60 s. A whole call, body
         * included, may take the connect timeout (10 s) plus twice this. Ignored with {@link #httpClient}.
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /**
         * The HTTP client to derive from (timeouts, proxies); its connection retries are switched off, and when it
         * has no call timeout it gets one derived from its own: its connect timeout plus twice its read timeout.
         */
        public Builder httpClient(OkHttpClient http) {
            this.http = http;
            return this;
        }

        /**
         * @throws RateLimiter.BudgetConflictException when other clients in this JVM use the token with another budget
         */
        public AsanaClient build() {
            OkHttpClient base = this.http != null ? this.http
                    : HttpClients.root().newBuilder().readTimeout(requestTimeout).build();
            OkHttpClient.Builder http = base.newBuilder()
                    // OkHttp would silently resend a POST on some connection failures; our policy decides.
                    .retryOnConnectionFailure(false)
                    // Room for as many connections as the connectors use at once (the webhook source reads with
                    // 10 threads, the sink writes up to 15 at a time), so a burst does not close and reopen TLS
                    // connections; kept shorter than common server idle timeouts, so one is rarely stale.
                    .connectionPool(new ConnectionPool(16, 20, TimeUnit.SECONDS));
            if (base.callTimeoutMillis() == 0) {
                http.callTimeout(callTimeout(base));
            }
            OkHttpClient client = http.build();
            HttpUrl url = HttpUrl.get(baseUrl);
            RateLimiter.Lease lease = RateLimiter.lease(credentials.limiterKey(), budgetPerMinute, budgetWindow,
                    share > 0 ? share : budgetPerMinute);
            return new AsanaClient(new Transport(url, credentials, client, lease.limiter(), retryPolicy), lease,
                    credentials);
        }

        /** The longest a whole call may take: see {@link HttpClients#callTimeout}; 130 s by default. */
        static Duration callTimeout(OkHttpClient http) {
            return HttpClients.callTimeout(http, DEFAULT_REQUEST_TIMEOUT);
        }
    }
}
