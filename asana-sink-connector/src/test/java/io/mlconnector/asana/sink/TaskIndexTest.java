package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.CustomFieldValues;
import io.mlconnector.asana.External;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.TaskRequest;
import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.connect.ledger.RecordIdentity;
import io.mlconnector.simulators.asana.AsanaSimulator;
import io.mlconnector.simulators.common.RequestLog;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's index of its project's tasks by upsert key, built from the task ledger against the Asana simulator:
 * the ledger alone answers after a restart; Asana is read only to adopt tasks when the ledger knows none, or to
 * settle a create whose outcome the ledger left open, and then only tasks the connector's own user made count.
 */
class TaskIndexTest {

    private SeededAsana asana;
    private AsanaSimulator sim;
    private String workspace;
    private String project;
    private String user;
    private AsanaClient client;
    private AsanaClient member;
    private CustomField keyField;
    private WrittenState written;

    @BeforeEach
    void start() throws Exception {
        asana = new SeededAsana();
        sim = asana.sim;
        workspace = asana.workspace;
        project = asana.project;
        user = asana.user;
        client = asana.client();
        String memberToken = "member-" + UUID.randomUUID();
        sim.addToken(memberToken, sim.addUser("Project Member", "member@example.com"), false);
        member = client(AsanaCredentials.personalAccessToken(memberToken));
        keyField = client.customFields(workspace).require("PO number");
        written = new WrittenState(project, Set.of(keyField.gid()));
    }

    @AfterEach
    void stop() {
        client.close();
        member.close();
        asana.close();
    }

    @Test
    void aRebuildIndexesItsProjectsEntriesFromTheLedgerWithoutCallingAsana() {
        MemoryLedger ledger = new MemoryLedger();
        ledger.append(entry("4000000001", "1001"));
        ledger.append(entry("4000000002", "1002"));
        ledger.append(new LedgerEntry("another-project", "4000000003", "1003", record("4000000003"), user, null,
                Map.of(), Instant.now()));
        LedgerEntry deleted = entry("4000000004", "1004");
        ledger.append(deleted);
        ledger.remove(deleted);
        ledger.append(entry("4000000001", "1005")); // re-created: the later entry wins
        long calls = sim.log().calls();

        TaskIndex index = index(ledger);

        assertEquals(calls, sim.log().calls());
        assertEquals(0, index.rebuildCalls());
        assertEquals(2, index.size());
        assertEquals("1005", index.get("4000000001").orElseThrow().taskGid());
        assertEquals("1002", index.get("4000000002").orElseThrow().taskGid());
        assertEquals(Optional.empty(), index.get("4000000003"), "another project's task");
        assertEquals(Optional.empty(), index.get("4000000004"), "removed from the ledger");
        assertEquals(calls, sim.log().calls());
    }

    @Test
    void onAnEmptyLedgerOnlyKeyedTasksTheConnectorsUserMadeAreAdopted() {
        Task own = create(client, "4000000001");
        create(member, "4000000002");
        client.createTask(TaskRequest.builder("A task without a key").project(project).build());
        MemoryLedger ledger = new MemoryLedger();

        TaskIndex index = index(ledger);

        assertEquals(1, index.size());
        LedgerEntry adopted = index.get("4000000001").orElseThrow();
        assertEquals(own.gid(), adopted.taskGid());
        assertEquals(user, adopted.connectorUserGid());
        assertNull(adopted.record(), "known once its record comes by");
        assertEquals(written.of(own), adopted.written(), "an unchanged record then costs no update");
        assertEquals(Optional.empty(), index.get("4000000002"), "a member's task never stands for a record");
        assertEquals(List.of(adopted), ledger.entries(), "adopted into the ledger");
        assertTrue(index.rebuildCalls() > 0);

        long calls = sim.log().calls();
        TaskIndex restarted = index(ledger);
        assertEquals(calls, sim.log().calls(), "the ledger knows the project now");
        assertEquals(own.gid(), restarted.get("4000000001").orElseThrow().taskGid());
    }

    @Test
    void aRebuildSettlesTheCreatesTheLedgerLeftOpen() {
        MemoryLedger ledger = new MemoryLedger();
        ledger.append(entry("4000000009", "1009"));
        Instant announced = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ledger.append(LedgerEntry.pending(project, "4000000001", record("4000000001"), user, announced));
        ledger.append(LedgerEntry.pending(project, "4000000002", record("4000000002"), user, announced.plusSeconds(1)));
        Task sent = create(client, "4000000001"); // its answer was lost in a crash
        long searches = sim.log().calls("asana.getTasks");

        TaskIndex index = index(ledger);

        assertEquals(searches + 1, sim.log().calls("asana.getTasks"));
        assertEquals(announced.minus(TaskIndex.CLOCK_MARGIN).toString(), lastModifiedSinceAsked(),
                "searched from the oldest open create, with a margin for the clocks");
        LedgerEntry settled = index.get("4000000001").orElseThrow();
        assertEquals(sent.gid(), settled.taskGid());
        assertEquals(record("4000000001"), settled.record(), "the record the create was for");
        assertEquals(settled, ledger.entries().get(ledger.entries().size() - 1));
        long calls = sim.log().calls();
        assertEquals(Optional.empty(), index.get("4000000002"), "never made: its record's redelivery creates it");
        assertEquals(calls, sim.log().calls());
        assertEquals(2, index.size());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsLookedUpBeforeItIsSentAgain() {
        TaskIndex index = index(new MemoryLedger());
        index.put(LedgerEntry.pending(project, "4000000001", record("4000000001"), user, Instant.now()));
        long calls = sim.log().calls();
        assertEquals(Optional.empty(), index.get("4000000001"), "announced, not sent yet: nothing to look for");
        assertEquals(calls, sim.log().calls());

        Task sent = create(client, "4000000001");
        index.uncertain("4000000001"); // a 5xx or a timeout answered the create

        LedgerEntry found = index.get("4000000001").orElseThrow();
        assertEquals(sent.gid(), found.taskGid());
        assertEquals(record("4000000001"), found.record());
        calls = sim.log().calls();
        assertEquals(sent.gid(), index.get("4000000001").orElseThrow().taskGid());
        assertEquals(calls, sim.log().calls(), "settled once");
    }

    @Test
    void aLookUpThatFailsLeavesTheCreateUncertainSoTheNextAttemptLooksAgainInsteadOfCreating() {
        TaskIndex index = index(new MemoryLedger());
        index.put(LedgerEntry.pending(project, "4000000001", record("4000000001"), user, Instant.now()));
        Task sent = create(client, "4000000001");
        index.uncertain("4000000001");
        sim.server().faults().add(FaultRule.status("asana.getTasks", 503, 3)); // every attempt of the client's policy

        assertThrows(RuntimeException.class, () -> index.get("4000000001"));

        assertEquals(sent.gid(), index.get("4000000001").orElseThrow().taskGid());
    }

    @Test
    void aLostCreateThatNeverReachedAsanaLeavesTheKeyFreeToCreate() {
        TaskIndex index = index(new MemoryLedger());
        index.put(LedgerEntry.pending(project, "4000000001", record("4000000001"), user, Instant.now()));
        create(member, "4000000001"); // a member's task with the same number is not the lost create
        index.uncertain("4000000001");

        assertEquals(Optional.empty(), index.get("4000000001"));

        long calls = sim.log().calls();
        assertEquals(Optional.empty(), index.get("4000000001"));
        assertEquals(calls, sim.log().calls(), "looked up once");
        assertEquals(0, index.size());
    }

    @Test
    void withExternalIdsTasksAreFoundByTheirExternalId() {
        AsanaClient oauth = client(AsanaCredentials.oauth(null, sim.addRefreshToken(user), sim.oauthClientId(),
                sim.oauthClientSecret(), null, sim.tokenUrl()));
        String adoptedKey = "infor:ACME_TST:100:purchase-orders:4000000001";
        Task earlier = oauth.createTask(TaskRequest.builder("PO 4000000001").project(project)
                .external(new External(adoptedKey, null)).build());
        MemoryLedger ledger = new MemoryLedger();
        TaskIndex index = new TaskIndex(oauth, ledger, project, user, null, written);
        index.rebuild(ledger);
        assertEquals(earlier.gid(), index.get(adoptedKey).orElseThrow().taskGid(), "adopted by its external id");

        String lostKey = "infor:ACME_TST:100:purchase-orders:4000000002";
        index.put(LedgerEntry.pending(project, lostKey, record("4000000002"), user, Instant.now()));
        Task sent = oauth.createTask(TaskRequest.builder("PO 4000000002").project(project)
                .external(new External(lostKey, null)).build());
        index.uncertain(lostKey);
        long searches = sim.log().calls("asana.getTasks");
        long reads = sim.log().calls("asana.getTask");

        assertEquals(sent.gid(), index.get(lostKey).orElseThrow().taskGid());
        assertEquals(reads + 1, sim.log().calls("asana.getTask"), "one read of external:<key>");
        assertEquals(searches, sim.log().calls("asana.getTasks"));
        oauth.close();
    }

    @Test
    void theLedgersTaskIsKeptWhenAsanaHasAnotherWithTheSameKey() {
        Task known = create(client, "4000000001");
        create(client, "4000000001"); // a duplicate, e.g. copied in Asana's UI by the integration user
        MemoryLedger ledger = new MemoryLedger();
        ledger.append(entry("4000000001", known.gid()));
        ledger.append(LedgerEntry.pending(project, "4000000002", record("4000000002"), user, Instant.now()));

        TaskIndex index = index(ledger);

        assertEquals(known.gid(), index.get("4000000001").orElseThrow().taskGid());
        assertEquals(record("4000000001"), index.get("4000000001").orElseThrow().record());
    }

    @Test
    void catchingUpTakesWhatOtherSinkTasksWroteToTheLedger() {
        MemoryLedger ledger = new MemoryLedger();
        LedgerEntry first = entry("4000000001", "1001");
        ledger.append(first);
        TaskIndex index = index(ledger);
        ledger.append(entry("4000000002", "1002"));
        ledger.remove(first);
        assertEquals(Optional.empty(), index.get("4000000002"), "not read yet");
        long calls = sim.log().calls();

        index.catchUp(ledger);

        assertEquals("1002", index.get("4000000002").orElseThrow().taskGid());
        assertEquals(Optional.empty(), index.get("4000000001"));
        assertEquals(calls, sim.log().calls());
    }

    @Test
    void whatTheIndexIsToldGoesToTheLedgerForTheNextRebuild() {
        MemoryLedger ledger = new MemoryLedger();
        ledger.append(entry("4000000009", "1009"));
        TaskIndex index = index(ledger);

        index.put(entry("4000000001", "1001"));
        index.put(entry("4000000002", "1002"));
        index.forget("4000000002"); // Asana refused its create

        TaskIndex restarted = index(ledger);
        assertEquals("1001", restarted.get("4000000001").orElseThrow().taskGid());
        assertEquals(Optional.empty(), restarted.get("4000000002"));
        assertEquals(Optional.empty(), index.get("4000000002"));
    }

    @Test
    void anEntryWithoutItsRecordKeepsTheRecordTheLedgerKnewForThatTask() {
        MemoryLedger ledger = new MemoryLedger();
        ledger.append(entry("4000000001", "1001"));
        // another sink task's rebuild adopted the same task before it saw the record
        ledger.append(new LedgerEntry(project, "4000000001", "1001", null, user, null, Map.of(), Instant.now()));

        assertEquals(record("4000000001"), index(ledger).get("4000000001").orElseThrow().record());
    }

    private TaskIndex index(MemoryLedger ledger) {
        TaskIndex index = new TaskIndex(client, ledger, project, user, keyField, written);
        index.rebuild(ledger);
        return index;
    }

    private Task create(AsanaClient as, String number) {
        return as.createTask(TaskRequest.builder("PO " + number).project(project)
                .customFields(CustomFieldValues.builder().text(keyField, number).build()).build());
    }

    private LedgerEntry entry(String number, String taskGid) {
        return new LedgerEntry(project, number, taskGid, record(number), user, null, Map.of("name", "x"), Instant.now());
    }

    private static RecordIdentity record(String number) {
        return new RecordIdentity("m3", "ACME_TST", "100", null, "purchase-orders", number);
    }

    private AsanaClient client(AsanaCredentials credentials) {
        return asana.client(credentials);
    }

    /** The modified_since of the last GET /tasks?project=, as Asana received it. */
    private String lastModifiedSinceAsked() {
        List<RequestLog.Entry> asked = sim.log().entries("asana.getTasks", 1);
        return Arrays.stream(asked.get(0).query().split("&")).map(p -> p.split("=", 2))
                .filter(p -> p[0].equals("modified_since")).map(p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8))
                .findFirst().orElseThrow();
    }
}
