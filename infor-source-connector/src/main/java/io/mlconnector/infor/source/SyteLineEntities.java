package io.mlconnector.infor.source;

import io.mlconnector.infor.IdoClient;
import io.mlconnector.infor.IdoItem;
import io.mlconnector.infor.IdoLoadRequest;
import io.mlconnector.infor.records.RecordSchemas;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.connect.data.Struct;

/**
 * Where each entity lives in SyteLine and how its rows become records: purchase orders from SLPos with their
 * SLPoItems, supplier invoices from the A/P vouchers (SLAptrxs), suppliers from SLVendors. Vendor names and
 * currencies come from SLVendors, one call per page.
 */
final class SyteLineEntities {

    /** Up to this many keys go into one filter's {@code in} list. */
    private static final int CHUNK = 200;

    static final SyteLineReader.Source PURCHASE_ORDERS = new SyteLineReader.Source("SLPos", "PoNum",
            List.of("PoNum", "VendNum", "OrderDate", "Stat", "PoCost", "VenCurrCode", "Buyer", "RecordDate", "RowPointer"));
    static final SyteLineReader.Source SUPPLIER_INVOICES = new SyteLineReader.Source("SLAptrxs", "Voucher",
            List.of("Voucher", "VendNum", "InvNum", "InvDate", "DueDate", "InvAmt", "PoNum", "AuthStatus", "RecordDate", "RowPointer"));
    static final SyteLineReader.Source SUPPLIERS = new SyteLineReader.Source("SLVendors", "VendNum",
            List.of("VendNum", "Name", "CurrCode", "Stat", "TermsCode", "RecordDate", "RowPointer"));

    /**
     * Posted A/P transactions of type P, the payments applied to a voucher. SLAppmts holds the payment (check)
     * header without the voucher it pays; the properties read are those public CSI clients read from SLAptrxps.
     */
    static final SyteLineReader.Source PAYMENTS = new SyteLineReader.Source("SLAptrxps", "Voucher",
            List.of("Voucher", "VendNum", "InvNum", "Type", "InvAmt", "AmtPaid", "DistDate", "RecordDate", "RowPointer"),
            "Type = 'P'");

    private SyteLineEntities() {
    }

    static SyteLineReader reader(IdoClient ido, RecordContext ctx, int pageSize, SyteLineBookmark start) {
        SourcePartition p = ctx.partition();
        return switch (p.entity()) {
            case PURCHASE_ORDERS -> new SyteLineReader(ido, p, PURCHASE_ORDERS, rows -> purchaseOrders(ido, ctx, rows), pageSize, ctx.zone(), start);
            case SUPPLIER_INVOICES -> new SyteLineReader(ido, p, SUPPLIER_INVOICES, rows -> supplierInvoices(ido, ctx, rows), pageSize, ctx.zone(), start);
            case SUPPLIERS -> new SyteLineReader(ido, p, SUPPLIERS, rows -> row -> supplier(ctx, row), pageSize, ctx.zone(), start);
            case PAYMENTS -> new SyteLineReader(ido, p, PAYMENTS, rows -> payments(ido, ctx, rows), pageSize, ctx.zone(), start);
            case GL_ACCOUNTS -> throw new IllegalArgumentException("gl-accounts is read from M3 only");
        };
    }

    private static Function<Row, Struct> purchaseOrders(IdoClient ido, RecordContext ctx, List<Row> heads) {
        Map<String, Row> vendors = vendors(ido, heads);
        Map<String, List<Row>> items = items(ido, heads);
        int scale = ctx.schemas().amountScale;
        return head -> {
            String poNum = head.required("PoNum");
            List<Struct> lines = new ArrayList<>();
            for (Row item : items.getOrDefault(poNum, List.of())) {
                String release = item.text("PoRelease");
                BigDecimal qty = item.decimal("QtyOrdered", RecordSchemas.QUANTITY_SCALE);
                BigDecimal cost = item.decimal("ItemCost", 8);
                lines.add(new Struct(ctx.schemas().purchaseOrderLine)
                        .put("line", item.required("PoLine") + (release == null || release.equals("0") ? "" : "-" + release))
                        .put("item", item.text("Item"))
                        .put("description", item.text("Description"))
                        .put("quantity", qty)
                        // SLPoItems carries no line amount: quantity x unit cost, rounded half-even to the scale.
                        .put("amount", qty == null || cost == null ? null : qty.multiply(cost).setScale(scale, RoundingMode.HALF_EVEN)));
            }
            String vendNum = head.required("VendNum");
            Row vendor = vendors.get(vendNum);
            return ctx.header(ctx.schemas().purchaseOrder, poNum, null)
                    .put("supplier_id", vendNum)
                    .put("supplier_name", vendor == null ? null : vendor.text("Name"))
                    .put("order_date", RecordContext.date(head.idoDate("OrderDate")))
                    .put("status", head.text("Stat"))
                    .put("amount", head.decimal("PoCost", scale))
                    .put("currency", head.text("VenCurrCode"))
                    .put("buyer", head.text("Buyer"))
                    .put("lines", lines)
                    .put("changed_at", java.util.Date.from(head.idoInstant("RecordDate", ctx.zone())))
                    .put("source_zone", ctx.zone().getId());
        };
    }

    private static Function<Row, Struct> supplierInvoices(IdoClient ido, RecordContext ctx, List<Row> rows) {
        Map<String, Row> vendors = vendors(ido, rows);
        int scale = ctx.schemas().amountScale;
        return row -> {
            String vendNum = row.required("VendNum");
            Row vendor = vendors.get(vendNum);
            return ctx.header(ctx.schemas().supplierInvoice, row.required("Voucher"), null)
                    .put("invoice_number", row.text("InvNum"))
                    .put("supplier_id", vendNum)
                    .put("supplier_name", vendor == null ? null : vendor.text("Name"))
                    .put("invoice_date", RecordContext.date(row.idoDate("InvDate")))
                    .put("due_date", RecordContext.date(row.idoDate("DueDate")))
                    .put("amount", row.decimal("InvAmt", scale))
                    // A voucher is in the vendor's currency.
                    .put("currency", vendor == null ? null : vendor.text("CurrCode"))
                    .put("po_number", row.text("PoNum"))
                    .put("status", row.text("AuthStatus"))
                    .put("changed_at", java.util.Date.from(row.idoInstant("RecordDate", ctx.zone())))
                    .put("source_zone", ctx.zone().getId());
        };
    }

    /** A payment applied to a voucher: paid when it covers the voucher's amount, part paid otherwise. */
    private static Function<Row, Struct> payments(IdoClient ido, RecordContext ctx, List<Row> rows) {
        Map<String, Row> vendors = vendors(ido, rows);
        int scale = ctx.schemas().amountScale;
        return row -> {
            String voucher = row.required("Voucher");
            String vendNum = row.required("VendNum");
            Row vendor = vendors.get(vendNum);
            BigDecimal amount = row.decimal("InvAmt", scale);
            BigDecimal paid = row.decimal("AmtPaid", scale);
            boolean covered = amount != null && paid != null && paid.compareTo(amount) >= 0;
            return ctx.header(ctx.schemas().payment, voucher, null)
                    .put("invoice_reference", voucher)
                    .put("invoice_number", row.text("InvNum"))
                    .put("supplier_id", vendNum)
                    .put("payment_status", covered ? PaymentStatus.PAID : PaymentStatus.PART_PAID)
                    .put("status", row.text("Type"))
                    .put("amount", amount)
                    .put("paid_amount", paid)
                    .put("currency", vendor == null ? null : vendor.text("CurrCode"))
                    .put("paid_on", RecordContext.date(row.idoDate("DistDate")))
                    .put("changed_at", java.util.Date.from(row.idoInstant("RecordDate", ctx.zone())))
                    .put("source_zone", ctx.zone().getId());
        };
    }

    private static Struct supplier(RecordContext ctx, Row row) {
        return ctx.header(ctx.schemas().supplier, row.required("VendNum"), null)
                .put("name", row.required("Name"))
                .put("currency", row.text("CurrCode"))
                .put("status", row.text("Stat"))
                .put("payment_terms", row.text("TermsCode"))
                .put("changed_at", java.util.Date.from(row.idoInstant("RecordDate", ctx.zone())))
                .put("source_zone", ctx.zone().getId());
    }

    private static Map<String, Row> vendors(IdoClient ido, List<Row> rows) {
        Map<String, Row> byNumber = new HashMap<>();
        for (Row vendor : byKeys(ido, "SLVendors", "VendNum", List.of("VendNum", "Name", "CurrCode"), rows)) {
            byNumber.put(vendor.text("VendNum"), vendor);
        }
        return byNumber;
    }

    private static Map<String, List<Row>> items(IdoClient ido, List<Row> heads) {
        Map<String, List<Row>> byOrder = new LinkedHashMap<>();
        List<Row> items = byKeys(ido, "SLPoItems", "PoNum",
                List.of("PoNum", "PoLine", "PoRelease", "Item", "Description", "QtyOrdered", "ItemCost"), heads);
        for (Row item : items) {
            byOrder.computeIfAbsent(item.text("PoNum"), k -> new ArrayList<>()).add(item);
        }
        Comparator<Row> order = Comparator.comparing((Row r) -> nonNull(r.text("PoLine")), KeyOrder.KEYS)
                .thenComparing(r -> nonNull(r.text("PoRelease")), KeyOrder.KEYS);
        byOrder.values().forEach(l -> l.sort(order));
        return byOrder;
    }

    /** Every row of {@code idoName} whose {@code property} equals a value the page's rows hold there. */
    private static List<Row> byKeys(IdoClient ido, String idoName, String property, List<String> properties, List<Row> page) {
        TreeSet<String> values = new TreeSet<>();
        page.forEach(r -> {
            String v = r.text(property);
            if (v != null) {
                values.add(v);
            }
        });
        List<String> all = new ArrayList<>(values);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<String> literals = all.subList(i, Math.min(all.size(), i + CHUNK)).stream()
                    .map(v -> "N" + KeyOrder.quote(v)).toList();
            IdoLoadRequest request = IdoLoadRequest.builder(idoName).properties(properties.toArray(String[]::new))
                    .filter(property + " in (" + String.join(",", literals) + ")").recordCap(0).readOnly(true).build();
            for (IdoItem item : ido.load(request).items()) {
                out.add(new Row(item.properties()));
            }
        }
        return out;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
