package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.connect.AsanaClients;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.RecordIdentity;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upsert against the Asana simulator, for both ways of finding a record's task: Asana's external
 * id (OAuth tokens) and the upsert-key custom field (PATs). A fresh index, as after a restart, finds
 * in the task ledger what an earlier writer created, so nothing is created twice; Asana is searched only
 * for a create the ledger left open, and only tasks the connector's own user made are ever adopted.
 */
class TaskWriterTest {

    private AsanaSimulator sim;
    private String workspace;
    private String project;
    private String user;

    @BeforeEach
    void start() throws Exception {
        sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)).withAnswerChecks());
        Map<String, Object> seeded = sim.seedPurchaseOrderProject("seed-" + UUID.randomUUID());
        workspace = (String) seeded.get("workspace");
        project = (String) seeded.get("project");
        user = (String) seeded.get("user");
    }

    @AfterEach
    void stop() {
        java.util.List<String> problems = sim.answerProblems();
        sim.close();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), problems, "answers that broke the spec");
    }

    @Test
    void oauthTasksAreFoundByTheirExternalId() {
        Map<String, String> props = settings(null);
        props.remove("asana.token");
        props.put("asana.token.type", "OAUTH");
        props.put("asana.oauth.refresh.token", sim.addRefreshToken(user));
        props.put("asana.oauth.client.id", sim.oauthClientId());
        props.put("asana.oauth.client.secret", sim.oauthClientSecret());
        props.put("asana.oauth.token.url", sim.tokenUrl());
        assertUpsertsOnce(props);
    }

    @Test
    void patTasksAreFoundByTheUpsertKeyField() {
        String token = "pat-" + UUID.randomUUID();
        sim.addToken(token, user, false);
        Map<String, String> props = settings(token);
        props.put("upsert.key.custom.field", "PO number");
        props.put("upsert.key.template", "${number}");
        assertUpsertsOnce(props);
    }

    private void assertUpsertsOnce(Map<String, String> props) {
        AsanaSinkConfig config = new AsanaSinkConfig(props);
        AsanaClient client = AsanaClients.create(config);
        TaskMapper mapper = mapper(config, client);
        boolean external = config.tokenType() == AsanaTokenType.OAUTH;
        MemoryLedger ledger = new MemoryLedger();

        TaskWriter first = writer(client, mapper, external, ledger);
        long beforeCreates = sim.log().calls();
        assertEquals(TaskWriter.Outcome.CREATED, write(first, mapper, po("4000000001", "100.00")));
        assertEquals(TaskWriter.Outcome.CREATED, write(first, mapper, po("4000000002", "200.00")));
        assertEquals(beforeCreates + 2, sim.log().calls(), "a create announced in the ledger is sent, not looked up first");

        // a new writer, as after a restart: its index comes from the ledger alone, at no Asana cost
        long before = sim.log().calls();
        TaskWriter restarted = writer(client, mapper, external, ledger);
        assertEquals(before, sim.log().calls(), "the rebuild reads the ledger, not Asana");
        long creates = sim.log().calls("asana.createTask");
        long updates = sim.log().calls("asana.updateTask");
        assertEquals(TaskWriter.Outcome.UNCHANGED, write(restarted, mapper, po("4000000001", "100.00")));
        assertEquals(TaskWriter.Outcome.UPDATED, write(restarted, mapper, po("4000000002", "250.00")));
        assertEquals(creates, sim.log().calls("asana.createTask"), "nothing created twice");
        assertEquals(updates + 1, sim.log().calls("asana.updateTask"), "one call for the change, none for the repeat");
        assertEquals(2, sim.taskCount());
        if (external) {
            Task found = client.findTaskByExternalId("infor:ACME_TST:100:purchase-orders:4000000002").orElseThrow();
            assertNotNull(found.external());
        }
        LedgerEntry entry = ledger.entries().get(ledger.entries().size() - 1);
        assertEquals(new RecordIdentity(null, "ACME_TST", "100", null, "purchase-orders", "4000000002"), entry.record());
        assertEquals(user, entry.connectorUserGid());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsAdoptedNotRepeated() {
        AsanaSinkConfig config = new AsanaSinkConfig(patSettings());
        AsanaClient client = AsanaClients.create(config);
        TaskMapper mapper = mapper(config, client);
        MemoryLedger ledger = new MemoryLedger();
        TaskWriter first = writer(client, mapper, false, ledger);
        write(first, mapper, po("4000000001", "100.00"));
        // the crash: the pending entry is in the ledger, the task in Asana, the entry naming it never written
        RecordView lost = po("4000000002", "200.00");
        TaskWriter.Write write = new TaskWriter.Write(mapper.map(lost), RecordIdentity.of(lost).orElseThrow());
        first.announceCreates(List.of(write));
        MemoryLedger crashed = new MemoryLedger();
        ledger.entries().forEach(crashed::append);
        first.write(write);

        TaskWriter restarted = writer(client, mapper, false, crashed);
        assertEquals(TaskWriter.Outcome.UNCHANGED, restarted.write(write));
        assertEquals(2, sim.taskCount(), "the lost create was found, not repeated");
    }

    @Test
    void aTaskAProjectMemberPlantedIsNeverAdopted() {
        AsanaSinkConfig config = new AsanaSinkConfig(patSettings());
        AsanaClient client = AsanaClients.create(config);
        TaskMapper mapper = mapper(config, client);
        // a member makes a task carrying a PO's number before the sink ever ran (empty ledger: adoption scan)
        String member = sim.addUser("Project Member", "member@example.com");
        String memberToken = "member-" + UUID.randomUUID();
        sim.addToken(memberToken, member, false);
        AsanaClient memberClient = AsanaClients.create(new AsanaSinkConfig(Map.of("asana.token", memberToken,
                "asana.base.url", sim.apiUrl(), "asana.workspace.gid", workspace, "asana.project.gid", project,
                "upsert.key.custom.field", "PO number", "ledger.bootstrap.servers", "unused:9092")));
        TaskWriter memberWriter = writer(memberClient, mapper(config, memberClient), false, new MemoryLedger(), member);
        RecordView planted = po("4000000001", "1.00");
        memberWriter.write(new TaskWriter.Write(mapper.map(planted), RecordIdentity.of(planted).orElseThrow()));

        MemoryLedger ledger = new MemoryLedger();
        TaskWriter sink = writer(client, mapper, false, ledger);
        assertEquals(TaskWriter.Outcome.CREATED, write(sink, mapper, po("4000000001", "100.00")));
        assertEquals(2, sim.taskCount(), "the sink made its own task");
        assertEquals(user, ledger.entries().get(ledger.entries().size() - 1).connectorUserGid());
    }

    @Test
    void updateModeChangesOnlyItsFieldsOfTasksAnotherSinkMadeAndNeverCreates() {
        Map<String, String> upsertSettings = patSettings();
        AsanaSinkConfig upsertConfig = new AsanaSinkConfig(upsertSettings);
        AsanaClient client = AsanaClients.create(upsertConfig);
        TaskMapper upsertMapper = mapper(upsertConfig, client);
        MemoryLedger ledger = new MemoryLedger();
        TaskWriter upserts = writer(client, upsertMapper, false, ledger);

        Map<String, String> updateSettings = new HashMap<>(upsertSettings);
        updateSettings.put("write.mode", "update");
        updateSettings.put("custom.fields", "Currency=${currency}");
        AsanaSinkConfig updateConfig = new AsanaSinkConfig(updateSettings);
        TaskMapper updateMapper = mapper(updateConfig, client);
        WrittenState written = new WrittenState(project, updateMapper.fieldGids());
        TaskIndex updateIndex = new TaskIndex(client, ledger, project, user, updateMapper.keyField(), written);
        updateIndex.rebuild(ledger);
        TaskWriter updates = new TaskWriter(client, updateIndex, written, project, false, true);

        // the task is made after the update sink indexed the ledger: it learns of it by reading on
        write(upserts, upsertMapper, po("4000000001", "100.00"));
        String name = client.projectTasks(project).findFirst().orElseThrow().name();
        RecordIdentity payment = new RecordIdentity("m3", "ACME_TST", "100", "AAA", "payments", "S1/INV-1/2026");
        long calls = sim.log().calls();
        assertEquals(TaskWriter.Outcome.NO_TASK, updates.write(new TaskWriter.Write(
                updateMapper.map(withCurrency(po("4000000009", "1.00"), "SEK")), payment)));
        assertEquals(calls, sim.log().calls(), "a record without a task costs nothing and creates nothing");

        updateIndex.catchUp(ledger);
        TaskWriter.Write patch = new TaskWriter.Write(updateMapper.map(withCurrency(po("4000000001", "999.00"), "SEK")),
                payment);
        updates.announceCreates(List.of(patch));
        assertEquals(TaskWriter.Outcome.UPDATED, updates.write(patch));
        assertEquals(TaskWriter.Outcome.UNCHANGED, updates.write(patch));
        assertEquals(calls + 1, sim.log().calls(), "one call for the changed field, none for the repeat");
        Task task = client.projectTasks(project).findFirst().orElseThrow();
        assertEquals(name, task.name(), "update mode never renames a task");
        assertEquals(1, sim.taskCount());
        LedgerEntry entry = ledger.entries().get(ledger.entries().size() - 1);
        assertEquals("purchase-orders", entry.record().entity(), "the task still stands for the record that made it");
    }

    @SuppressWarnings("unchecked")
    private static RecordView withCurrency(RecordView record, String currency) {
        ((Map<String, Object>) record.record().value()).put("currency", currency);
        return record;
    }

    private TaskMapper mapper(AsanaSinkConfig config, AsanaClient client) {
        return new TaskMapper(config, client.customFields(workspace), new EnumOptions(client));
    }

    private Map<String, String> patSettings() {
        String token = "pat-" + UUID.randomUUID();
        sim.addToken(token, user, false);
        Map<String, String> props = settings(token);
        props.put("upsert.key.custom.field", "PO number");
        props.put("upsert.key.template", "${number}");
        return props;
    }

    private static TaskWriter.Outcome write(TaskWriter writer, TaskMapper mapper, RecordView record) {
        TaskWriter.Write write = new TaskWriter.Write(mapper.map(record), RecordIdentity.of(record).orElseThrow());
        writer.announceCreates(List.of(write));
        return writer.write(write);
    }

    private TaskWriter writer(AsanaClient client, TaskMapper mapper, boolean external, MemoryLedger ledger) {
        return writer(client, mapper, external, ledger, user);
    }

    private TaskWriter writer(AsanaClient client, TaskMapper mapper, boolean external, MemoryLedger ledger,
            String asUser) {
        WrittenState written = new WrittenState(project, mapper.fieldGids());
        TaskIndex index = new TaskIndex(client, ledger, project, asUser, mapper.keyField(), written);
        index.rebuild(ledger);
        return new TaskWriter(client, index, written, project, external, false);
    }

    private Map<String, String> settings(String token) {
        Map<String, String> props = new HashMap<>();
        props.put("asana.token", token);
        props.put("asana.base.url", sim.apiUrl());
        props.put("asana.workspace.gid", workspace);
        props.put("asana.project.gid", project);
        props.put("custom.fields", "PO number=${number},Amount=${amount},Currency=${currency}");
        props.put("ledger.bootstrap.servers", "unused:9092");
        return props;
    }

    private static RecordView po(String number, String amount) {
        return new RecordView(PurchaseOrderRecords.purchaseOrder(number, amount, "ACME Industrial Supply"));
    }
}
