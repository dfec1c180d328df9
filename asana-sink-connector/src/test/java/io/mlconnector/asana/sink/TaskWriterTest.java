package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.Task;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import io.mlconnector.connect.RecordView;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upsert against the Asana simulator, for both ways of finding a record's task: Asana's external
 * id (OAuth tokens) and the upsert-key custom field (PATs). A fresh index, as after a restart, finds
 * what an earlier writer created, so nothing is created twice.
 */
class TaskWriterTest {

    private AsanaSimulator sim;
    private String workspace;
    private String project;
    private String user;

    @BeforeEach
    void start() throws Exception {
        sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)));
        Map<String, Object> seeded = sim.seedPurchaseOrderProject("seed-" + UUID.randomUUID());
        workspace = (String) seeded.get("workspace");
        project = (String) seeded.get("project");
        user = (String) seeded.get("user");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void oauthTasksAreFoundByTheirExternalId() {
        String token = "oauth-" + UUID.randomUUID();
        sim.addToken(token, user, true);
        Map<String, String> props = settings(token);
        props.put("asana.token.type", "OAUTH");
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
        TaskMapper mapper = new TaskMapper(config, client.customFields(workspace), new EnumOptions(client));
        boolean external = config.tokenType() == AsanaTokenType.OAUTH;

        TaskWriter first = writer(client, mapper, external);
        assertEquals(TaskWriter.Outcome.CREATED, first.write(mapper.map(po("4000000001", "100.00"))));
        assertEquals(TaskWriter.Outcome.CREATED, first.write(mapper.map(po("4000000002", "200.00"))));

        // a new writer, as after a restart: its index comes from Asana alone
        TaskWriter restarted = writer(client, mapper, external);
        long creates = sim.log().calls("asana.createTask");
        long updates = sim.log().calls("asana.updateTask");
        assertEquals(TaskWriter.Outcome.UNCHANGED, restarted.write(mapper.map(po("4000000001", "100.00"))));
        assertEquals(TaskWriter.Outcome.UPDATED, restarted.write(mapper.map(po("4000000002", "250.00"))));
        assertEquals(creates, sim.log().calls("asana.createTask"), "nothing created twice");
        assertEquals(updates + 1, sim.log().calls("asana.updateTask"), "one call for the change, none for the repeat");
        assertEquals(2, sim.taskCount());
        if (external) {
            Task found = client.findTaskByExternalId("infor:ACME_TST:100:purchase-orders:4000000002").orElseThrow();
            assertNotNull(found.external());
        }
    }

    private TaskWriter writer(AsanaClient client, TaskMapper mapper, boolean external) {
        TaskIndex index = new TaskIndex(client, project, mapper.keyField());
        index.rebuild();
        return new TaskWriter(client, index, project, external);
    }

    private Map<String, String> settings(String token) {
        Map<String, String> props = new HashMap<>();
        props.put("asana.token", token);
        props.put("asana.base.url", sim.apiUrl());
        props.put("asana.workspace.gid", workspace);
        props.put("asana.project.gid", project);
        props.put("custom.fields", "PO number=${number},Amount=${amount},Currency=${currency}");
        return props;
    }

    private static RecordView po(String number, String amount) {
        return new RecordView(PurchaseOrderRecords.purchaseOrder(number, amount, "ACME Industrial Supply"));
    }
}
