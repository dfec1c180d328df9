package io.mlconnector.it.asana;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Purchase-order, supplier-invoice and supplier records as the Infor source writes them through the worker's
 * JsonConverter: a schema envelope with a Struct key {tenant, company, entity, number} and an exact
 * Decimal amount written as a JSON number. Shared by the sink's integration tests and the benchmarks.
 */
public final class PurchaseOrderRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String TENANT = "ACME_TST";

    private PurchaseOrderRecords() {
    }

    public static Map.Entry<String, String> purchaseOrder(String number, String supplierId, String supplierName,
            BigDecimal amount, String currency, String status) {
        ObjectNode value = JSON.createObjectNode()
                .put("number", number).put("supplier_id", supplierId).put("supplier_name", supplierName)
                .put("amount", amount).put("currency", currency).put("buyer", "JSMITH").put("status", status);
        return Map.entry(key("purchase-orders", number), envelope(poSchema(), value));
    }

    /** An M3 invoice batch of company 100: its number is the batch (INBN), its dates ISO text. */
    public static Map.Entry<String, String> supplierInvoice(String batch, String division, String invoiceNumber,
            String supplierId, String supplierName, BigDecimal amount, String currency, String invoiceDate,
            String dueDate) {
        ObjectNode schema = struct("io.mlconnector.infor.SupplierInvoice");
        field(schema, "number", "string", false);
        field(schema, "division", "string", true);
        field(schema, "invoice_number", "string", true);
        field(schema, "supplier_id", "string", false);
        field(schema, "supplier_name", "string", true);
        amount(schema);
        field(schema, "currency", "string", true);
        field(schema, "invoice_date", "string", true);
        field(schema, "due_date", "string", true);
        field(schema, "status", "string", true);
        ObjectNode value = JSON.createObjectNode().put("number", batch).put("division", division)
                .put("invoice_number", invoiceNumber).put("supplier_id", supplierId).put("supplier_name", supplierName)
                .put("amount", amount).put("currency", currency).put("invoice_date", invoiceDate)
                .put("due_date", dueDate).put("status", "10");
        return Map.entry(key("supplier-invoices", batch), envelope(schema, value));
    }

    /** A record the sink cannot map: the PO number is missing. */
    public static Map.Entry<String, String> purchaseOrderWithoutNumber(String keyNumber) {
        ObjectNode value = JSON.createObjectNode().putNull("number").put("supplier_id", "S1")
                .put("supplier_name", "Nobody").put("amount", new BigDecimal("1.00")).put("currency", "EUR")
                .put("buyer", "JSMITH").put("status", "20");
        return Map.entry(key("purchase-orders", keyNumber), envelope(poSchema(), value));
    }

    public static Map.Entry<String, String> supplier(String id, String name) {
        ObjectNode schema = struct("io.mlconnector.infor.Supplier");
        field(schema, "number", "string", false);
        field(schema, "name", "string", false);
        ObjectNode value = JSON.createObjectNode().put("number", id).put("name", name);
        return Map.entry(key("suppliers", id), envelope(schema, value));
    }

    private static ObjectNode poSchema() {
        ObjectNode schema = struct("io.mlconnector.infor.PurchaseOrder");
        field(schema, "number", "string", true);
        field(schema, "supplier_id", "string", true);
        field(schema, "supplier_name", "string", true);
        amount(schema);
        field(schema, "currency", "string", false);
        field(schema, "buyer", "string", true);
        field(schema, "status", "string", false);
        return schema;
    }

    private static void amount(ObjectNode schema) {
        ((ArrayNode) schema.get("fields")).addObject().put("field", "amount").put("type", "bytes")
                .put("optional", false).put("name", "org.apache.kafka.connect.data.Decimal").put("version", 1)
                .putObject("parameters").put("scale", "2");
    }

    private static String key(String entity, String number) {
        ObjectNode schema = struct("io.mlconnector.infor.RecordKey");
        field(schema, "tenant", "string", false);
        field(schema, "company", "string", false);
        field(schema, "entity", "string", false);
        field(schema, "number", "string", false);
        ObjectNode value = JSON.createObjectNode().put("tenant", TENANT).put("company", "100")
                .put("entity", entity).put("number", number);
        return envelope(schema, value);
    }

    private static ObjectNode struct(String name) {
        ObjectNode schema = JSON.createObjectNode().put("type", "struct").put("name", name).put("optional", false);
        schema.putArray("fields");
        return schema;
    }

    private static void field(ObjectNode schema, String name, String type, boolean optional) {
        ((ArrayNode) schema.get("fields")).addObject().put("field", name).put("type", type).put("optional", optional);
    }

    private static String envelope(ObjectNode schema, ObjectNode payload) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.set("schema", schema);
        envelope.set("payload", payload);
        return envelope.toString();
    }

    /**
     * The PO number in a task's upsert key field: the examples key by company and number
     * ({@code 100-4000000018}), so equal numbers in two companies are two tasks.
     */
    public static String number(String upsertKey) {
        return upsertKey == null ? null : upsertKey.substring(upsertKey.indexOf('-') + 1);
    }

    /** The company in a task's upsert key field, as {@link #number} reads it. */
    public static String company(String upsertKey) {
        return upsertKey.substring(0, Math.max(0, upsertKey.indexOf('-')));
    }
}
