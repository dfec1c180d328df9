package io.mlconnector.asana.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.mlconnector.asana.connect.AsanaClients;
import io.mlconnector.connect.RecordView;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.EnumOption;
import io.mlconnector.simulators.asana.AsanaSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mapping from records to tasks, against the Asana simulator's custom fields. */
class TaskMapperTest {

    private static final String TOKEN = "mapper-test-token";
    private static AsanaSimulator sim;
    private static String workspace;
    private static String project;

    @BeforeAll
    static void start() throws Exception {
        sim = AsanaSimulator.start(AsanaSimulator.Config.defaults().withBudget(100_000, Duration.ofMinutes(1)).withAnswerChecks());
        Map<String, Object> seeded = sim.seedPurchaseOrderProject(TOKEN);
        workspace = (String) seeded.get("workspace");
        project = (String) seeded.get("project");
    }

    @AfterAll
    static void stop() {
        java.util.List<String> problems = sim.answerProblems();
        sim.close();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), problems, "answers that broke the spec");
    }

    private static Map<String, String> settings() {
        Map<String, String> props = new HashMap<>();
        props.put("asana.token", TOKEN);
        props.put("asana.base.url", sim.apiUrl());
        props.put("asana.workspace.gid", workspace);
        props.put("asana.project.gid", project);
        props.put("custom.fields", "PO number=${number},Amount=${amount},Supplier=${supplier_name},Currency=${currency}");
        props.put("upsert.key.custom.field", "PO number");
        props.put("upsert.key.template", "${number}");
        props.put("status.complete.values", "85,99");
        props.put("ledger.bootstrap.servers", "unused:9092");
        return props;
    }

    private static TaskMapper mapper(Map<String, String> props) {
        AsanaSinkConfig config = new AsanaSinkConfig(props);
        AsanaClient client = AsanaClients.create(config);
        return new TaskMapper(config, client.customFields(workspace), new EnumOptions(client));
    }

    private static RecordView po(Object amount, String supplier, String status) {
        Map<String, Object> value = new HashMap<>();
        value.put("number", "4000001234");
        value.put("amount", amount);
        value.put("supplier_name", supplier);
        value.put("currency", "EUR");
        value.put("status", status);
        return new RecordView(new SinkRecord("infor.ACME_TST.purchase-orders", 0, null, null, null, value, 1));
    }

    @Test
    void mapsEveryFieldWithTheExactAmountAndTheRightOptions() {
        DesiredTask task = mapper(settings()).map(po("1250.5", "ACME Industrial Supply", "20"));

        assertEquals("4000001234", task.key());
        assertEquals("4000001234 · ACME Industrial Supply · 1250.5 EUR", task.name());
        assertFalse(task.complete());
        Map<String, Object> byName = new HashMap<>();
        task.customFields().values().forEach(v -> byName.put(v.field().name(), v.value()));
        assertEquals("4000001234", byName.get("PO number"));
        assertEquals(new BigDecimal("1250.50"), byName.get("Amount"), "rounded to the field's precision of 2");
        assertEquals("ACME Industrial Supply", ((EnumOption) byName.get("Supplier")).name());
        assertEquals("EUR", ((EnumOption) byName.get("Currency")).name());
    }

    @Test
    void aNewSupplierBecomesANewOptionOnce() {
        TaskMapper mapper = mapper(settings());
        EnumOption first = (EnumOption) value(mapper.map(po("1", "Baltic Steel Oy", "20")), "Supplier");
        EnumOption second = (EnumOption) value(mapper.map(po("2", "Baltic Steel Oy", "20")), "Supplier");
        assertNotNull(first.gid());
        assertEquals(first.gid(), second.gid());
    }

    @Test
    void withoutAutoCreateAnUnknownOptionIsADataError() {
        Map<String, String> props = settings();
        props.put("enum.auto.create", "false");
        MappingException e = assertThrows(MappingException.class,
                () -> mapper(props).map(po("1", "Unknown Supplier Ltd", "20")));
        assertTrue(e.getMessage().contains("Unknown Supplier Ltd"), e.getMessage());
    }

    @Test
    void aRecordWithoutItsNumberIsADataError() {
        Map<String, Object> value = new HashMap<>(Map.of("amount", "5", "currency", "EUR"));
        RecordView record = new RecordView(new SinkRecord("t", 0, null, null, null, value, 1));
        MappingException e = assertThrows(MappingException.class, () -> mapper(settings()).map(record));
        assertTrue(e.getMessage().contains("upsert key"), e.getMessage());
    }

    @Test
    void binaryFloatingPointAmountsAreRefused() {
        MappingException e = assertThrows(MappingException.class,
                () -> mapper(settings()).map(po(1250.5d, "ACME Industrial Supply", "20")));
        assertTrue(e.getMessage().contains("exact number"), e.getMessage());
    }

    @Test
    void aCompletingStatusCompletesTheTask() {
        assertTrue(mapper(settings()).map(po("1", "ACME Industrial Supply", "99")).complete());
    }

    @Test
    void aTextTemplateCannotFillANumberField() {
        var field = AsanaClients.create(new AsanaSinkConfig(settings())).customFields(workspace).require("Amount");
        assertFalse(TaskMapper.typeProblems(field, "${amount} EUR").isEmpty());
        assertTrue(TaskMapper.typeProblems(field, "${amount}").isEmpty());
    }

    private static Object value(DesiredTask task, String fieldName) {
        return task.customFields().values().stream().filter(v -> v.field().name().equals(fieldName))
                .findFirst().orElseThrow().value();
    }
}
