package io.mlconnector.it.invoices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import io.mlconnector.it.Await;
import io.mlconnector.it.ExampleConfig;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.SharedCluster;
import io.mlconnector.it.demo.SimulatedSystems;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Supplier invoices become AP's approval tasks: the example Infor source reads M3's invoice batches (FAPIBH)
 * and the example invoice sink makes one task per invoice in the accounts payable project, with its number,
 * supplier, exact amount, currency, invoice date and PO in custom fields and its due date as the task's
 * due date. A changed invoice costs one call, an invoice read again unchanged none.
 */
@ExtendWith(SharedCluster.class)
class InvoiceTasksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SOURCE = "infor-source-invoices";
    private static final String SINK = "asana-sink-supplier-invoices";
    private static final String INVOICES = "infor.ACME_TST.supplier-invoices";
    private static final String WEBHOOK = "asana-webhook-source-invoices";
    private static final String EVENTS = "asana.task-events";
    private static final String AUDIT = "ml.audit";
    private static final String WRITEBACK = "infor-sink-invoice-approvals";
    private static final String WRITEBACK_EXAMPLE = "infor-sink-m3-approvals.json";
    private static final String PAYMENTS_SINK = "asana-sink-invoice-payments";
    private static final String PAYMENTS = "infor.ACME_TST.payments";
    private static final Duration PAYMENTS_POLL = Duration.ofSeconds(10);
    /** Read by the first poll after the payments: one interval, plus what the read, the join and the writes take. */
    private static final Duration DELIVERY = Duration.ofSeconds(10);
    private static final DateTimeFormatter YMD = DateTimeFormatter.BASIC_ISO_DATE;

    @Test
    void everyInvoiceBecomesOneApTaskAndOnlyChangesCostCalls(KafkaConnectCluster cluster) throws Exception {
        int invoices = 2_000;
        cluster.topics().recreate(1, INVOICES, PAYMENTS, "ml.dlq.asana-sink-payments", "infor.ACME_TST.suppliers", "infor.ACME_TST.purchase-orders",
                "infor.ACME_TST.gl-accounts", "infor.ACME_TST.data-errors", "ml.dlq.asana-sink-invoices", "ml.task-ledger");
        Path secrets = Files.createDirectories(cluster.workDir().resolve("invoices-" + UUID.randomUUID()));
        try (SimulatedSystems systems = SimulatedSystems.start(secrets, IonSimulatorConfig.defaults()
                .withVolumes(30, invoices, 10), AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)))) {
            Properties asana = new Properties();
            asana.load(Files.newBufferedReader(secrets.resolve("asana.properties")));
            String apProject = asana.getProperty("ap.project.gid");
            Map<String, JsonNode> byKey = new HashMap<>();
            for (JsonNode row : get(systems, "m3/FAPIBH?limit=100000")) {
                byKey.put(row.path("CONO").asText() + "/" + row.path("DIVI").asText() + "/" + row.path("INBN").asText(), row);
            }
            assertEquals(invoices, byKey.size(), "the simulator holds the invoices of the example's three divisions");

            Map<String, String> source = ExampleConfig.load("infor-source-m3.json").secretsDir(secrets).toMap();
            source.put("infor.entities", "supplier-invoices,suppliers");
            source.put("supplier-invoices.poll.interval.ms", "2000");
            Map<String, String> sink = ExampleConfig.load(SINK + ".json")
                    .location("https://app.asana.com/api/1.0", systems.asana().apiUrl()).kafka(cluster.bootstrapServers())
                    .secretsDir(secrets).toMap();
            cluster.rest().putConfig(SINK, sink);
            cluster.rest().putConfig(SOURCE, source);
            try {
                Await.until(invoices + " tasks in AP's project", Duration.ofMinutes(6),
                        () -> tasks(systems, apProject).size() >= invoices);
                cluster.topics().awaitConsumed("connect-" + SINK, INVOICES, Duration.ofMinutes(2));
                Map<String, Task> tasks = tasks(systems, apProject);
                assertEquals(invoices, tasks.size(), "one task per invoice");
                assertEquals(invoices, systems.asana().log().calls("asana.createTask"), "one create per invoice");
                for (Map.Entry<String, Task> entry : tasks.entrySet()) {
                    JsonNode invoice = byKey.get(entry.getKey());
                    Task task = entry.getValue();
                    assertTrue(invoice != null, "a task for an invoice M3 does not have: " + entry.getKey());
                    assertEquals(LocalDate.parse(invoice.path("DUDT").asText(), YMD), task.dueOn(), "due date");
                    assertEquals(0, new BigDecimal(invoice.path("CUAM").asText()).compareTo(field(task, "Amount").numberValue()));
                    assertEquals(invoice.path("SINO").asText(), field(task, "Invoice number").textValue());
                    assertEquals(LocalDate.parse(invoice.path("IVDT").asText(), YMD), field(task, "Invoice date").dateValue());
                    assertEquals(invoice.path("CUCD").asText(), field(task, "Currency").enumValue().name());
                }

                // AP corrects 300 amounts in M3: one call each
                long updates = systems.asana().log().calls("asana.updateTask");
                List<String> keys = new ArrayList<>(byKey.keySet()).subList(0, 300);
                for (String key : keys) {
                    String[] parts = key.split("/");
                    JsonNode invoice = byKey.get(key);
                    send(systems, "PATCH", "m3/FAPIBH", Map.of("key", Map.of("CONO", parts[0], "DIVI", parts[1], "INBN", parts[2]),
                            "set", Map.of("CUAM", new BigDecimal(invoice.path("CUAM").asText()).add(BigDecimal.ONE).toPlainString())));
                }
                Await.until("300 corrected amounts in Asana", Duration.ofMinutes(3),
                        () -> systems.asana().log().calls("asana.updateTask") >= updates + keys.size());
                cluster.topics().awaitConsumed("connect-" + SINK, INVOICES, Duration.ofMinutes(2));
                assertEquals(updates + keys.size(), systems.asana().log().calls("asana.updateTask"), "one update per change");
                assertEquals(invoices, systems.asana().log().calls("asana.createTask"), "no task made twice");

                // every invoice read again, unchanged: the ledger knows them all, Asana hears nothing
                long calls = systems.asana().log().calls();
                long offset = cluster.topics().size(INVOICES);
                cluster.rest().stop(SOURCE);
                cluster.rest().awaitStatus(SOURCE, Duration.ofSeconds(60), "STOPPED",
                        s -> "STOPPED".equals(s.path("connector").path("state").asText()));
                cluster.rest().restart(SINK, true, false);
                cluster.rest().send("PATCH", "/connectors/" + SOURCE + "/offsets", offsetsSince(cluster, SOURCE));
                cluster.rest().resume(SOURCE);
                Await.until("every invoice read again", Duration.ofMinutes(3),
                        () -> cluster.topics().size(INVOICES) >= offset + invoices);
                cluster.topics().awaitConsumed("connect-" + SINK, INVOICES, Duration.ofMinutes(3));
                Map<String, Long> extra = new java.util.TreeMap<>();
                systems.asana().log().entries(null, Integer.MAX_VALUE).stream().skip(calls)
                        .forEach(e -> extra.merge(e.route(), 1L, Long::sum));
                assertEquals(0, extra.getOrDefault("asana.createTask", 0L) + extra.getOrDefault("asana.updateTask", 0L),
                        "unchanged invoices cost no write: " + extra);
                System.out.printf("invoice tasks: %d invoices -> %d tasks; 300 changes -> 300 updates; %d unchanged "
                        + "re-read -> calls %s%n", invoices, tasks.size(), invoices, extra);

                // The task of a posted invoice fences the decisions off: nobody rejects a posted invoice, so no rule
                // acts on a change to its notes.
                String posted = byKey.entrySet().stream().filter(e -> "90".equals(e.getValue().path("SUPA").asText()))
                        .findFirst().orElseThrow().getKey();
                String fence = tasks.get(posted).gid();
                approvals(cluster, systems, secrets, apProject, tasks, byKey, fence);
                payments(cluster, systems, secrets, source, apProject, fence);
            } finally {
                deleteConnectors(cluster, "");
            }
        }
    }

    /**
     * The same loop on SyteLine: 2,000 A/P vouchers of two sites become AP's tasks, 200 completed by the approver
     * set Uf_ExtStatus=APPROVED on their voucher (a replay applies none), and 100 posted payments show PAID on
     * their tasks from the first poll after them, approving nothing.
     */
    @Test
    void everySyteLineVoucherBecomesOneApTaskApprovedThenPaid(KafkaConnectCluster cluster) throws Exception {
        String suffix = "-syteline"; // connectors of their own: no offset or consumer group of the M3 test carries over
        int firstSite = 1_819; // the simulator's second site holds a tenth as many: 2,000 vouchers in all
        cluster.topics().recreate(1, INVOICES, PAYMENTS, "ml.dlq.asana-sink-payments", "infor.ACME_TST.suppliers",
                "infor.ACME_TST.purchase-orders", "infor.ACME_TST.data-errors", "ml.dlq.asana-sink-invoices",
                "ml.task-ledger");
        Path secrets = Files.createDirectories(cluster.workDir().resolve("vouchers-" + UUID.randomUUID()));
        try (SimulatedSystems systems = SimulatedSystems.start(secrets, IonSimulatorConfig.defaults()
                .withVolumes(30, 10, firstSite), AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)))) {
            Properties asana = new Properties();
            asana.load(Files.newBufferedReader(secrets.resolve("asana.properties")));
            String apProject = asana.getProperty("ap.project.gid");
            Map<String, JsonNode> byKey = new HashMap<>();
            for (String site : systems.ion().mongooseConfigs()) {
                for (JsonNode row : get(systems, "ido/" + site + "/SLAptrxs")) {
                    byKey.put(site + "/" + row.path("Voucher").asText(), row);
                }
            }
            assertEquals(2_000, byKey.size(), "the simulator holds the vouchers of the example's two sites");

            Map<String, String> source = ExampleConfig.load("infor-source-syteline.json").secretsDir(secrets).toMap();
            source.put("infor.entities", "supplier-invoices,suppliers,payments");
            source.put("supplier-invoices.poll.interval.ms", "2000");
            source.put("payments.poll.interval.ms", String.valueOf(PAYMENTS_POLL.toMillis()));
            Map<String, String> sink = ExampleConfig.load(SINK + "-syteline.json")
                    .location("https://app.asana.com/api/1.0", systems.asana().apiUrl()).kafka(cluster.bootstrapServers())
                    .secretsDir(secrets).toMap();
            cluster.rest().putConfig(SINK + suffix, sink);
            cluster.rest().putConfig(SOURCE + suffix, source);
            try {
                Await.until("2,000 tasks in AP's project", Duration.ofMinutes(6),
                        () -> tasks(systems, apProject).size() >= 2_000);
                cluster.topics().awaitConsumed("connect-" + SINK + suffix, INVOICES, Duration.ofMinutes(2));
                Map<String, Task> tasks = tasks(systems, apProject);
                assertEquals(byKey.keySet(), tasks.keySet(), "one task per voucher, keyed by site and voucher");
                assertEquals(2_000, systems.asana().log().calls("asana.createTask"), "one create per voucher");
                for (Map.Entry<String, Task> entry : tasks.entrySet()) {
                    JsonNode voucher = byKey.get(entry.getKey());
                    assertEquals(0, new BigDecimal(voucher.path("InvAmt").asText())
                            .compareTo(field(entry.getValue(), "Amount").numberValue()), "amount of " + entry.getKey());
                    assertEquals(voucher.path("InvNum").asText(), field(entry.getValue(), "Invoice number").textValue());
                }

                List<Map.Entry<String, Task>> approving = new ArrayList<>(tasks.entrySet()).subList(0, 200);
                startApprovals(cluster, systems, secrets, apProject, "infor-sink-syteline-approvals.json", suffix);
                approving.forEach(e -> systems.complete(e.getValue().gid()));
                Await.until("200 vouchers approved in SyteLine", Duration.ofMinutes(3),
                        () -> approvedVouchers(systems) >= 200);
                Await.until("200 decisions audited", Duration.ofMinutes(2), () -> audited(cluster) >= 200,
                        () -> outcomes(cluster));
                // SyteLine's rules act on completions only: a change to the notes of any task fences the decisions off
                String fence = approving.get(0).getValue().gid();
                assertEquals(Map.of("APPLIED", 200L), settledOutcomes(cluster, systems, fence, suffix));
                replayApprovals(cluster, suffix, 400);
                assertEquals(Map.of("APPLIED", 200L, "ALREADY_APPLIED", 200L),
                        settledOutcomes(cluster, systems, fence, suffix));
                assertEquals(200, approvedVouchers(systems), "the replay approved nothing more");

                // 100 vouchers paid in full: their payments (SLAptrxps type P) mark the tasks PAID and complete them
                Map<String, String> payments = ExampleConfig.load(PAYMENTS_SINK + "-syteline.json")
                        .location("https://app.asana.com/api/1.0", systems.asana().apiUrl()).kafka(cluster.bootstrapServers())
                        .secretsDir(secrets).toMap();
                cluster.rest().putConfig(PAYMENTS_SINK + suffix, payments);
                cluster.rest().awaitRunning(PAYMENTS_SINK + suffix, 1, Duration.ofSeconds(90));
                long updates = systems.asana().log().calls("asana.updateTask");
                long writes = systems.ion().log().calls("ido.update.SLAptrxs");
                List<String> paying = new ArrayList<>(byKey.keySet()).subList(500, 600);
                Instant paidAt = Instant.now();
                for (String key : paying) {
                    String site = key.substring(0, key.indexOf('/'));
                    JsonNode voucher = byKey.get(key);
                    send(systems, "POST", "ido/" + site + "/SLAptrxps", Map.of("VendNum", voucher.path("VendNum").asText(),
                            "Voucher", voucher.path("Voucher").asText(), "InvNum", voucher.path("InvNum").asText(),
                            "Type", "P", "InvAmt", voucher.path("InvAmt").asText(), "AmtPaid", voucher.path("InvAmt").asText(),
                            "CheckNum", "7" + voucher.path("Voucher").asText(), "DistDate", "20261201 00:00:00.000"));
                }
                Instant lastPaid = Instant.now();
                Await.until("100 paid vouchers PAID and complete on their tasks", PAYMENTS_POLL.plus(DELIVERY),
                        () -> payment(systems, apProject, "PAID") >= 100);
                Duration shown = Duration.between(lastPaid, Instant.now());
                Map<String, Task> after = tasks(systems, apProject);
                for (String key : paying) {
                    assertTrue(after.get(key).completed() && paid(after.get(key)), "paid and complete: " + key);
                }
                assertEquals(updates + 100, systems.asana().log().calls("asana.updateTask"), "one update per payment");
                Set<String> paidTasks = paying.stream().map(k -> after.get(k).gid()).collect(java.util.stream.Collectors.toSet());
                Await.until("the connectors' 100 completions audited", Duration.ofMinutes(2),
                        () -> auditedCompletions(cluster, paidTasks) >= 100, () -> auditedCompletions(cluster, paidTasks));
                settledOutcomes(cluster, systems, fence, suffix);
                assertEquals(writes, systems.ion().log().calls("ido.update.SLAptrxs"), "a payment approves nothing");
                assertEquals(200, approvedVouchers(systems));
                System.out.printf("syteline vouchers: 2000 -> 2000 tasks; 200 approved, replay 200 already applied; 100 "
                        + "paid (a %.1f s payment run) -> PAID and complete %.1f s after it (poll interval %d s), 0 "
                        + "writebacks%n", Duration.between(paidAt, lastPaid).toMillis() / 1000.0,
                        shown.toMillis() / 1000.0, PAYMENTS_POLL.toSeconds());
            } finally {
                deleteConnectors(cluster, suffix);
            }
        }
    }

    /** Deletes the test's connectors; those a failure left unregistered are skipped. */
    private static void deleteConnectors(KafkaConnectCluster cluster, String suffix) {
        for (String connector : List.of(SOURCE, SINK, WEBHOOK, WRITEBACK, PAYMENTS_SINK)) {
            if (cluster.rest().send("GET", "/connectors", null).toString().contains("\"" + connector + suffix + "\"")) {
                cluster.rest().delete(connector + suffix);
            }
        }
    }

    private static long approvedVouchers(SimulatedSystems systems) {
        long approved = 0;
        for (String site : systems.ion().mongooseConfigs()) {
            try {
                for (JsonNode row : get(systems, "ido/" + site + "/SLAptrxs")) {
                    approved += "APPROVED".equals(row.path("Uf_ExtStatus").asText()) ? 1 : 0;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return approved;
    }

    /**
     * AP approves 200 entered invoices by completing their tasks (APS450MI/ApproveInvoice), 20 that M3 has
     * already posted to the AP ledger (APS110MI/ApproveInvoice, the second rule), and rejects 10 entered ones
     * with the Approval field (APS450MI/RejectInvoice); a replay of every event applies nothing.
     */
    private static void approvals(KafkaConnectCluster cluster, SimulatedSystems systems, Path secrets, String apProject,
            Map<String, Task> tasks, Map<String, JsonNode> byKey, String fence) throws Exception {
        startApprovals(cluster, systems, secrets, apProject, WRITEBACK_EXAMPLE, "");

        List<Map.Entry<String, Task>> entered = tasks.entrySet().stream()
                .filter(e -> "10".equals(byKey.get(e.getKey()).path("SUPA").asText())).limit(210).toList();
        List<Map.Entry<String, Task>> posted = tasks.entrySet().stream()
                .filter(e -> "90".equals(byKey.get(e.getKey()).path("SUPA").asText())).limit(20).toList();
        assertEquals(210, entered.size());
        assertEquals(20, posted.size());
        List<Map.Entry<String, Task>> approving = entered.subList(0, 200);
        List<Map.Entry<String, Task>> rejecting = entered.subList(200, 210);
        approving.forEach(e -> systems.complete(e.getValue().gid()));
        posted.forEach(e -> systems.complete(e.getValue().gid()));
        rejecting.forEach(e -> systems.choose(e.getValue().gid(), "Approval", "Rejected"));

        Await.until("200 invoices approved in M3", Duration.ofMinutes(3), () -> approved(systems) >= 200,
                () -> approved(systems) + " approved");
        Await.until("230 decisions audited", Duration.ofMinutes(2), () -> audited(cluster) >= 230, () -> outcomes(cluster));
        assertEquals(Map.of("APPLIED", 230L), settledOutcomes(cluster, systems, fence, ""));
        assertEquals(200, approved(systems));
        for (Map.Entry<String, Task> e : approving) {
            assertEquals("20", batch(systems, e.getKey()).path("SUPA").asText(), "approved in M3: " + e.getKey());
        }
        for (Map.Entry<String, Task> e : rejecting) {
            assertEquals("15", batch(systems, e.getKey()).path("SUPA").asText(), "rejected in M3: " + e.getKey());
        }
        for (Map.Entry<String, Task> e : posted) {
            JsonNode head = byKey.get(e.getKey());
            JsonNode entry = get(systems, "m3/FPLEDG?CONO=" + head.path("CONO").asText() + "&DIVI="
                    + head.path("DIVI").asText() + "&SUNO=" + head.path("SUNO").asText() + "&SINO="
                    + URLEncoder.encode(head.path("SINO").asText(), StandardCharsets.UTF_8)).get(0);
            assertEquals("1", entry.path("APRV").asText(), "approved for payment in the AP ledger: " + e.getKey());
        }

        // the whole event topic again: nothing is applied twice
        replayApprovals(cluster, "", 460);
        assertEquals(Map.of("APPLIED", 230L, "ALREADY_APPLIED", 230L), settledOutcomes(cluster, systems, fence, ""));
        assertEquals(200, approved(systems), "the replay approved nothing more");
        System.out.printf("invoice approvals: 200 entered approved (APS450MI), 20 posted approved for payment "
                + "(APS110MI), 10 rejected (APS450MI/RejectInvoice); replay: 230 already applied%n");
    }

    private static JsonNode batch(SimulatedSystems systems, String key) throws Exception {
        String[] parts = key.split("/");
        return get(systems, "m3/FAPIBH?CONO=" + parts[0] + "&DIVI=" + parts[1] + "&INBN=" + parts[2]).get(0);
    }

    /**
     * The source reads the AP ledger too, and the payments sink marks each posted invoice's task UNPAID, then
     * 100 that M3 pays PAID and complete, from the first poll after the payment run. Those completions are the
     * connectors' own: they approve nothing in M3.
     */
    private static void payments(KafkaConnectCluster cluster, SimulatedSystems systems, Path secrets,
            Map<String, String> source, String apProject, String fence) throws Exception {
        List<JsonNode> ledger = get(systems, "m3/FPLEDG?limit=100000");
        Map<String, String> sink = ExampleConfig.load(PAYMENTS_SINK + ".json")
                .location("https://app.asana.com/api/1.0", systems.asana().apiUrl()).kafka(cluster.bootstrapServers())
                .secretsDir(secrets).toMap();
        cluster.rest().putConfig(PAYMENTS_SINK, sink);
        Map<String, String> withPayments = new HashMap<>(source);
        withPayments.put("infor.entities", "supplier-invoices,suppliers,payments");
        withPayments.put("payments.poll.interval.ms", String.valueOf(PAYMENTS_POLL.toMillis()));
        cluster.rest().putConfig(SOURCE, withPayments);
        Await.until("every posted invoice's task marked UNPAID", Duration.ofMinutes(4),
                () -> payment(systems, apProject, "UNPAID") >= ledger.size());
        cluster.topics().awaitConsumed("connect-" + PAYMENTS_SINK, PAYMENTS, Duration.ofMinutes(2));

        long approvals = systems.ion().log().calls("m3.APS450MI.ApproveInvoice")
                + systems.ion().log().calls("m3.APS110MI.ApproveInvoice");
        long updates = systems.asana().log().calls("asana.updateTask");
        Instant paidAt = Instant.now();
        for (JsonNode row : ledger.subList(0, 100)) {
            send(systems, "PATCH", "m3/FPLEDG", Map.of("key", Map.of("CONO", row.path("CONO").asText(),
                    "DIVI", row.path("DIVI").asText(), "YEA4", row.path("YEA4").asText(),
                    "JRNO", row.path("JRNO").asText(), "JSNO", row.path("JSNO").asText()), "set", Map.of("PYST", "2")));
        }
        Instant lastPaid = Instant.now();
        Await.until("100 paid invoices PAID and complete on their tasks", PAYMENTS_POLL.plus(DELIVERY),
                () -> payment(systems, apProject, "PAID") >= 100);
        Duration run = Duration.between(paidAt, lastPaid);
        Duration shown = Duration.between(lastPaid, Instant.now());
        assertEquals(100, payment(systems, apProject, "PAID"));
        assertEquals(100, systems.reviewer().projectTasks(apProject)
                .filter(t -> t.completed() && paid(t)).count(), "every paid invoice's task completed");
        assertEquals(updates + 100, systems.asana().log().calls("asana.updateTask"), "one update per paid invoice");

        // the completions come back through the webhook as the connectors' own changes: audited, never applied
        Set<String> paidTasks = systems.reviewer().projectTasks(apProject).filter(InvoiceTasksIT::paid)
                .map(Task::gid).collect(java.util.stream.Collectors.toSet());
        Await.until("the connectors' 100 completions audited", Duration.ofMinutes(2),
                () -> auditedCompletions(cluster, paidTasks) >= 100, () -> auditedCompletions(cluster, paidTasks));
        Map<String, Long> after = settledOutcomes(cluster, systems, fence, "");
        assertEquals(approvals, systems.ion().log().calls("m3.APS450MI.ApproveInvoice")
                + systems.ion().log().calls("m3.APS110MI.ApproveInvoice"), "a payment approves nothing");
        assertEquals(200, approved(systems));
        assertEquals(230L, after.get("APPLIED"), "no writeback from a payment: " + after);
        System.out.printf("payments: %d posted invoices marked UNPAID; 100 paid (a %.1f s payment run) -> PAID and "
                + "complete on their tasks %.1f s after the run (poll interval %d s), 100 updates, 0 writebacks; "
                + "audit %s%n", ledger.size(), run.toMillis() / 1000.0, shown.toMillis() / 1000.0,
                PAYMENTS_POLL.toSeconds(), after);
    }

    /** Tasks of the set whose completion by the connectors' user the Infor sink audited as no decision. */
    private static long auditedCompletions(KafkaConnectCluster cluster, Set<String> tasks) {
        return cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(30)).stream()
                .map(r -> json(r.value()))
                .filter(a -> "NOT_A_DECISION".equals(a.path("outcome").asText())
                        && "approve-invoice".equals(a.path("rule").asText())
                        && tasks.contains(a.path("asana_task_gid").asText()))
                .map(a -> a.path("asana_task_gid").asText()).distinct().count();
    }

    private static long payment(SimulatedSystems systems, String apProject, String status) {
        return systems.reviewer().projectTasks(apProject).filter(t -> t.customFields().stream()
                .anyMatch(f -> "Payment".equals(f.name()) && f.enumValue() != null
                        && status.equals(f.enumValue().name()))).count();
    }

    private static boolean paid(Task task) {
        return task.customFields().stream().anyMatch(f -> "Payment".equals(f.name()) && f.enumValue() != null
                && "PAID".equals(f.enumValue().name()));
    }

    /** AP's webhook source and the example writeback, on a fresh event topic and audit. */
    private static void startApprovals(KafkaConnectCluster cluster, SimulatedSystems systems, Path secrets,
            String apProject, String writebackExample, String suffix) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        cluster.topics().recreate(3, EVENTS);
        cluster.topics().recreate(1, AUDIT, "ml.dlq.infor-sink", "asana.ap-webhook-source.checkpoints");
        Map<String, String> webhook = new HashMap<>(ExampleConfig.load(WEBHOOK + ".json")
                .location("https://app.asana.com/api/1.0", systems.asana().apiUrl())
                .location("https://connect.example.com/asana/ap-webhook", "http://127.0.0.1:" + port + "/asana/ap-webhook")
                .location("\"0.0.0.0\"", "\"127.0.0.1\"").location("\"8091\"", "\"" + port + "\"")
                .secretsDir(secrets).toMap());
        Map<String, String> writeback = ExampleConfig.load(writebackExample).kafka(cluster.bootstrapServers())
                .secretsDir(secrets).toMap();
        cluster.rest().putConfig(WRITEBACK + suffix, writeback);
        cluster.rest().putConfig(WEBHOOK + suffix, webhook);
        cluster.rest().awaitRunning(WEBHOOK + suffix, 1, Duration.ofSeconds(90));
        Await.until("AP's webhook", Duration.ofSeconds(60),
                () -> !systems.integration().listWebhooks(systems.workspace(), apProject).isEmpty());
    }

    /** The writeback reads the whole event topic again, until this many outcomes are audited. */
    private static void replayApprovals(KafkaConnectCluster cluster, String suffix, int audited) throws Exception {
        String writeback = WRITEBACK + suffix;
        cluster.rest().stop(writeback);
        cluster.rest().awaitStatus(writeback, Duration.ofSeconds(60), "STOPPED",
                s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        cluster.rest().deleteOffsets(writeback);
        cluster.rest().resume(writeback);
        Await.until("the replay audited", Duration.ofMinutes(2), () -> audited(cluster) >= audited, () -> outcomes(cluster));
    }

    private static long approved(SimulatedSystems systems) {
        try {
            return get(systems, "m3/FAPIBH?SUPA=20&limit=100000").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fences off the decisions so far: one more change in AP's project, to the notes of the {@code fence} task, which
     * no rule acts on; once its event is on the event topic, the writeback consumes that topic to its end.
     * The webhook delivers in order and the source writes in order, so a decision delivered twice is on the topic
     * before the barrier, and the writeback audits every outcome before it commits. Returns the audit's outcomes then.
     */
    private static Map<String, Long> settledOutcomes(KafkaConnectCluster cluster, SimulatedSystems systems, String fence,
            String suffix) throws Exception {
        Instant made = Instant.now().truncatedTo(ChronoUnit.MILLIS); // event times are whole milliseconds
        systems.asana().changeTaskAsUser(fence, systems.user(), JsonNodeFactory.instance.objectNode()
                .put("notes", "barrier " + made));
        cluster.topics().readThroughBarriers(EVENTS, 1, r -> {
            JsonNode event = json(r.value()).path("payload");
            return fence.equals(event.path("task_gid").asText()) && "notes".equals(event.path("changed_field").asText())
                    && !Instant.ofEpochMilli(event.path("created_at").asLong()).isBefore(made);
        }, Duration.ofMinutes(1));
        cluster.topics().awaitConsumed("connect-" + WRITEBACK + suffix, EVENTS, Duration.ofMinutes(2));
        return outcomes(cluster);
    }

    private static long audited(KafkaConnectCluster cluster) {
        return outcomes(cluster).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Outcome to how many times the audit holds it. */
    private static Map<String, Long> outcomes(KafkaConnectCluster cluster) {
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        cluster.topics().readToEnd(AUDIT, Duration.ofSeconds(30))
                .forEach(r -> outcomes.merge(json(r.value()).path("outcome").asText(), 1L, Long::sum));
        return outcomes;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The offsets body that re-reads every source partition from the example's start date. */
    private static JsonNode offsetsSince(KafkaConnectCluster cluster, String connector) {
        var body = JSON.createObjectNode();
        var offsets = body.putArray("offsets");
        for (JsonNode offset : cluster.rest().offsets(connector).path("offsets")) {
            var entry = offsets.addObject();
            entry.set("partition", offset.path("partition"));
            entry.putObject("offset").put("since", "2020-01-01");
        }
        return body;
    }

    /** AP's tasks by their invoice key (company/division/batch); fails on two tasks for one key. */
    private static Map<String, Task> tasks(SimulatedSystems systems, String project) {
        Map<String, Task> tasks = new HashMap<>();
        systems.reviewer().projectTasks(project).forEach(task -> {
            String key = field(task, "Invoice key").textValue();
            if (tasks.put(key, task) != null) {
                throw new AssertionError("two tasks for invoice " + key);
            }
        });
        return tasks;
    }

    private static CustomFieldValue field(Task task, String name) {
        return task.customFields().stream().filter(f -> name.equals(f.name())).findFirst()
                .orElseThrow(() -> new AssertionError(task.gid() + " has no custom field " + name));
    }

    private static List<JsonNode> get(SimulatedSystems systems, String path) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        send(systems, "GET", path, null).forEach(rows::add);
        return rows;
    }

    private static JsonNode send(SimulatedSystems systems, String method, String path, Object body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(systems.ion().baseUrl() + "/_sim/" + path))
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.statusCode() / 100 == 2, method + " " + path + ": " + answer.body());
        return JSON.readTree(answer.body());
    }

}
