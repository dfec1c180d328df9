package io.mlconnector.it.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.asana.PurchaseOrderRecords;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import io.mlconnector.simulators.ion.ims.ActionCode;
import io.mlconnector.simulators.ion.ims.BodFactory;
import io.mlconnector.simulators.ion.ims.DeliveryReport;
import io.mlconnector.simulators.ion.ims.HandshakePolicy;
import io.mlconnector.simulators.ion.ims.ImsMessage;
import io.mlconnector.simulators.ion.ims.ImsSender;
import io.mlconnector.simulators.ion.ims.ImsSenderSettings;
import io.mlconnector.simulators.ion.ims.PurchaseOrderVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The ION API Gateway and Asana simulators, seeded with a distributor's purchase orders, invoices
 * and suppliers in several currencies, and an Asana approval project with the PO custom fields.
 */
public final class SimulatedSystems implements DemoSystems {

    private static final String PUBLIC_ASANA = "https://app.asana.com/api/1.0";

    private final IonSimulator ion;
    private final AsanaSimulator asana;
    private final AsanaClient reviewer;
    private final AsanaClient integration;
    private final String user;
    private final String workspace;
    private final String project;
    private final String apProject;
    private final int webhookPort;
    private final int apWebhookPort;
    private final int imsPort;
    private final String imsConsumerSecret;
    private final List<String> secrets;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The OAuth consumer key of the simulated ION connection point. */
    public static final String IMS_CONSUMER_KEY = "demo-connection-point";
    private final java.util.concurrent.atomic.AtomicBoolean invoiceNext = new java.util.concurrent.atomic.AtomicBoolean();

    private SimulatedSystems(IonSimulator ion, AsanaSimulator asana, String reviewerToken, String integrationToken,
            String user, String workspace, String project, String apProject, String imsConsumerSecret,
            List<String> secrets) throws IOException {
        this.imsConsumerSecret = imsConsumerSecret;
        this.workspace = workspace;
        this.ion = ion;
        this.asana = asana;
        this.secrets = secrets;
        this.reviewer = AsanaClient.builder(AsanaCredentials.personalAccessToken(reviewerToken)).baseUrl(asana.apiUrl())
                .budget(1500, Duration.ofMinutes(1)).build();
        this.integration = AsanaClient.builder(AsanaCredentials.personalAccessToken(integrationToken))
                .baseUrl(asana.apiUrl()).budget(1500, Duration.ofMinutes(1)).build();
        this.user = user;
        this.project = project;
        this.apProject = apProject;
        this.webhookPort = KafkaConnectCluster.freePort();
        this.apWebhookPort = KafkaConnectCluster.freePort();
        this.imsPort = KafkaConnectCluster.freePort();
    }

    /** Starts both simulators and writes the files the example configs read into {@code secretsDir}. */
    static SimulatedSystems start(Path secretsDir, int purchaseOrders) throws IOException {
        return start(secretsDir, IonSimulatorConfig.defaults().withVolumes(purchaseOrders, purchaseOrders / 2, 100),
                AsanaSimulator.Config.defaults());
    }

    /** Starts both simulators as configured and writes the files the example configs read into {@code secretsDir}. */
    public static SimulatedSystems start(Path secretsDir, IonSimulatorConfig ionConfig, AsanaSimulator.Config asanaConfig)
            throws IOException {
        IonSimulator ion = IonSimulator.start(ionConfig);
        AsanaSimulator asana = AsanaSimulator.start(asanaConfig);
        String token = "demo-" + UUID.randomUUID();
        Map<String, Object> seeded = asana.seedPurchaseOrderProject(token);
        String workspace = (String) seeded.get("workspace");
        String project = (String) seeded.get("project");
        asana.addCustomField(workspace, "Approval", "enum", null, null, null,
                List.of("Pending", "Approved", "Rejected"), List.of(project, (String) seeded.get("apProject")));
        // the reviewer is a person of their own: changes by the connectors' user are never approvals
        String reviewer = asana.addUser("Pat Reviewer", "reviewer@example.com");
        String reviewerToken = "reviewer-" + UUID.randomUUID();
        asana.addToken(reviewerToken, reviewer, false);

        Files.createDirectories(secretsDir.resolve("ionapi"));
        Files.writeString(secretsDir.resolve("ionapi").resolve(ion.tenant() + ".ionapi"), ion.ionApiJson());
        // the connectors' budget is the one the simulated Asana enforces for the token
        int budgetPerMinute = (int) Math.min(Integer.MAX_VALUE,
                asanaConfig.budget() * Duration.ofMinutes(1).toNanos() / asanaConfig.window().toNanos());
        ExampleConfig.writeAsanaProperties(secretsDir, token, workspace, project, (String) seeded.get("apProject"),
                budgetPerMinute);
        ExampleConfig.writeApprovers(secretsDir, reviewer);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(secretsDir.resolve("asana-webhook-source.properties"),
                "secret.encryption.key=" + Base64.getEncoder().encodeToString(key) + "\n");
        String webhookKey = Base64.getEncoder().encodeToString(key);
        // what ION's connection point signs its pushes with (ion-bod-source-m3.json reads it)
        String imsSecret = "ims-" + UUID.randomUUID();
        Files.writeString(secretsDir.resolve("ion-ims.properties"), "consumer.key=" + IMS_CONSUMER_KEY
                + "\nconsumer.secret=" + imsSecret + "\n");
        List<String> secrets = List.of(token, webhookKey, ionConfig.clientSecret(), ionConfig.serviceAccountSecretKey(),
                imsSecret);
        return new SimulatedSystems(ion, asana, reviewerToken, token, reviewer, workspace, project,
                (String) seeded.get("apProject"), imsSecret, secrets);
    }

    @Override
    public String describe() {
        return "ION API Gateway simulator at " + ion.baseUrl() + " (tenant " + ion.tenant() + ", M3), Asana simulator at "
                + asana.apiUrl();
    }

    @Override
    public String tenant() {
        return ion.tenant();
    }

    @Override
    public Map<String, UnaryOperator<ExampleConfig>> locations(KafkaConnectCluster cluster) {
        String webhook = webhookEndpoint();
        return Map.of(
                Pipeline.ASANA_SINK, e -> e.location(PUBLIC_ASANA, asana.apiUrl()).kafka(cluster.bootstrapServers()),
                Pipeline.WEBHOOK_SOURCE, e -> e.location(PUBLIC_ASANA, asana.apiUrl())
                        .location("https://connect.example.com/asana/webhook", webhook)
                        .location("\"0.0.0.0\"", "\"127.0.0.1\"")
                        .location("\"8090\"", "\"" + webhookPort + "\""),
                Pipeline.INFOR_SINK, e -> e.kafka(cluster.bootstrapServers()),
                Pipeline.INVOICE_SINK, e -> e.location(PUBLIC_ASANA, asana.apiUrl()).kafka(cluster.bootstrapServers()),
                Pipeline.PAYMENTS_SINK, e -> e.location(PUBLIC_ASANA, asana.apiUrl()).kafka(cluster.bootstrapServers()),
                Pipeline.AP_WEBHOOK_SOURCE, e -> e.location(PUBLIC_ASANA, asana.apiUrl())
                        .location("https://connect.example.com/asana/ap-webhook",
                                "http://127.0.0.1:" + apWebhookPort + "/asana/ap-webhook")
                        .location("\"0.0.0.0\"", "\"127.0.0.1\"")
                        .location("\"8091\"", "\"" + apWebhookPort + "\""),
                Pipeline.ION_PUSH, e -> e.location("https://connect.example.com/ims/service", imsEndpoint())
                        .location("\"0.0.0.0\"", "\"127.0.0.1\"")
                        .location("\"8092\"", "\"" + imsPort + "\""));
    }

    /** Accounts payable's project, where the invoice tasks are. */
    public String apProject() {
        return apProject;
    }

    /** Approves the next open PO task and the next open invoice task in turn. */
    @Override
    public Optional<String> approveNextTask() {
        boolean invoice = invoiceNext.getAndSet(!invoiceNext.get());
        Optional<String> approved = invoice ? approveNextInvoice() : approveNextPurchaseOrder();
        return approved.isPresent() ? approved : invoice ? approveNextPurchaseOrder() : approveNextInvoice();
    }

    private Optional<String> approveNextPurchaseOrder() {
        return approveNext(project).map(task -> "PO " + text(task, "PO number").map(PurchaseOrderRecords::number)
                .orElse(task.name()));
    }

    private Optional<String> approveNextInvoice() {
        return approveNext(apProject).map(task -> "invoice " + text(task, "Invoice number").orElse(task.name()));
    }

    private Optional<Task> approveNext(String projectGid) {
        Optional<Task> open = reviewer.projectTasks(projectGid).filter(t -> !t.completed()).findFirst();
        open.ifPresent(task -> complete(task.gid()));
        return open;
    }

    private static Optional<String> text(Task task, String field) {
        return task.customFields().stream().filter(f -> field.equals(f.name())).map(CustomFieldValue::textValue)
                .filter(java.util.Objects::nonNull).findFirst();
    }

    /** Sets an enum field of the task as the reviewer would in the UI, e.g. Approval to Rejected. */
    public void choose(String taskGid, String field, String option) {
        io.mlconnector.asana.CustomField enumField = reviewer.customFields(workspace).require(field);
        String optionGid = enumField.option(option).orElseThrow(() -> new IllegalArgumentException(
                field + " has no option " + option)).gid();
        var data = JsonNodeFactory.instance.objectNode();
        data.putObject("custom_fields").put(enumField.gid(), optionGid);
        asana.changeTaskAsUser(taskGid, user, data);
    }

    /** Completes the task in Asana as the reviewer would in the UI, which fires the webhook. */
    public void complete(String taskGid) {
        asana.changeTaskAsUser(taskGid, user, JsonNodeFactory.instance.objectNode().put("completed", true));
    }

    public IonSimulator ion() {
        return ion;
    }

    public AsanaSimulator asana() {
        return asana;
    }

    /** A client acting as the reviewer, with a budget far above the simulator's. */
    public AsanaClient reviewer() {
        return reviewer;
    }

    /**
     * A client with the connectors' own token, for what only its owner sees in Asana (its webhooks). Reads with
     * it spend the connectors' budget: keep them few.
     */
    public AsanaClient integration() {
        return integration;
    }

    /** The reviewer: the Asana user who completes tasks, an approver, not the connectors' user. */
    public String user() {
        return user;
    }

    public String workspace() {
        return workspace;
    }

    public String project() {
        return project;
    }

    /** The secret values the example configs read from the secrets directory: token, keys, .ionapi secrets. */
    public List<String> secrets() {
        return secrets;
    }

    /** Where the webhook source listens, and Asana delivers to. */
    public String webhookEndpoint() {
        return "http://127.0.0.1:" + webhookPort + "/asana/webhook";
    }

    /** Where the ION BOD source listens, and the ION simulator pushes to. */
    public String imsEndpoint() {
        return "http://127.0.0.1:" + imsPort + "/ims/service";
    }

    /**
     * Publishes the M3 purchase order's current state as M3's BOD processor would: a Sync.PurchaseOrder BOD pushed
     * over IMS to {@link #imsEndpoint()}, its variation the row's LMTS (which only grows).
     *
     * @return how the delivery went
     */
    public DeliveryReport publishPurchaseOrder(String puno) throws IOException, InterruptedException {
        JsonNode head = m3Rows("MPHEAD", Map.of("PUNO", puno)).get(0);
        String supplier = m3Rows("CIDMAS", Map.of("CONO", head.path("CONO").asText(), "SUNO",
                head.path("SUNO").asText())).stream().findFirst().map(r -> r.path("SUNM").asText()).orElse(null);
        List<PurchaseOrderVersion.Line> lines = m3Rows("MPLINE", Map.of("PUNO", puno)).stream()
                .map(line -> new PurchaseOrderVersion.Line(line.path("PNLI").asInt(), line.path("ITNO").asText(),
                        line.path("PITD").asText(), decimal(line, "ORQA"), line.path("PUUN").asText(),
                        decimal(line, "PUPR"), decimal(line, "LNAM")))
                .toList();
        long lmts = head.path("LMTS").asLong();
        String division = head.path("DIVI").asText();
        PurchaseOrderVersion version = new PurchaseOrderVersion(ion.tenant(), head.path("CONO").asText() + "_" + division,
                division, "lid://infor.m3.m3", puno, lmts, ActionCode.Replace, head.path("PUSL").asText(),
                head.path("SUNO").asText(), supplier, LocalDate.parse(head.path("PUDT").asText(),
                DateTimeFormatter.BASIC_ISO_DATE), head.path("CUCD").asText(), decimal(head, "COAM"),
                head.path("BUYE").asText(), Instant.ofEpochMilli(lmts), lines);
        try (ImsSender sender = new ImsSender(ImsSenderSettings.builder(imsEndpoint())
                .oauth1(IMS_CONSUMER_KEY, imsConsumerSecret).handshake(HandshakePolicy.SKIP).build())) {
            return sender.deliver(List.of(ImsMessage.of(UUID.randomUUID().toString().replace("-", ""),
                    new BodFactory().purchaseOrder(version), ImsMessage.Encoding.DEFLATE)));
        }
    }

    /** A buyer changes the PO's total in M3 (its LMTS moves, as on any change). */
    public void changePurchaseOrderAmount(String cono, String puno, BigDecimal amount) throws IOException,
            InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(ion.baseUrl() + "/_sim/m3/MPHEAD"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("key", Map.of("CONO", cono, "PUNO", puno),
                                "set", Map.of("COAM", amount.toPlainString()))))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("the ION simulator did not change PO " + puno + ": " + answer.body());
        }
    }

    /** The M3 purchase orders, as {@code [CONO, PUNO, COAM]}, up to {@code limit}. */
    public List<String[]> purchaseOrders(int limit) throws IOException, InterruptedException {
        return m3Rows("MPHEAD", Map.of("limit", String.valueOf(limit))).stream().map(row -> new String[] {
                row.path("CONO").asText(), row.path("PUNO").asText(), row.path("COAM").asText()}).toList();
    }

    /** Rows of an M3 table whose columns equal the given values, from the simulator's control API. */
    private List<JsonNode> m3Rows(String table, Map<String, String> equal) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder();
        equal.forEach((column, value) -> query.append(query.length() == 0 ? "?" : "&").append(column).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(ion.baseUrl() + "/_sim/m3/" + table
                + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("the ION simulator answered " + answer.statusCode() + " for " + table + ": " + answer.body());
        }
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(answer.body()).forEach(rows::add);
        return rows;
    }

    private static BigDecimal decimal(JsonNode row, String field) {
        String text = row.path(field).asText().trim();
        return text.isEmpty() ? null : new BigDecimal(text);
    }

    @Override
    public void close() {
        asana.close();
        ion.close();
    }
}
