package io.mlconnector.infor.source;

import static io.mlconnector.infor.source.Conversions.amount;
import static io.mlconnector.infor.source.Conversions.extendedAmount;
import static io.mlconnector.infor.source.Conversions.idoChangedAt;
import static io.mlconnector.infor.source.Conversions.idoDate;
import static io.mlconnector.infor.source.Conversions.lineNumber;
import static io.mlconnector.infor.source.Conversions.lines;
import static io.mlconnector.infor.source.Conversions.lookedUp;
import static io.mlconnector.infor.source.Conversions.paidWhenCovered;
import static io.mlconnector.infor.source.Conversions.quantity;
import static io.mlconnector.infor.source.Conversions.requiredText;
import static io.mlconnector.infor.source.Conversions.text;
import static io.mlconnector.infor.source.RecordMapping.field;

import io.mlconnector.infor.IdoClient;
import io.mlconnector.infor.IdoItem;
import io.mlconnector.infor.IdoLoadRequest;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.source.RecordMapping.Field;
import io.mlconnector.infor.source.RecordMapping.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where each entity lives in SyteLine and how its rows become records: purchase orders from SLPos with their
 * SLPoItems, supplier invoices from the A/P vouchers (SLAptrxs), suppliers from SLVendors. Vendor names and
 * currencies come from SLVendors, one call per page. Each entity's properties-to-fields are a
 * {@link RecordMapping}, which {@link RecordMapper} applies; what is code here is reading.
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

    /** What a page looks up: its orders' items and its vendors. */
    static final Related.Lines ITEMS = new Related.Lines("SLPoItems", "PoNum", "PoLine", "PoRelease");
    static final Related.Lookup VENDOR = new Related.Lookup("SLVendors", "VendNum");

    /** The properties each look-up loads; the first is the one it filters on, by the page's values. */
    static final Map<Related.Table, List<String>> LOOKUP_PROPERTIES = Map.of(
            ITEMS, List.of("PoNum", "PoLine", "PoRelease", "Item", "Description", "QtyOrdered", "ItemCost"),
            VENDOR, List.of("VendNum", "Name", "CurrCode"));

    private static final Value CHANGED_AT = idoChangedAt("RecordDate");

    /** SLPoItems carries no line amount: quantity x unit cost. Quantity and cost are checked before the line. */
    static final List<Field> ORDER_LINE = List.of(
            field("quantity", quantity("QtyOrdered")),
            field("amount", extendedAmount("QtyOrdered", "ItemCost")),
            field("line", lineNumber("PoLine", "PoRelease")),
            field("item", text("Item")),
            field("description", text("Description")));

    static final RecordMapping PURCHASE_ORDER = new RecordMapping(Entity.PURCHASE_ORDERS, List.of(
            field("number", requiredText("PoNum")),
            field("lines", lines(ITEMS, ORDER_LINE)),
            field("supplier_id", requiredText("VendNum")),
            field("supplier_name", lookedUp(VENDOR, "Name")),
            field("order_date", idoDate("OrderDate")),
            field("status", text("Stat")),
            field("amount", amount("PoCost")),
            field("currency", text("VenCurrCode")),
            field("buyer", text("Buyer")),
            field("changed_at", CHANGED_AT)));

    /** A voucher is in its vendor's currency. The vendor is checked before the voucher, as it always was. */
    static final RecordMapping SUPPLIER_INVOICE = new RecordMapping(Entity.SUPPLIER_INVOICES, List.of(
            field("supplier_id", requiredText("VendNum")),
            field("number", requiredText("Voucher")),
            field("invoice_number", text("InvNum")),
            field("supplier_name", lookedUp(VENDOR, "Name")),
            field("invoice_date", idoDate("InvDate")),
            field("due_date", idoDate("DueDate")),
            field("amount", amount("InvAmt")),
            field("currency", lookedUp(VENDOR, "CurrCode")),
            field("po_number", text("PoNum")),
            field("status", text("AuthStatus")),
            field("changed_at", CHANGED_AT)));

    static final RecordMapping SUPPLIER = new RecordMapping(Entity.SUPPLIERS, List.of(
            field("number", requiredText("VendNum")),
            field("name", requiredText("Name")),
            field("currency", text("CurrCode")),
            field("status", text("Stat")),
            field("payment_terms", text("TermsCode")),
            field("changed_at", CHANGED_AT)));

    /** A payment applied to a voucher: paid when it covers the voucher's amount, part paid otherwise. */
    static final RecordMapping PAYMENT = new RecordMapping(Entity.PAYMENTS, List.of(
            field("number", requiredText("Voucher")),
            field("invoice_reference", requiredText("Voucher")),
            field("supplier_id", requiredText("VendNum")),
            field("invoice_number", text("InvNum")),
            field("payment_status", paidWhenCovered("InvAmt", "AmtPaid")),
            field("status", text("Type")),
            field("amount", amount("InvAmt")),
            field("paid_amount", amount("AmtPaid")),
            field("currency", lookedUp(VENDOR, "CurrCode")),
            field("paid_on", idoDate("DistDate")),
            field("changed_at", CHANGED_AT)));

    private SyteLineEntities() {
    }

    static SyteLineReader reader(IdoClient ido, RecordContext ctx, int pageSize, SyteLineBookmark start) {
        return switch (ctx.partition().entity()) {
            case PURCHASE_ORDERS -> reader(ido, ctx, PURCHASE_ORDERS, PURCHASE_ORDER, pageSize, start);
            case SUPPLIER_INVOICES -> reader(ido, ctx, SUPPLIER_INVOICES, SUPPLIER_INVOICE, pageSize, start);
            case SUPPLIERS -> reader(ido, ctx, SUPPLIERS, SUPPLIER, pageSize, start);
            case PAYMENTS -> reader(ido, ctx, PAYMENTS, PAYMENT, pageSize, start);
            case GL_ACCOUNTS -> throw new IllegalArgumentException("gl-accounts is read from M3 only");
        };
    }

    private static SyteLineReader reader(IdoClient ido, RecordContext ctx, SyteLineReader.Source source,
                                         RecordMapping mapping, int pageSize, SyteLineBookmark start) {
        RecordMapper mapper = new RecordMapper(ctx, mapping);
        return new SyteLineReader(ido, ctx.partition(), source, rows -> mapper.forPage(related(ido, mapping, rows)),
                pageSize, ctx.zone(), start);
    }

    /** What the page's records look up, read now. */
    private static Related related(IdoClient ido, RecordMapping mapping, List<Row> rows) {
        Map<Related.Table, List<Row>> fetched = new LinkedHashMap<>();
        for (Related.Table table : mapping.related()) {
            List<String> properties = LOOKUP_PROPERTIES.get(table);
            fetched.put(table, byKeys(ido, table.table(), properties.get(0), properties, rows));
        }
        return Related.of(fetched, rows);
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
}
