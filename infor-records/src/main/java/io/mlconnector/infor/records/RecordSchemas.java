package io.mlconnector.infor.records;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The record schemas, version 1. Field names are flat snake_case so sinks and SMTs address them directly;
 * money is a Connect Decimal with the configured scale, dates are Connect Dates, {@code changed_at} is a
 * UTC Timestamp and {@code source_zone} names the tenant zone the source's own times were read in.
 * Fields are only ever added, as optional ones. Both Infor intakes, the poller and the ION push endpoint, write
 * these, so a sink composes with either.
 */
public final class RecordSchemas {

    public static final Schema KEY = SchemaBuilder.struct().name("io.mlconnector.infor.RecordKey").version(1)
            .doc("tenant, company (M3 CONO or SyteLine site), entity and number: unique per record")
            .field("tenant", Schema.STRING_SCHEMA)
            .field("company", Schema.STRING_SCHEMA)
            .field("entity", Schema.STRING_SCHEMA)
            .field("number", Schema.STRING_SCHEMA)
            .build();

    /** Quantities keep six decimals whatever the amount scale: units of measure need more than money. */
    public static final int QUANTITY_SCALE = 6;

    public final Schema purchaseOrderLine;
    public final Schema purchaseOrder;
    public final Schema supplierInvoice;
    public final Schema supplier;
    public final Schema glAccount;
    public final Schema payment;
    public final Schema dataError;
    public final int amountScale;

    public RecordSchemas(int amountScale) {
        this.amountScale = amountScale;
        Schema amount = Decimal.builder(amountScale).optional().build();
        purchaseOrderLine = SchemaBuilder.struct().name("io.mlconnector.infor.PurchaseOrderLine").version(1)
                .field("line", Schema.STRING_SCHEMA)
                .field("item", Schema.OPTIONAL_STRING_SCHEMA)
                .field("description", Schema.OPTIONAL_STRING_SCHEMA)
                .field("quantity", Decimal.builder(QUANTITY_SCALE).optional().build())
                .field("unit", Schema.OPTIONAL_STRING_SCHEMA)
                .field("amount", amount)
                .field("gl_account", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        purchaseOrder = header("io.mlconnector.infor.PurchaseOrder")
                .field("supplier_id", Schema.STRING_SCHEMA)
                .field("supplier_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("order_date", Date.builder().optional().build())
                .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                .field("amount", amount)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("buyer", Schema.OPTIONAL_STRING_SCHEMA)
                .field("lines", SchemaBuilder.array(purchaseOrderLine).build())
                .field("changed_at", Timestamp.SCHEMA)
                .field("source_zone", Schema.STRING_SCHEMA)
                .build();
        supplierInvoice = header("io.mlconnector.infor.SupplierInvoice")
                .field("invoice_number", Schema.OPTIONAL_STRING_SCHEMA)
                .field("supplier_id", Schema.STRING_SCHEMA)
                .field("supplier_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("invoice_date", Date.builder().optional().build())
                .field("due_date", Date.builder().optional().build())
                .field("amount", amount)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("po_number", Schema.OPTIONAL_STRING_SCHEMA)
                .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                .field("changed_at", Timestamp.SCHEMA)
                .field("source_zone", Schema.STRING_SCHEMA)
                .build();
        payment = header("io.mlconnector.infor.Payment")
                .field("invoice_reference", Schema.OPTIONAL_STRING_SCHEMA)
                .field("invoice_number", Schema.OPTIONAL_STRING_SCHEMA)
                .field("supplier_id", Schema.STRING_SCHEMA)
                .field("payment_status", Schema.STRING_SCHEMA)
                .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                .field("amount", amount)
                .field("paid_amount", amount)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("paid_on", Date.builder().optional().build())
                .field("changed_at", Timestamp.SCHEMA)
                .field("source_zone", Schema.STRING_SCHEMA)
                .build();
        supplier = header("io.mlconnector.infor.Supplier")
                .field("name", Schema.STRING_SCHEMA)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                .field("payment_terms", Schema.OPTIONAL_STRING_SCHEMA)
                .field("changed_at", Timestamp.SCHEMA)
                .field("source_zone", Schema.STRING_SCHEMA)
                .build();
        glAccount = header("io.mlconnector.infor.GlAccount")
                .field("account", Schema.STRING_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("account_group", Schema.OPTIONAL_STRING_SCHEMA)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("changed_at", Timestamp.SCHEMA)
                .field("source_zone", Schema.STRING_SCHEMA)
                .build();
        dataError = SchemaBuilder.struct().name("io.mlconnector.infor.DataError").version(1)
                .field("tenant", Schema.STRING_SCHEMA)
                .field("backend", Schema.STRING_SCHEMA)
                .field("entity", Schema.STRING_SCHEMA)
                .field("company", Schema.STRING_SCHEMA)
                .field("division", Schema.OPTIONAL_STRING_SCHEMA)
                .field("number", Schema.OPTIONAL_STRING_SCHEMA)
                .field("error", Schema.STRING_SCHEMA)
                .field("raw", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build())
                .build();
    }

    public Schema of(Entity entity) {
        return switch (entity) {
            case PURCHASE_ORDERS -> purchaseOrder;
            case SUPPLIER_INVOICES -> supplierInvoice;
            case SUPPLIERS -> supplier;
            case GL_ACCOUNTS -> glAccount;
            case PAYMENTS -> payment;
        };
    }

    /** The key of a record: unique per tenant, company, entity and number. */
    public static Struct key(String tenant, String company, Entity entity, String number) {
        return new Struct(KEY).put("tenant", tenant).put("company", company).put("entity", entity.id()).put("number", number);
    }

    /**
     * A value with the fields every entity starts with filled in.
     *
     * @param backend {@code m3} or {@code syteline}
     * @param division M3 division; null where there is none
     */
    public static Struct value(Schema schema, String tenant, String backend, String company, String division,
                               String number) {
        return new Struct(schema).put("tenant", tenant).put("backend", backend).put("company", company)
                .put("division", division).put("number", number);
    }

    /** A Connect Date: midnight UTC of the calendar day. */
    public static java.util.Date date(LocalDate day) {
        return day == null ? null : java.util.Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The topic of an entity: {@code ${tenant}} and {@code ${entity}} in the template replaced. */
    public static String topic(String template, String tenant, Entity entity) {
        return template.replace("${tenant}", tenant).replace("${entity}", entity.id());
    }

    /** tenant, backend, company, division, number: the fields every entity starts with. */
    private static SchemaBuilder header(String name) {
        return SchemaBuilder.struct().name(name).version(1)
                .field("tenant", Schema.STRING_SCHEMA)
                .field("backend", Schema.STRING_SCHEMA)
                .field("company", Schema.STRING_SCHEMA)
                .field("division", Schema.OPTIONAL_STRING_SCHEMA)
                .field("number", Schema.STRING_SCHEMA);
    }
}
