package io.mlconnector.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.CustomFieldValues;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.TaskRequest;
import io.mlconnector.asana.TaskUpdate;
import io.mlconnector.it.Await;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.asana.PurchaseOrderRecords;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What Asana project members can cause in M3 through the whole pipeline, tried as the trusted-approvals
 * work promises: hand-made tasks carrying real PO numbers, real tasks with their PO number retyped,
 * POs closed in M3 (the connectors complete their tasks), the same PO number in two companies, an
 * approval of a PO that no longer exists, and completions by a member who is no approver. Only the
 * approver's completions of the connectors' own tasks may stamp a PO, and only that task's own PO.
 */
final class HostileMembers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConnectCluster cluster;
    private final PipelineRun run;
    private final int each;

    /** What the scenario found, for the scorecard. */
    record Outcome(long records, long duplicates, long missing, long unauthorizedWritebacks, String detail) {
    }

    HostileMembers(KafkaConnectCluster cluster, PipelineRun run, int each) {
        this.cluster = cluster;
        this.run = run;
        this.each = each;
    }

    Outcome run() throws Exception {
        AsanaSimulator asana = run.systems().asana();
        String member = asana.addUser("Mallory Member", "mallory@example.com");
        String memberToken = "member-" + UUID.randomUUID();
        asana.addToken(memberToken, member, false);
        AsanaClient mallory = AsanaClient.builder(AsanaCredentials.personalAccessToken(memberToken))
                .baseUrl(asana.apiUrl()).budget(1_000_000, Duration.ofMinutes(1)).build();
        CustomField poField = mallory.customFields(run.systems().workspace()).require("PO number");

        List<Task> open = run.tasksByPurchaseOrder().values().stream().map(list -> list.get(0))
                .filter(task -> !task.completed()).toList();
        if (open.size() < 5 * each + 1) {
            throw new AssertionError("only " + open.size() + " open tasks, " + (5 * each + 1) + " needed");
        }
        List<Task> neverApproved = open.subList(0, each);
        List<Task> retyped = open.subList(each, 2 * each);
        List<Task> closedInM3 = open.subList(2 * each, 4 * each);
        List<Task> byMember = open.subList(4 * each, 5 * each);
        Task gone = open.get(5 * each);
        Set<String> expected = new HashSet<>();

        // (a) Mallory makes tasks carrying real PO numbers, and the approver is tricked into completing them
        List<String> planted = new ArrayList<>();
        for (Task target : neverApproved) {
            planted.add(mallory.createTask(TaskRequest.builder("PO " + PipelineRun.poNumber(target)).project(
                    run.systems().project()).customFields(CustomFieldValues.builder().text(poField, text(target))
                    .build()).build()).gid());
        }
        planted.forEach(run.systems()::complete);

        // (b) Mallory retypes real tasks' PO numbers to POs that must never be approved; the approver completes them
        for (int i = 0; i < retyped.size(); i++) {
            Task task = retyped.get(i);
            mallory.updateTask(task.gid(), TaskUpdate.builder().customFields(CustomFieldValues.builder()
                    .text(poField, text(neverApproved.get(i))).build()).build());
            expected.add(companyAndNumber(task));
        }
        run.complete(retyped);

        // (c) POs move to 85 (invoiced) or 99 (deleted) in M3: the connectors complete their tasks themselves
        for (int i = 0; i < closedInM3.size(); i++) {
            String status = i % 2 == 0 ? "85" : "99";
            run.m3("PATCH", "m3/MPHEAD", Map.of("key", Map.of("CONO", PurchaseOrderRecords.company(text(closedInM3.get(i))),
                    "PUNO", PipelineRun.poNumber(closedInM3.get(i))), "set", Map.of("PUSL", status, "PUST", status)));
        }

        // (d) one PO number in companies 100 and 200: two tasks, each approval on its own company
        String shared = run.createPurchaseOrder("100", "AAA", null, "777.00");
        run.createPurchaseOrder("200", "CCC", shared, "888.00");
        Await.until("the tasks of PO " + shared + " in companies 100 and 200", Duration.ofMinutes(2),
                () -> sharedTasks(shared).size() == 2);
        sharedTasks(shared).forEach(task -> run.systems().complete(task.gid()));
        expected.add("100/" + shared);
        expected.add("200/" + shared);

        // (e) the PO of a task is gone from M3 when the approver completes the task
        String gonePo = PipelineRun.poNumber(gone);
        run.m3("DELETE", "m3/MPHEAD?CONO=" + PurchaseOrderRecords.company(text(gone)) + "&PUNO=" + gonePo, null);
        run.systems().complete(gone.gid());

        // (f) Mallory, no approver, completes real tasks
        byMember.forEach(task -> asana.changeTaskAsUser(task.gid(), member,
                JsonNodeFactory.instance.objectNode().put("completed", true)));

        Set<String> closedGids = closedInM3.stream().map(Task::gid).collect(Collectors.toSet());
        Await.until("the connectors completing the tasks of the POs closed in M3", Duration.ofMinutes(3),
                () -> run.systems().reviewer().projectTasks(run.systems().project())
                        .filter(t -> closedGids.contains(t.gid()) && t.completed()).count() == closedGids.size());
        Map<String, Long> wanted = Map.of("NOT_OURS", (long) each, "NOT_A_DECISION", (long) closedInM3.size(),
                "NOT_ALLOWED", (long) each, "REJECTED", 1L, "APPLIED", (long) expected.size());
        int total = wanted.values().stream().mapToInt(Long::intValue).sum();
        try {
            Await.until("every decision audited", Duration.ofMinutes(3), () -> {
                Map<String, Long> audited = outcomes();
                return wanted.entrySet().stream().allMatch(e -> audited.getOrDefault(e.getKey(), 0L) >= e.getValue());
            });
        } catch (AssertionError timedOut) {
            System.out.println("hostile members: audit outcomes " + outcomes() + ", wanted " + wanted);
        }
        run.awaitApprovals(expected.size(), Duration.ofMinutes(2));

        Map<String, Long> audited = outcomes();
        Map<String, Integer> stamps = run.approvalsByCompany();
        long unauthorized = stamps.keySet().stream().filter(key -> !expected.contains(key)).count();
        long missing = expected.stream().filter(key -> !stamps.containsKey(key)).count()
                + wanted.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - audited.getOrDefault(e.getKey(), 0L))).sum();
        long duplicates = stamps.values().stream().mapToLong(n -> n - 1).sum() + connectorTasks(member).values().stream()
                .mapToLong(list -> list.size() - 1).sum();
        return new Outcome(planted.size() + retyped.size() + closedInM3.size() + 2 + 1 + byMember.size(), duplicates,
                missing, unauthorized, ("%d planted, %d retyped, %d closed in M3, 2 companies, 1 gone, %d by a non-approver; "
                        + "audit %s; stamps %d (wanted %d)").formatted(planted.size(), retyped.size(), closedInM3.size(),
                        byMember.size(), new java.util.TreeMap<>(audited), stamps.size(), expected.size()));
    }

    /**
     * The connectors' tasks by the name the sink gave them (PO number, supplier, amount), leaving out what Mallory
     * made: the PO number field is the one thing the scenario retypes, so it cannot tell two tasks apart.
     */
    private Map<String, List<Task>> connectorTasks(String member) {
        Map<String, List<Task>> tasks = new HashMap<>();
        run.systems().reviewer().projectTasks(run.systems().project()).filter(t -> !member.equals(t.createdByGid()))
                .forEach(t -> tasks.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(t));
        return tasks;
    }

    private List<Task> sharedTasks(String po) {
        return run.systems().reviewer().projectTasks(run.systems().project())
                .filter(t -> po.equals(PurchaseOrderRecords.number(text(t)))).toList();
    }

    /** {@code CONO/PUNO} of the connectors' task, as the approvals are counted. */
    private static String companyAndNumber(Task task) {
        return PurchaseOrderRecords.company(text(task)) + "/" + PipelineRun.poNumber(task);
    }

    private static String text(Task task) {
        return task.customFields().stream().filter(f -> "PO number".equals(f.name())).map(f -> f.textValue())
                .findFirst().orElse(null);
    }

    /** Outcome to how many times the audit holds it now. */
    private Map<String, Long> outcomes() {
        Map<String, Long> outcomes = new HashMap<>();
        cluster.topics().readToEnd(PipelineRun.AUDIT, Duration.ofSeconds(30)).forEach(record -> {
            try {
                JsonNode audit = JSON.readTree(record.value());
                outcomes.merge(audit.path("outcome").asText(), 1L, Long::sum);
            } catch (Exception e) {
                outcomes.merge("UNREADABLE", 1L, Long::sum);
            }
        });
        return outcomes;
    }
}
