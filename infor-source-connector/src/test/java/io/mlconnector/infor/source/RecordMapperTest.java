package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Each backend's declarations through the one mapper, field by field, against records written out by hand: the
 * columns, the conversions (scales, dates, zones, statuses), the look-ups and which bad column a bad row names.
 */
class RecordMapperTest {

    private static final RecordSchemas SCHEMAS = new RecordSchemas(2);
    private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
    private static final long LMTS = 1_767_225_600_123L;

    private static RecordContext ctx(InforBackend backend, Entity entity, String division) {
        return new RecordContext("ACME", new SourcePartition("ACME", backend, entity, "100", division), SCHEMAS, ZONE);
    }

    private static Row row(String... namesAndValues) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Row(fields);
    }

    private static Struct map(RecordContext ctx, RecordMapping mapping, Row row, Map<Related.Table, List<Row>> related) {
        return new RecordMapper(ctx, mapping).record(row, Related.of(related, List.of(row)));
    }

    private static Struct value(Schema schema, String backend, String division, String number) {
        return RecordSchemas.value(schema, "ACME", backend, "100", division, number).put("source_zone", ZONE.getId());
    }

    private static Struct line(String line, String item, String description, String quantity, String unit, String amount) {
        return new Struct(SCHEMAS.purchaseOrderLine).put("line", line).put("item", item).put("description", description)
                .put("quantity", quantity == null ? null : new BigDecimal(quantity)).put("unit", unit)
                .put("amount", amount == null ? null : new BigDecimal(amount));
    }

    private static Date day(int year, int month, int day) {
        return RecordSchemas.date(LocalDate.of(year, month, day));
    }

    private static Date idoTime(String iso) {
        return Date.from(LocalDateTime.parse(iso).atZone(ZONE).toInstant());
    }

    @Test
    void m3PurchaseOrderWithItsLinesInLineOrderAndItsSupplierName() {
        Row head = row("PUNO", "4000000001", "DIVI", "AAA", "SUNO", "S00001", "PUDT", "20260115", "PUST", "20",
                "COAM", "1250.5", "CUCD", "SEK", "BUYE", "BUYER01", "LMTS", String.valueOf(LMTS));
        List<Row> lines = List.of(
                row("PUNO", "4000000001", "PNLI", "20", "PNLS", "0", "ITNO", "ITEM-2", "PITD", "Bolt | M8", "ORQA", "3",
                        "PUUN", "PCS", "LNAM", "50.5"),
                row("PUNO", "4000000001", "PNLI", "10", "PNLS", "2", "ITNO", "ITEM-1", "PITD", "Nut", "ORQA", "1.5",
                        "PUUN", "EA", "LNAM", "1200"),
                row("PUNO", "4000000099", "PNLI", "10", "PNLS", "0", "LNAM", "1"),
                row("PUNO", "4000000001", "PNLI", "10", "PNLS", "0", "ORQA", "", "LNAM", "0"));
        Struct po = map(ctx(InforBackend.M3, Entity.PURCHASE_ORDERS, "AAA"), M3Entities.PURCHASE_ORDER, head,
                Map.of(M3Entities.LINES, lines, M3Entities.SUPPLIER_NAME, List.of(row("SUNO", "S00001", "SUNM", "Acme AB"))));
        assertEquals(value(SCHEMAS.purchaseOrder, "m3", "AAA", "4000000001").put("supplier_id", "S00001")
                .put("supplier_name", "Acme AB").put("order_date", day(2026, 1, 15)).put("status", "20")
                .put("amount", new BigDecimal("1250.50")).put("currency", "SEK").put("buyer", "BUYER01")
                .put("lines", List.of(line("10", null, null, null, null, "0.00"),
                        line("10-2", "ITEM-1", "Nut", "1.500000", "EA", "1200.00"),
                        line("20", "ITEM-2", "Bolt | M8", "3.000000", "PCS", "50.50")))
                .put("changed_at", new Date(LMTS)), po);
    }

    @Test
    void m3RowsReadWithoutLmtsChangedAtTheStartOfTheirChangeDayInTheTenantZone() {
        Row supplier = row("SUNO", "S00003", "SUNM", "Nord", "STAT", "20", "CUCD", "", "TEPY", "30D", "LMDT", "20260115",
                "CHNO", "4");
        Struct value = map(ctx(InforBackend.M3, Entity.SUPPLIERS, ""), M3Entities.SUPPLIER, supplier, Map.of());
        assertEquals(value(SCHEMAS.supplier, "m3", null, "S00003").put("name", "Nord").put("status", "20")
                .put("payment_terms", "30D").put("changed_at", Date.from(LocalDate.of(2026, 1, 15).atStartOfDay(ZONE).toInstant())),
                value);
    }

    @Test
    void m3SupplierInvoice() {
        Row batch = row("INBN", "1000001", "DIVI", "BBB", "SUNO", "S00002", "SINO", "INV | 7", "IVDT", "20260110",
                "DUDT", "0", "CUAM", "99.9", "CUCD", "EUR", "PUNO", "4000000001", "SUPA", "10", "LMTS", String.valueOf(LMTS));
        Struct invoice = map(ctx(InforBackend.M3, Entity.SUPPLIER_INVOICES, "BBB"), M3Entities.SUPPLIER_INVOICE, batch,
                Map.of(M3Entities.SUPPLIER_NAME, List.of(row("SUNO", "S00009", "SUNM", "Other"))));
        assertEquals(value(SCHEMAS.supplierInvoice, "m3", "BBB", "1000001").put("invoice_number", "INV | 7")
                .put("supplier_id", "S00002").put("invoice_date", day(2026, 1, 10)).put("amount", new BigDecimal("99.90"))
                .put("currency", "EUR").put("po_number", "4000000001").put("status", "10").put("changed_at", new Date(LMTS)),
                invoice);
    }

    @Test
    void m3GlAccountsAreNumberedWithinTheirDivisionAndCompanyLevelOnesByTheAccountAlone() {
        RecordContext ctx = ctx(InforBackend.M3, Entity.GL_ACCOUNTS, "");
        Row account = row("DIVI", "AAA", "AITM", "1000", "AITP", "1", "TX40", "Kasse", "AICL", "1", "CUCD", "SEK",
                "LMTS", String.valueOf(LMTS));
        assertEquals(value(SCHEMAS.glAccount, "m3", "AAA", "AAA/1000").put("account", "1000").put("name", "Kasse")
                .put("account_group", "1").put("currency", "SEK").put("changed_at", new Date(LMTS)),
                map(ctx, M3Entities.GL_ACCOUNT, account, Map.of()));
        Row companyLevel = row("DIVI", "", "AITM", "9000", "AITP", "1", "LMTS", String.valueOf(LMTS));
        assertEquals(value(SCHEMAS.glAccount, "m3", null, "9000").put("account", "9000").put("changed_at", new Date(LMTS)),
                map(ctx, M3Entities.GL_ACCOUNT, companyLevel, Map.of()));
    }

    @Test
    void m3PaymentsNameTheNewestBatchOfTheirInvoiceAndArePaidByTheConfiguredStatuses() {
        RecordContext ctx = ctx(InforBackend.M3, Entity.PAYMENTS, "AAA");
        RecordMapping mapping = M3Entities.payment(Set.of("2", "3"));
        Map<Related.Table, List<Row>> batches = Map.of(M3Entities.INVOICE_BATCH, List.of(
                row("INBN", "1000005", "SUNO", "S1", "SINO", "INV-1"), row("INBN", "1000009", "SUNO", "S1", "SINO", "INV-1"),
                row("INBN", "1000007", "SUNO", "S1", "SINO", "INV-1"), row("INBN", "1000010", "SUNO", "S2", "SINO", "INV-1")));
        Row ledger = row("YEA4", "2026", "JRNO", "7", "JSNO", "1", "DIVI", "AAA", "SUNO", "S1", "SINO", "INV-1", "INYR", "2026",
                "PYST", "3", "CUAM", "10", "CUCD", "EUR", "LMTS", String.valueOf(LMTS));
        assertEquals(value(SCHEMAS.payment, "m3", "AAA", "S1/INV-1/2026").put("invoice_reference", "1000009")
                .put("invoice_number", "INV-1").put("supplier_id", "S1").put("payment_status", "PAID").put("status", "3")
                .put("amount", new BigDecimal("10.00")).put("currency", "EUR").put("changed_at", new Date(LMTS)),
                map(ctx, mapping, ledger, batches));
        Row unpaid = row("SUNO", "S3", "SINO", "INV-1", "INYR", "2025", "PYST", "1", "LMTS", String.valueOf(LMTS));
        Struct other = map(ctx, mapping, unpaid, batches);
        assertEquals("UNPAID", other.getString("payment_status"));
        assertEquals(null, other.get("invoice_reference"), "no batch holds S3's invoice");
        assertEquals("S3/INV-1/2025", other.getString("number"));
    }

    @Test
    void syteLinePurchaseOrderLineAmountsAreQuantityTimesUnitCostRoundedHalfEven() {
        Row head = row("PoNum", "PO1", "VendNum", "V1", "OrderDate", "20260115 00:00:00.000", "Stat", "O", "PoCost", "10.5",
                "VenCurrCode", "USD", "Buyer", "jsmith", "RecordDate", "20260116 10:11:12.345", "RowPointer", "r1");
        List<Row> items = List.of(
                row("PoNum", "PO1", "PoLine", "2", "PoRelease", "1", "Item", "I2", "Description", "Two", "QtyOrdered", "3.00000000",
                        "ItemCost", "0.33333333"),
                row("PoNum", "PO1", "PoLine", "1", "PoRelease", "0", "Item", "I1", "Description", "One", "QtyOrdered", "1.00000000",
                        "ItemCost", "0.12500000"),
                row("PoNum", "PO1", "PoLine", "3", "PoRelease", "0", "QtyOrdered", "2", "ItemCost", ""));
        Struct po = map(ctx(InforBackend.SYTELINE, Entity.PURCHASE_ORDERS, ""), SyteLineEntities.PURCHASE_ORDER, head,
                Map.of(SyteLineEntities.ITEMS, items, SyteLineEntities.VENDOR, List.of(row("VendNum", "V1", "Name", "Vendor 1",
                        "CurrCode", "CAD"))));
        assertEquals(value(SCHEMAS.purchaseOrder, "syteline", null, "PO1").put("supplier_id", "V1")
                .put("supplier_name", "Vendor 1").put("order_date", day(2026, 1, 15)).put("status", "O")
                .put("amount", new BigDecimal("10.50")).put("currency", "USD").put("buyer", "jsmith")
                .put("lines", List.of(line("1", "I1", "One", "1.000000", null, "0.12"),
                        line("2-1", "I2", "Two", "3.000000", null, "1.00"),
                        line("3", null, null, "2.000000", null, null)))
                .put("changed_at", idoTime("2026-01-16T10:11:12.345")), po);
    }

    @Test
    void syteLineVouchersAreInTheirVendorsCurrency() {
        Row voucher = row("Voucher", "100001", "VendNum", "V1", "InvNum", "INV1", "InvDate", "20260120 00:00:00.000",
                "DueDate", "", "InvAmt", "100.00000000", "PoNum", "PO1", "AuthStatus", "0", "RecordDate", "20260121 08:00:00.000");
        Struct invoice = map(ctx(InforBackend.SYTELINE, Entity.SUPPLIER_INVOICES, ""), SyteLineEntities.SUPPLIER_INVOICE,
                voucher, Map.of(SyteLineEntities.VENDOR, List.of(row("VendNum", "V1", "Name", "Vendor 1", "CurrCode", "CAD"))));
        assertEquals(value(SCHEMAS.supplierInvoice, "syteline", null, "100001").put("invoice_number", "INV1")
                .put("supplier_id", "V1").put("supplier_name", "Vendor 1").put("invoice_date", day(2026, 1, 20))
                .put("amount", new BigDecimal("100.00")).put("currency", "CAD").put("po_number", "PO1").put("status", "0")
                .put("changed_at", idoTime("2026-01-21T08:00")), invoice);
    }

    @Test
    void syteLineVendor() {
        Row vendor = row("VendNum", "V7", "Name", "Vendor 7", "CurrCode", "EUR", "Stat", "A", "TermsCode", "N30",
                "RecordDate", "20260121 08:00:00.000");
        assertEquals(value(SCHEMAS.supplier, "syteline", null, "V7").put("name", "Vendor 7").put("currency", "EUR")
                .put("status", "A").put("payment_terms", "N30").put("changed_at", idoTime("2026-01-21T08:00")),
                map(ctx(InforBackend.SYTELINE, Entity.SUPPLIERS, ""), SyteLineEntities.SUPPLIER, vendor, Map.of()));
    }

    @Test
    void syteLinePaymentsArePaidWhenTheyCoverTheVoucher() {
        RecordContext ctx = ctx(InforBackend.SYTELINE, Entity.PAYMENTS, "");
        Map<Related.Table, List<Row>> vendors = Map.of(SyteLineEntities.VENDOR, List.of(row("VendNum", "V1", "CurrCode", "CAD")));
        Row part = row("Voucher", "100001", "VendNum", "V1", "InvNum", "INV1", "Type", "P", "InvAmt", "100", "AmtPaid", "40",
                "DistDate", "20261201 00:00:00.000", "RecordDate", "20261201 09:00:00.000");
        assertEquals(value(SCHEMAS.payment, "syteline", null, "100001").put("invoice_reference", "100001")
                .put("invoice_number", "INV1").put("supplier_id", "V1").put("payment_status", "PART_PAID").put("status", "P")
                .put("amount", new BigDecimal("100.00")).put("paid_amount", new BigDecimal("40.00")).put("currency", "CAD")
                .put("paid_on", day(2026, 12, 1)).put("changed_at", idoTime("2026-12-01T09:00")),
                map(ctx, SyteLineEntities.PAYMENT, part, vendors));
        Row full = row("Voucher", "100002", "VendNum", "V1", "Type", "P", "InvAmt", "100", "AmtPaid", "100.00",
                "RecordDate", "20261201 09:00:00.000");
        assertEquals("PAID", map(ctx, SyteLineEntities.PAYMENT, full, vendors).getString("payment_status"));
    }

    @Test
    void aBadRowIsReportedByItsFirstBadColumnInDeclaredOrder() {
        RecordContext m3 = ctx(InforBackend.M3, Entity.PURCHASE_ORDERS, "AAA");
        assertEquals("field COAM has more than 2 decimals: '1.234'", assertThrows(BadRowException.class, () -> map(m3,
                M3Entities.PURCHASE_ORDER, row("PUNO", "1", "SUNO", "S1", "COAM", "1.234", "LMTS", "1"), Map.of())).getMessage());
        Row noSupplier = row("PUNO", "1", "COAM", "x", "LMTS", "1");
        assertEquals("field LNAM has more than 2 decimals: '1.001'", assertThrows(BadRowException.class, () -> map(m3,
                M3Entities.PURCHASE_ORDER, noSupplier, Map.of(M3Entities.LINES, List.of(row("PUNO", "1", "PNLI", "1",
                        "LNAM", "1.001"))))).getMessage(), "an order's lines before its supplier");
        assertEquals("field SUNO is missing", assertThrows(BadRowException.class, () -> map(m3, M3Entities.PURCHASE_ORDER,
                noSupplier, Map.of())).getMessage(), "the supplier before the amount");
        assertEquals("field SUNO is missing", assertThrows(BadRowException.class, () -> map(m3, M3Entities.SUPPLIER_INVOICE,
                row("INBN", "", "CUAM", "1", "LMTS", "1"), Map.of())).getMessage(), "an invoice's supplier before its number");
        RecordContext syteLine = ctx(InforBackend.SYTELINE, Entity.PURCHASE_ORDERS, "");
        assertEquals("field QtyOrdered is not a number: 'x'", assertThrows(BadRowException.class, () -> map(syteLine,
                SyteLineEntities.PURCHASE_ORDER, row("PoNum", "PO1", "VendNum", "V1"), Map.of(SyteLineEntities.ITEMS,
                        List.of(row("PoNum", "PO1", "PoLine", "", "QtyOrdered", "x"))))).getMessage(),
                "an item's quantity and cost before its line number");
        assertTrue(assertThrows(BadRowException.class, () -> map(syteLine, SyteLineEntities.PURCHASE_ORDER,
                row("PoNum", "PO1", "VendNum", "V1", "OrderDate", "2026-01-15"), Map.of())).getMessage()
                .startsWith("field OrderDate is not a date-time"));
    }

    @Test
    void everyColumnAMappingReadsIsOneItsReadAsksFor() {
        for (Entity entity : Entity.values()) {
            Set<String> asked = names(M3Entities.tables(entity).get(0));
            assertTrue(asked.containsAll(M3Entities.mapping(entity, Set.of()).columns()), entity + ": " + asked);
        }
        assertTrue(names(M3Entities.ORDER_LINES).containsAll(new RecordMapping(Entity.PURCHASE_ORDERS,
                M3Entities.ORDER_LINE).columns()));
        for (Map.Entry<SyteLineReader.Source, RecordMapping> e : Map.of(SyteLineEntities.PURCHASE_ORDERS,
                SyteLineEntities.PURCHASE_ORDER, SyteLineEntities.SUPPLIER_INVOICES, SyteLineEntities.SUPPLIER_INVOICE,
                SyteLineEntities.SUPPLIERS, SyteLineEntities.SUPPLIER, SyteLineEntities.PAYMENTS, SyteLineEntities.PAYMENT).entrySet()) {
            assertTrue(e.getKey().properties().containsAll(e.getValue().columns()), e.getKey().ido());
        }
        assertTrue(SyteLineEntities.LOOKUP_PROPERTIES.get(SyteLineEntities.ITEMS).containsAll(new RecordMapping(
                Entity.PURCHASE_ORDERS, SyteLineEntities.ORDER_LINE).columns()));
    }

    private static Set<String> names(TableRead read) {
        return Set.copyOf(read.columns().stream().map(TableRead.Column::name).toList());
    }
}
