package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TasksTest {
    private static SimFixture fx;
    private static AsanaClient client;
    private static CustomFieldCatalog catalog;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimFixture();
        client = fx.client();
        catalog = client.customFields(fx.workspace);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void createCarriesEveryCustomFieldTypeInOnePost() {
        String multi = fx.sim.addCustomField(fx.workspace, "Approvers group", "multi_enum", null, null, null,
                List.of("Purchasing", "Finance"), List.of(fx.project));
        String date = fx.sim.addCustomField(fx.workspace, "Goods received", "date", null, null, null, null, List.of(fx.project));
        String due = fx.sim.addCustomField(fx.workspace, "Payment due", "date", null, null, null, null, List.of(fx.project));
        String people = fx.sim.addCustomField(fx.workspace, "Reviewer", "people", null, null, null, null, List.of(fx.project));
        CustomFieldCatalog fields = client.refreshCustomFields(fx.workspace);
        CustomField multiField = fields.byGid(multi).orElseThrow();
        String section = client.createSection(fx.project, "To approve").gid();
        long createsBefore = fx.calls("createTask");

        Task task = client.createTask(TaskRequest.builder("PO 4711")
                .notes("Purchase order 4711 from ACME")
                .membership(fx.project, section)
                .customFields(CustomFieldValues.builder()
                        .text(fields.require("PO number"), "PO-4711")
                        .number(fields.require("Amount"), new BigDecimal("1234.565"))
                        .enumOption(fields.require("Supplier"), "ACME Industrial Supply")
                        .enumOption(fields.require("Currency"), "EUR")
                        .multiEnum(multiField, multiField.enumOptions())
                        .date(fields.byGid(date).orElseThrow(), LocalDate.of(2026, 3, 31))
                        .dateTime(fields.byGid(due).orElseThrow(), OffsetDateTime.of(2026, 4, 30, 12, 0, 0, 0, ZoneOffset.ofHours(2)))
                        .people(fields.byGid(people).orElseThrow(), List.of("me"))
                        .build())
                .build());

        assertEquals(createsBefore + 1, fx.calls("createTask"));
        Task read = client.getTask(task.gid());
        assertEquals("PO 4711", read.name());
        assertEquals(section, read.memberships().get(0).section().gid());
        assertEquals("PO-4711", read.customField(fx.fields.get("PO number")).orElseThrow().textValue());
        // Precision 2: half-up rounding, and the value comes back as an exact BigDecimal.
        assertEquals(new BigDecimal("1234.57"), read.customField(fx.fields.get("Amount")).orElseThrow().numberValue());
        assertEquals("ACME Industrial Supply", read.customField(fx.fields.get("Supplier")).orElseThrow().enumValue().name());
        assertEquals("EUR", read.customField(fx.fields.get("Currency")).orElseThrow().displayValue());
        assertEquals(Set.of("Purchasing", "Finance"), read.customField(multi).orElseThrow().multiEnumValues().stream()
                .map(EnumOption::name).collect(Collectors.toSet()));
        assertEquals(LocalDate.of(2026, 3, 31), read.customField(date).orElseThrow().dateValue());
        assertEquals(OffsetDateTime.parse("2026-04-30T10:00:00Z").toInstant(),
                read.customField(due).orElseThrow().dateTimeValue().toInstant());
        assertEquals(List.of(fx.user), read.customField(people).orElseThrow().peopleGids());
    }

    @Test
    void updateSendsOnlyChangedFieldsAndCompletes() {
        Task task = client.createTask(TaskRequest.builder("Invoice 77").notes("keep me").project(fx.project).build());
        Task updated = client.updateTask(task.gid(), TaskUpdate.builder().completed(true)
                .customFields(CustomFieldValues.builder().text(catalog.require("Invoice number"), "INV-77").build())
                .build());
        assertTrue(updated.completed());
        assertNotNull(updated.completedAt());
        assertEquals("keep me", updated.notes());
        assertEquals("INV-77", updated.customField(fx.fields.get("Invoice number")).orElseThrow().textValue());
        assertFalse(updated.modifiedAt().isBefore(task.modifiedAt()));

        Task cleared = client.updateTask(task.gid(), TaskUpdate.builder()
                .customFields(CustomFieldValues.builder().clear(catalog.require("Invoice number")).build()).build());
        assertNull(cleared.customField(fx.fields.get("Invoice number")).orElseThrow().textValue());
        assertTrue(TaskUpdate.builder().build().isEmpty());
    }

    @Test
    void readsTasksTenToABatchCallAsTheSingleReadDoes() {
        String project = fx.sim.addProject(fx.workspace, "Batch reads");
        List<String> gids = fx.sim.seedTasks(project, fx.user, 23);
        List<String> asked = new ArrayList<>(gids);
        asked.add("4040404040");
        long batches = fx.calls("createBatchRequest");
        long reads = fx.calls("getTask");

        Map<String, Optional<Task>> tasks = client.getTasks(asked);

        assertEquals(asked, List.copyOf(tasks.keySet()));
        assertEquals("Seeded task 1", tasks.get(gids.get(0)).orElseThrow().name());
        assertTrue(tasks.get("4040404040").isEmpty(), "a task that does not exist is empty, not an error");
        assertEquals(3, fx.calls("createBatchRequest") - batches);
        assertEquals(24, fx.calls("getTask") - reads, "each action is a read of its own");
        assertEquals(client.getTask(gids.get(17)), tasks.get(gids.get(17)).orElseThrow());
    }

    @Test
    void readsTheBatchesSideBySideOnAnExecutorWithTheSameAnswer() {
        String project = fx.sim.addProject(fx.workspace, "Batch reads side by side");
        List<String> gids = fx.sim.seedTasks(project, fx.user, 25);
        long batches = fx.calls("createBatchRequest");
        ExecutorService calls = Executors.newFixedThreadPool(3);
        try {
            Map<String, Optional<Task>> tasks = client.getTasks(gids, calls);

            assertEquals(gids, List.copyOf(tasks.keySet()), "in the order asked");
            assertEquals(client.getTasks(gids), tasks);
            assertEquals(6, fx.calls("createBatchRequest") - batches, "3 batch calls each way");
        } finally {
            calls.shutdownNow();
        }
    }

    @Test
    void pagesThroughTenThousandTasksOneHundredAtATime() {
        String project = fx.sim.addProject(fx.workspace, "Big project");
        fx.sim.seedTasks(project, fx.user, 10_000);
        long before = fx.calls("getTasksForProject");

        List<Task> tasks = client.projectTasks(project).toList();

        assertEquals(10_000, tasks.size());
        assertEquals(10_000, tasks.stream().map(Task::gid).distinct().count());
        assertEquals("Seeded task 10000", tasks.get(9_999).name());
        assertEquals(100, fx.calls("getTasksForProject") - before);
    }

    @Test
    void listsOnlyTasksModifiedSinceAnInstant() throws Exception {
        String project = fx.sim.addProject(fx.workspace, "Recent changes");
        client.createTask(TaskRequest.builder("before").project(project).build());
        Thread.sleep(5);
        Instant since = Instant.now();
        Thread.sleep(5);
        Task after = client.createTask(TaskRequest.builder("after").project(project).build());
        assertEquals(List.of(after.gid()), client.projectTasksModifiedSince(project, since).map(Task::gid).toList());
    }

    @Test
    void searchFindsTasksByCustomFieldValueInPremiumWorkspaces() {
        CustomField po = catalog.require("PO number");
        for (String number : List.of("PO-9001", "PO-9002", "PO-9001")) {
            client.createTask(TaskRequest.builder(number).project(fx.project)
                    .customFields(CustomFieldValues.builder().text(po, number).build()).build());
        }
        List<Task> found = client.searchTasksByCustomField(fx.workspace, po, "PO-9001");
        assertEquals(2, found.size());
        assertTrue(found.stream().allMatch(t -> t.customField(po.gid()).orElseThrow().textValue().equals("PO-9001")));

        String freeWorkspace = fx.sim.addWorkspace("Free", false);
        assertThrows(PaymentRequiredException.class, () -> client.searchTasksByCustomField(freeWorkspace, po, "x"));
    }

    @Test
    void commentsAndSections() {
        Task task = client.createTask(TaskRequest.builder("Commented").project(fx.project).build());
        Story story = client.addComment(task.gid(), "Approved by AP");
        assertEquals("comment_added", story.resourceSubtype());
        assertEquals(List.of("Approved by AP"), client.listStories(task.gid(), null).items().stream()
                .map(Story::text).toList());

        Section done = client.createSection(fx.project, "Done");
        assertTrue(client.listSections(fx.project).contains(done));
        client.addTaskToSection(done.gid(), task.gid());
        assertEquals(done.gid(), client.getTask(task.gid()).memberships().get(0).section().gid());
    }

    @Test
    void externalIdNeedsOAuthAndAddressesTheTask() {
        String refresh = fx.sim.addRefreshToken(fx.user);
        AsanaClient oauth = fx.client(AsanaCredentials.oauth(null, refresh, fx.sim.oauthClientId(),
                fx.sim.oauthClientSecret(), "urn:ietf:wg:oauth:2.0:oob", fx.sim.tokenUrl()));
        Task created = oauth.createTask(TaskRequest.builder("PO 5000").project(fx.project)
                .external(new External("infor:t1:100:po:5000", "{\"rev\":1}")).build());
        assertEquals("infor:t1:100:po:5000", created.external().gid());
        assertEquals(created.gid(), oauth.findTaskByExternalId("infor:t1:100:po:5000").orElseThrow().gid());
        assertTrue(oauth.findTaskByExternalId("infor:t1:100:po:5001").isEmpty());

        TaskRequest withExternal = TaskRequest.builder("x").project(fx.project).external(new External("e", null)).build();
        assertThrows(IllegalStateException.class, () -> client.createTask(withExternal));
    }

    @Test
    void customFieldWritesAreCheckedAgainstTheFieldType() {
        CustomField amount = catalog.require("Amount");
        assertThrows(IllegalArgumentException.class, () -> CustomFieldValues.builder().text(amount, "12"));
        assertThrows(IllegalArgumentException.class,
                () -> CustomFieldValues.builder().enumOption(catalog.require("Supplier"), "Nobody Ltd"));
    }
}
