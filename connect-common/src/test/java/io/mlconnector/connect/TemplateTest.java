package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final Schema SUPPLIER = SchemaBuilder.struct().name("Supplier")
            .field("id", Schema.STRING_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema PO = SchemaBuilder.struct().name("PurchaseOrder")
            .field("number", Schema.STRING_SCHEMA)
            .field("amount", Decimal.schema(2))
            .field("supplier", SUPPLIER)
            .build();

    private static RecordView structRecord() {
        Struct supplier = new Struct(SUPPLIER).put("id", "S10001").put("name", "ACME Industrial Supply");
        Struct value = new Struct(PO).put("number", "4000001234").put("amount", new BigDecimal("1250.50"))
                .put("supplier", supplier);
        Map<String, Object> key = Map.of("tenant", "ACME_TST", "company", "100", "number", "4000001234");
        return new RecordView(new SinkRecord("t", 0, null, key, PO, value, 7));
    }

    @Test
    void rendersValueAndKeyFieldsAndNestedStructs() {
        Template name = new Template("PO ${number} · ${supplier.name} · ${amount} (${key.company})");
        assertEquals("PO 4000001234 · ACME Industrial Supply · 1250.50 (100)", name.render(structRecord()));
        assertFalse(name.isSingleValue());
    }

    @Test
    void aSinglePlaceholderKeepsTheExactDecimal() {
        Template amount = new Template("${amount}");
        assertTrue(amount.isSingleValue());
        assertEquals(new BigDecimal("1250.50"), amount.value(structRecord()));
    }

    @Test
    void missingFieldsRenderEmptyAndYieldNull() {
        assertEquals("x  y", new Template("x ${nope} y").render(structRecord()));
        assertNull(new Template("${supplier.nope}").value(structRecord()));
        Map<String, Object> value = new HashMap<>();
        value.put("number", null);
        assertNull(new Template("${number}").value(new RecordView(new SinkRecord("t", 0, null, null, null, value, 0))));
    }

    @Test
    void theYearOfADate() {
        Map<String, Object> value = new HashMap<>();
        value.put("m3", "20261104");
        value.put("iso", "2025-01-31");
        value.put("connect", new java.util.Date(java.time.LocalDate.of(2024, 12, 31).atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant().toEpochMilli()));
        value.put("text", "soon");
        RecordView record = new RecordView(new SinkRecord("t", 0, null, null, null, value, 0));
        Template years = new Template("${m3|year} ${iso|year} ${connect|year} [${text|year}] [${nope|year}]");
        assertEquals("2026 2025 2024 [] []", years.render(record));
        assertFalse(new Template("${m3|year}").isSingleValue(), "a year is text, never the typed value");
        assertEquals("2026", new Template("${m3|year}").value(record));
    }

    @Test
    void readsSchemalessMaps() {
        Map<String, Object> value = Map.of("number", "PO-9", "supplier", Map.of("name", "Nordic Fasteners AB"));
        RecordView record = new RecordView(new SinkRecord("t", 0, null, null, null, value, 0));
        assertEquals("PO-9 Nordic Fasteners AB", new Template("${number} ${supplier.name}").render(record));
    }

    @Test
    void reachesListItemsByName() {
        Map<String, Object> value = Map.of("task", Map.of("custom_fields", java.util.List.of(
                Map.of("name", "PO number", "display_value", "4000001234"),
                Map.of("name", "Approval", "display_value", "Approved"))));
        RecordView record = new RecordView(new SinkRecord("t", 0, null, null, null, value, 0));
        assertEquals("Approved 4000001234", new Template("${task.custom_fields.Approval.display_value} "
                + "${task.custom_fields.PO number.display_value}").render(record));
    }

    @Test
    void datesComeFromConnectDatesOrIsoText() {
        assertEquals(LocalDate.of(2026, 11, 27), Template.date(new Date(LocalDate.of(2026, 11, 27)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli())));
        assertEquals(LocalDate.of(2026, 11, 27), Template.date("2026-11-27"));
        assertEquals(LocalDate.of(2026, 11, 27), Template.date("2026-11-27T10:00:00Z"));
        assertNull(Template.date(""));
    }
}
