package io.mlconnector.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mlconnector.it.asana.PurchaseOrderRecords;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.Webhook;
import io.mlconnector.it.Await;
import io.mlconnector.it.ConnectRest;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.demo.Pipeline;
import io.mlconnector.it.demo.SimulatedSystems;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The whole approval loop of one reliability test: both simulators, fresh topics, and the example
 * connectors of both queues (purchase orders, and AP's invoices with their payments) under names of their
 * own, so no offset or consumer group of an earlier run carries over. Counts what the suite scores: purchase
 * orders, tasks per PO number, approvals per PO in M3; invoices, tasks per invoice, approved invoice batches.
 */
final class PipelineRun implements AutoCloseable {

    static final String PURCHASE_ORDERS = "infor.ACME_TST.purchase-orders";
    static final String INVOICES = "infor.ACME_TST.supplier-invoices";
    static final String TASK_EVENTS = "asana.task-events";
    static final String AUDIT = "ml.audit";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KafkaConnectCluster cluster;
    private final SimulatedSystems systems;
    private final Pipeline pipeline;
    private final List<String> restAnswers = new ArrayList<>();
    private int invoiceCount;

    private PipelineRun(KafkaConnectCluster cluster, SimulatedSystems systems, Pipeline pipeline) {
        this.cluster = cluster;
        this.systems = systems;
        this.pipeline = pipeline;
    }

    /**
     * Starts the simulators with {@code purchaseOrders} seeded POs, and registers the pipeline after
     * {@code tune} adjusted its configs and, once they validated, {@code arm} prepared the simulators
     * (faults, for instance). Returns once every connector runs.
     */
    static PipelineRun start(KafkaConnectCluster cluster, String name, int purchaseOrders, IonSimulatorConfig ion,
            AsanaSimulator.Config asana, Consumer<Pipeline> tune, Consumer<SimulatedSystems> arm) throws Exception {
        cluster.topics().recreate(3, PURCHASE_ORDERS, TASK_EVENTS);
        cluster.topics().recreate(1, INVOICES, "infor.ACME_TST.suppliers", "infor.ACME_TST.payments",
                "infor.ACME_TST.gl-accounts", AUDIT, "ml.dlq.asana-sink", "ml.dlq.asana-sink-invoices",
                "ml.dlq.asana-sink-payments", "ml.dlq.infor-sink", "asana.webhook-source.checkpoints",
                "asana.ap-webhook-source.checkpoints", "ml.task-ledger");
        Path secrets = Files.createDirectories(cluster.workDir().resolve(name + "-" + UUID.randomUUID()));
        SimulatedSystems systems = SimulatedSystems.start(secrets,
                ion.withVolumes(purchaseOrders, purchaseOrders / 10, 10), asana);
        PipelineRun run = new PipelineRun(cluster, systems,
                new Pipeline(secrets, systems.locations(cluster), "-" + name));
        try {
            // Recover undelivered events after 10 s instead of 30: the tests wait less, the logic is the same.
            run.pipeline.config(Pipeline.WEBHOOK_SOURCE).put("catchup.grace.ms", "10000");
            run.pipeline.config(Pipeline.WEBHOOK_SOURCE).put("catchup.interval.ms", "5000");
            tune.accept(run.pipeline);
            List<String> problems = run.pipeline.validate(cluster.rest());
            if (!problems.isEmpty()) {
                throw new AssertionError("the pipeline does not validate: " + problems);
            }
            run.invoiceCount = run.invoices().size();
            arm.accept(systems);
            run.register();
            for (String connector : run.pipeline.connectors()) {
                int tasks = Integer.parseInt(run.pipeline.config(connector).getOrDefault("tasks.max", "1"));
                cluster.rest().awaitRunning(run.pipeline.name(connector), tasks, Duration.ofSeconds(90));
            }
            return run;
        } catch (Exception | AssertionError e) {
            run.close();
            throw e;
        }
    }

    /**
     * Registers every connector. Connect validates a config live when it is PUT, so with faults armed a PUT can
     * meet an injected 5xx or 429: it is sent again, as an operator would, until it is taken.
     */
    private void register() throws InterruptedException {
        for (String connector : pipeline.connectors()) {
            Await.until(pipeline.name(connector) + " registered", Duration.ofSeconds(60), () -> {
                try {
                    cluster.rest().putConfig(pipeline.name(connector), pipeline.config(connector));
                    return true;
                } catch (ConnectRest.ConnectRestException e) {
                    if (e.status() == 400 && e.getMessage().matches("(?s).*HTTP (5\\d\\d|429).*")) {
                        return false; // an injected fault met by the live validation
                    }
                    throw e;
                }
            });
        }
    }

    SimulatedSystems systems() {
        return systems;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    String name(String connector) {
        return pipeline.name(connector);
    }

    /** PO numbers in M3 (all divisions the example reads). */
    Set<String> purchaseOrders() throws Exception {
        Set<String> numbers = new LinkedHashSet<>();
        get("m3/MPHEAD?limit=1000000").forEach(row -> numbers.add(row.path("PUNO").asText()));
        return numbers;
    }

    /** Invoice batches in M3, as {@code CONO/DIVI/INBN}, the invoice tasks' key. */
    Set<String> invoices() throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        get("m3/FAPIBH?limit=1000000").forEach(row -> keys.add(invoiceKey(row)));
        return keys;
    }

    /** Invoice batches M3 holds as approved (SUPA 20), as {@code CONO/DIVI/INBN}. */
    Set<String> approvedInvoices() throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        get("m3/FAPIBH?SUPA=20&limit=1000000").forEach(row -> keys.add(invoiceKey(row)));
        return keys;
    }

    /** AP's tasks by their invoice key. */
    Map<String, List<Task>> tasksByInvoice() {
        Map<String, List<Task>> tasks = new HashMap<>();
        systems.reviewer().projectTasks(systems.apProject()).forEach(task -> tasks
                .computeIfAbsent(text(task, "Invoice key"), key -> new ArrayList<>()).add(task));
        return tasks;
    }

    /** Open tasks of invoices M3 holds as entered (SUPA 10), which an approver can approve. */
    List<Task> enteredInvoiceTasks(int count) throws Exception {
        Set<String> entered = new LinkedHashSet<>();
        get("m3/FAPIBH?SUPA=10&limit=1000000").forEach(row -> entered.add(invoiceKey(row)));
        List<Task> open = tasksByInvoice().entrySet().stream().filter(e -> entered.contains(e.getKey()))
                .map(e -> e.getValue().get(0)).filter(t -> !t.completed()).limit(count).toList();
        if (open.size() < count) {
            throw new AssertionError("only " + open.size() + " open tasks of entered invoices, " + count + " needed");
        }
        return open;
    }

    /** Waits until M3 holds at least {@code count} approved invoice batches, then for every writeback in flight. */
    void awaitInvoiceApprovals(int count, Duration timeout) throws Exception {
        Await.until(count + " invoice approvals in M3", timeout, () -> approvedInvoices().size() >= count,
                () -> approvedInvoices().size());
        awaitWritebacks();
    }

    /** Adds a PO to M3 as a buyer would; returns its number. */
    String createPurchaseOrder(String amount) throws Exception {
        return createPurchaseOrder("100", "AAA", null, amount);
    }

    /** Adds a PO to this company and division, with this number (null: M3's next); returns its number. */
    String createPurchaseOrder(String company, String division, String number, String amount) throws Exception {
        String supplier = get("m3/CIDMAS?CONO=" + company + "&limit=1").get(0).path("SUNO").asText();
        Map<String, String> head = new HashMap<>(Map.of("CONO", company, "DIVI", division, "SUNO", supplier,
                "PUDT", LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE), "PUSL", "15", "PUST", "20",
                "COAM", amount, "CUCD", "EUR", "BUYE", "RELIABLE"));  // M3 buyers are at most 10 characters
        if (number != null) {
            head.put("PUNO", number);
        }
        return m3("POST", "m3/MPHEAD", head).path("PUNO").asText();
    }

    /** The project's tasks by their PO number custom field. */
    Map<String, List<Task>> tasksByPurchaseOrder() {
        Map<String, List<Task>> tasks = new HashMap<>();
        systems.reviewer().projectTasks(systems.project()).forEach(task -> tasks
                .computeIfAbsent(poNumber(task), po -> new ArrayList<>()).add(task));
        return tasks;
    }

    /**
     * Waits until Asana holds at least {@code count} purchase-order tasks besides one task per seeded invoice, then
     * until both task sinks have consumed their topics to the end: a record delivered again (after a kill, say) has
     * then been written too, so a duplicate task it made is counted.
     */
    void awaitTasks(int count, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        int all = count + invoiceCount;
        Await.until(all + " tasks in Asana (" + count + " POs, " + invoiceCount + " invoices)", timeout,
                () -> systems.asana().taskCount() >= all, () -> systems.asana().taskCount() + " tasks");
        cluster.topics().awaitConsumed("connect-" + name(Pipeline.ASANA_SINK), PURCHASE_ORDERS, timeout);
        cluster.topics().awaitConsumed("connect-" + name(Pipeline.INVOICE_SINK), INVOICES, timeout);
    }

    /** Completes each task as its reviewer would in Asana. */
    void complete(List<Task> tasks) {
        tasks.forEach(task -> systems.complete(task.gid()));
    }

    /** M3 approval stamps (CUGEX1 rows with A030=APPROVED) per PO number. */
    Map<String, Integer> approvals() throws Exception {
        Map<String, Integer> approvals = new HashMap<>();
        for (JsonNode row : get("m3/CUGEX1?FILE=MPHEAD&limit=1000000")) {
            if ("APPROVED".equals(row.path("A030").asText())) {
                approvals.merge(row.path("PK01").asText(), 1, Integer::sum);
            }
        }
        return approvals;
    }

    /** M3 approval stamps per company and PO number, as {@code CONO/PUNO}. */
    Map<String, Integer> approvalsByCompany() throws Exception {
        Map<String, Integer> approvals = new HashMap<>();
        for (JsonNode row : get("m3/CUGEX1?FILE=MPHEAD&limit=1000000")) {
            if ("APPROVED".equals(row.path("A030").asText())) {
                approvals.merge(row.path("CONO").asText() + "/" + row.path("PK01").asText(), 1, Integer::sum);
            }
        }
        return approvals;
    }

    /**
     * Calls the ION simulator's control API, as a DBA or a buyer acting in M3 would: e.g. PATCH
     * {@code m3/MPHEAD} with {@code {"key":…,"set":…}}, DELETE {@code m3/MPHEAD?CONO=100&PUNO=…}.
     */
    JsonNode m3(String method, String path, Object body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(systems.ion().baseUrl() + "/_sim/" + path))
                .header("Content-Type", "application/json").method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + ": the simulator answered " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** Waits until M3 holds at least {@code count} approvals, then for every writeback in flight. */
    void awaitApprovals(int count, Duration timeout) throws Exception {
        Await.until(count + " approvals in M3", timeout, () -> approvalCount() >= count,
                () -> approvalCount() + " approvals");
        awaitWritebacks();
    }

    private int approvalCount() throws Exception {
        return approvals().values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Waits for every writeback of the events so far, a duplicate included. A barrier in each project (a change to
     * the notes of a task, which no rule acts on) goes the way of a decision: Asana delivers a webhook's events in
     * order, retrying the oldest first, and each webhook source writes them in order, so once both barriers are on
     * the event topic, so is every event before them. Once the writeback has consumed that topic to its end, it has
     * written back and audited each of those events.
     */
    void awaitWritebacks() throws Exception {
        List<Predicate<JsonNode>> barriers = new ArrayList<>();
        for (String project : List.of(systems.project(), systems.apProject())) {
            Instant made = Instant.now().truncatedTo(ChronoUnit.MILLIS); // event times are whole milliseconds
            String task = systems.reviewer().projectTasks(project).filter(t -> !rejected(t)).findFirst().orElseThrow().gid();
            systems.asana().changeTaskAsUser(task, systems.user(), JsonNodeFactory.instance.objectNode()
                    .put("notes", "barrier " + made));
            barriers.add(event -> task.equals(event.path("task_gid").asText())
                    && "notes".equals(event.path("changed_field").asText())
                    && !Instant.ofEpochMilli(event.path("created_at").asLong()).isBefore(made));
        }
        cluster.topics().readThroughBarriers(TASK_EVENTS, barriers.size(),
                r -> barriers.stream().anyMatch(barrier -> barrier.test(payload(r))), Duration.ofMinutes(2));
        cluster.topics().awaitConsumed("connect-" + name(Pipeline.INFOR_SINK), TASK_EVENTS, Duration.ofMinutes(2));
    }

    /** A task a rule acts on whatever its change: the Approval field says Rejected. */
    private static boolean rejected(Task task) {
        return task.customFields().stream().anyMatch(f -> "Approval".equals(f.name()) && f.enumValue() != null
                && "Rejected".equals(f.enumValue().name()));
    }

    /** The event in a record of the event topic; an empty node for what is not one (a test's bad record). */
    private static JsonNode payload(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).path("payload");
        } catch (Exception notJson) {
            return JSON.createObjectNode();
        }
    }

    /** 401 answers both simulators gave to the connectors' API calls. */
    long unauthorizedAnswers() {
        return systems.ion().log().callsWithStatus(401) + systems.asana().log().callsWithStatus(401);
    }

    /** The secret values of this run: the files behind the ConfigProviders and the webhooks' handshake secrets. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>(systems.secrets());
        for (Webhook webhook : systems.integration().listWebhooks(systems.workspace(), systems.project())) {
            String secret = systems.asana().webhookSecret(webhook.gid());
            if (secret != null) {
                secrets.add(secret);
            }
        }
        return secrets;
    }

    /** What the REST API shows of every connector of the run: config, status, task configs, offsets. */
    List<String> restAnswers() {
        List<String> answers = new ArrayList<>(restAnswers);
        for (String connector : pipeline.names()) {
            answers.add(cluster.rest().config(connector).toString());
            answers.add(cluster.rest().status(connector).toString());
            answers.add(cluster.rest().tasks(connector).toString());
            answers.add(cluster.rest().offsets(connector).toString());
            answers.add(cluster.rest().send("GET", "/connectors/" + connector, null).toString());
        }
        answers.add(cluster.rest().send("GET", "/connectors?expand=info&expand=status", null).toString());
        return answers;
    }

    /** Remembers a REST answer for the secret scan. */
    void recordRestAnswer(JsonNode answer) {
        restAnswers.add(answer.toString());
    }

    @Override
    public void close() {
        for (String connector : pipeline.names()) {
            try {
                cluster.rest().delete(connector);
            } catch (RuntimeException e) {
                // not registered: the run failed before
            }
        }
        systems.close();
    }

    private static String invoiceKey(JsonNode row) {
        return row.path("CONO").asText() + "/" + row.path("DIVI").asText() + "/" + row.path("INBN").asText();
    }

    private static String text(Task task, String field) {
        return task.customFields().stream().filter(f -> field.equals(f.name())).map(CustomFieldValue::textValue)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    static String poNumber(Task task) {
        return task.customFields().stream().filter(f -> "PO number".equals(f.name()))
                .map(CustomFieldValue::textValue).map(PurchaseOrderRecords::number).findFirst().orElse(null);
    }

    private List<JsonNode> get(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                URI.create(systems.ion().baseUrl() + "/_sim/" + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(answer.body()).forEach(rows::add);
        return rows;
    }

}
