package io.mlconnector.infor.source;

import static io.mlconnector.infor.source.TableRead.Column.firstOf;
import static io.mlconnector.infor.source.TableRead.Column.optional;
import static io.mlconnector.infor.source.TableRead.Column.required;

import io.mlconnector.infor.M3Client;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Where each entity lives in M3 and how its rows become records: purchase orders from MPHEAD with their MPLINE
 * lines, supplier invoices from the invoice batches (FAPIBH), suppliers from CIDMAS, GL accounts from FCHACC
 * (accounting dimension 1), payments from the AP ledger (FPLEDG), keyed by its ledger key YEA4/JRNO/JSNO.
 * Supplier names come from CIDMAS, one call per page, a payment's invoice batch from FAPIBH.
 */
final class M3Entities {

    /** EXPORTMI answers at most this many rows per call. */
    private static final int EXPORT_CAP = 10_000;
    /** Up to this many keys go into one {@code or} chain; more are read as a key range. */
    private static final int CHAIN = 50;

    // Keys and the change stamp are required everywhere; docs/m3-columns.md gives each column's source.
    static final TableRead PURCHASE_ORDER_HEADS = new TableRead("MPHEAD", "IA", List.of("PUNO"), List.of(
            required("PUNO"), required("LMTS"), required("DIVI"), required("SUNO"), required("CUCD"),
            firstOf("COAM", "NTAM"), optional("PUDT"), optional("PUSL"), optional("PUST"), optional("BUYE")));
    static final TableRead INVOICE_BATCHES = new TableRead("FAPIBH", "E5", List.of("INBN"), List.of(
            required("INBN"), required("LMTS"), required("DIVI"), required("SUNO"), required("SINO"), required("CUAM"),
            required("CUCD"), optional("IVDT"), optional("DUDT"), optional("PUNO"), optional("SUPA")));
    static final TableRead SUPPLIER_MASTER = new TableRead("CIDMAS", "ID", List.of("SUNO"), List.of(
            required("SUNO"), required("LMTS"), required("SUNM"), optional("STAT"), optional("CUCD"), optional("TEPY")));
    static final TableRead CHART_OF_ACCOUNTS = new TableRead("FCHACC", "EA", List.of("DIVI", "AITM"), List.of(
            required("DIVI"), required("AITM"), required("LMTS"), required("AITP"), optional("TX40"), optional("AICL"), optional("CUCD")));
    static final TableRead AP_LEDGER = new TableRead("FPLEDG", "EP", List.of("YEA4", "JRNO", "JSNO"), List.of(
            required("YEA4"), required("JRNO"), required("JSNO"), required("LMTS"), required("DIVI"), required("SUNO"),
            required("SINO"), required("INYR"), required("PYST"), optional("CUAM"), optional("CUCD")));

    /** Look-ups a page makes: supplier names, PO lines (item text from PITD, as PPS200MI names it), invoice batches. */
    static final TableRead SUPPLIER_NAMES = new TableRead("CIDMAS", "ID", List.of("SUNO"),
            List.of(required("SUNO"), required("SUNM")));
    static final TableRead ORDER_LINES = new TableRead("MPLINE", "IB", List.of("PUNO", "PNLI", "PNLS"), List.of(
            required("PUNO"), required("PNLI"), required("PNLS"), required("LNAM"), optional("ITNO"), optional("PITD"),
            optional("ORQA"), optional("PUUN")));
    static final TableRead BATCHES_OF_INVOICES = new TableRead("FAPIBH", "E5", List.of("INBN"),
            List.of(required("INBN"), required("SUNO"), required("SINO")));

    /** Every table read, for validate. */
    static final List<TableRead> ALL = List.of(PURCHASE_ORDER_HEADS, ORDER_LINES, SUPPLIER_NAMES, INVOICE_BATCHES,
            SUPPLIER_MASTER, CHART_OF_ACCOUNTS, AP_LEDGER, BATCHES_OF_INVOICES);

    static final M3Reader.Source PURCHASE_ORDERS = new M3Reader.Source(PURCHASE_ORDER_HEADS, true, null);
    static final M3Reader.Source SUPPLIER_INVOICES = new M3Reader.Source(INVOICE_BATCHES, true, null);
    static final M3Reader.Source SUPPLIERS = new M3Reader.Source(SUPPLIER_MASTER, false, null);
    static final M3Reader.Source PAYMENTS = new M3Reader.Source(AP_LEDGER, true, null);

    private M3Entities() {
    }

    /** The tables an entity reads, for validate. */
    static List<TableRead> tables(Entity entity) {
        return switch (entity) {
            case PURCHASE_ORDERS -> List.of(PURCHASE_ORDER_HEADS, ORDER_LINES, SUPPLIER_NAMES);
            case SUPPLIER_INVOICES -> List.of(INVOICE_BATCHES, SUPPLIER_NAMES);
            case SUPPLIERS -> List.of(SUPPLIER_MASTER);
            case GL_ACCOUNTS -> List.of(CHART_OF_ACCOUNTS);
            case PAYMENTS -> List.of(AP_LEDGER, BATCHES_OF_INVOICES);
        };
    }

    /**
     * @param divisions the company's configured divisions: GL accounts are read per company, those of these
     *                  divisions and the company-level ones (blank division)
     * @param paidStatuses the FPLEDG payment statuses (PYST) that mean paid
     */
    static M3Reader reader(M3Client m3, M3Layouts layouts, RecordContext ctx, int pageSize, Map<String, ?> stored,
                           Instant since, Set<String> divisions, Set<String> paidStatuses) {
        SourcePartition p = ctx.partition();
        ZoneId zone = ctx.zone();
        return switch (p.entity()) {
            case PURCHASE_ORDERS -> new M3Reader(m3, layouts, p, PURCHASE_ORDERS,
                    rows -> purchaseOrders(m3, layouts, ctx, rows), pageSize, zone, stored, since);
            case SUPPLIER_INVOICES -> new M3Reader(m3, layouts, p, SUPPLIER_INVOICES,
                    rows -> supplierInvoices(m3, layouts, ctx, rows), pageSize, zone, stored, since);
            case SUPPLIERS -> new M3Reader(m3, layouts, p, SUPPLIERS, rows -> () -> row -> supplier(ctx, row), pageSize, zone, stored, since);
            // No division filter in the query: M3 honours one only in a blank-division session (docs/m3-columns.md).
            case GL_ACCOUNTS -> new M3Reader(m3, layouts, p, new M3Reader.Source(CHART_OF_ACCOUNTS, false, "EAAITP = '1'",
                    row -> row.text("DIVI") == null || divisions.contains(row.text("DIVI"))),
                    rows -> () -> row -> glAccount(ctx, row), pageSize, zone, stored, since);
            case PAYMENTS -> new M3Reader(m3, layouts, p, PAYMENTS,
                    rows -> payments(m3, layouts, ctx, rows, paidStatuses), pageSize, zone, stored, since);
        };
    }

    private static Supplier<Function<Row, Struct>> purchaseOrders(M3Client m3, M3Layouts layouts, RecordContext ctx,
                                                                  List<Row> heads) {
        Supplier<Map<String, String>> namesAnswered = supplierNames(m3, layouts, ctx.partition().company(), heads);
        Supplier<Map<String, List<Row>>> linesAnswered = lines(m3, layouts.columns(ORDER_LINES), ctx.partition().company(), heads);
        int scale = ctx.schemas().amountScale;
        return () -> {
            Map<String, String> names = namesAnswered.get();
            Map<String, List<Row>> lines = linesAnswered.get();
            return head -> purchaseOrder(ctx, scale, head, names, lines);
        };
    }

    private static Struct purchaseOrder(RecordContext ctx, int scale, Row head, Map<String, String> names,
                                        Map<String, List<Row>> lines) {
        String puno = head.required("PUNO");
        List<Struct> orderLines = new ArrayList<>();
        for (Row line : lines.getOrDefault(puno, List.of())) {
            String pnls = line.text("PNLS");
            orderLines.add(new Struct(ctx.schemas().purchaseOrderLine)
                    .put("line", line.required("PNLI") + (pnls == null || pnls.equals("0") ? "" : "-" + pnls))
                    .put("item", line.text("ITNO"))
                    .put("description", line.text("PITD"))
                    .put("quantity", line.decimal("ORQA", RecordSchemas.QUANTITY_SCALE))
                    .put("unit", line.text("PUUN"))
                    .put("amount", line.decimal("LNAM", scale)));
        }
        String suno = head.required("SUNO");
        return ctx.header(ctx.schemas().purchaseOrder, puno, head.text("DIVI"))
                .put("supplier_id", suno)
                .put("supplier_name", names.get(suno))
                .put("order_date", RecordContext.date(head.m3Date("PUDT")))
                .put("status", head.text("PUST"))
                .put("amount", head.decimal("COAM", scale))
                .put("currency", head.text("CUCD"))
                .put("buyer", head.text("BUYE"))
                .put("lines", orderLines)
                .put("changed_at", changedAt(ctx, head))
                .put("source_zone", ctx.zone().getId());
    }

    private static Supplier<Function<Row, Struct>> supplierInvoices(M3Client m3, M3Layouts layouts, RecordContext ctx,
                                                                    List<Row> rows) {
        Supplier<Map<String, String>> namesAnswered = supplierNames(m3, layouts, ctx.partition().company(), rows);
        int scale = ctx.schemas().amountScale;
        return () -> {
            Map<String, String> names = namesAnswered.get();
            return row -> supplierInvoice(ctx, scale, row, names);
        };
    }

    private static Struct supplierInvoice(RecordContext ctx, int scale, Row row, Map<String, String> names) {
        String suno = row.required("SUNO");
        return ctx.header(ctx.schemas().supplierInvoice, row.required("INBN"), row.text("DIVI"))
                .put("invoice_number", row.text("SINO"))
                .put("supplier_id", suno)
                .put("supplier_name", names.get(suno))
                .put("invoice_date", RecordContext.date(row.m3Date("IVDT")))
                .put("due_date", RecordContext.date(row.m3Date("DUDT")))
                .put("amount", row.decimal("CUAM", scale))
                .put("currency", row.text("CUCD"))
                .put("po_number", row.text("PUNO"))
                .put("status", row.text("SUPA"))
                .put("changed_at", changedAt(ctx, row))
                .put("source_zone", ctx.zone().getId());
    }

    private static Supplier<Function<Row, Struct>> payments(M3Client m3, M3Layouts layouts, RecordContext ctx,
                                                            List<Row> rows, Set<String> paidStatuses) {
        Supplier<Map<String, String>> batchesAnswered = invoiceBatches(m3, layouts, ctx.partition(), rows);
        int scale = ctx.schemas().amountScale;
        return () -> {
            Map<String, String> batches = batchesAnswered.get();
            return row -> payment(ctx, scale, row, batches, paidStatuses);
        };
    }

    /**
     * The payment state of one supplier invoice in the AP ledger. The record is the invoice's (supplier, invoice
     * number, year); its invoice_reference is the APS450 batch the invoice came in by, the number of its
     * supplier-invoices record, or null when it came in another way.
     */
    private static Struct payment(RecordContext ctx, int scale, Row row, Map<String, String> batches,
                                  Set<String> paidStatuses) {
        String suno = row.required("SUNO");
        String sino = row.required("SINO");
        String status = row.text("PYST");
        return ctx.header(ctx.schemas().payment, suno + "/" + sino + "/" + row.required("INYR"), row.text("DIVI"))
                .put("invoice_reference", batches.get(invoiceKey(suno, sino)))
                .put("invoice_number", sino)
                .put("supplier_id", suno)
                .put("payment_status", status != null && paidStatuses.contains(status) ? PaymentStatus.PAID
                        : PaymentStatus.UNPAID)
                .put("status", status)
                .put("amount", row.decimal("CUAM", scale))
                .put("currency", row.text("CUCD"))
                .put("changed_at", changedAt(ctx, row))
                .put("source_zone", ctx.zone().getId());
    }

    /** The invoice batch (INBN) of each supplier invoice the page names; the newest when it was entered twice. */
    private static Supplier<Map<String, String>> invoiceBatches(M3Client m3, M3Layouts layouts, SourcePartition partition,
                                                                List<Row> rows) {
        Supplier<List<Row>> answered = byValues(m3, partition.company(), layouts.columns(BATCHES_OF_INVOICES), "E5SINO",
                "SINO", rows, "E5DIVI = " + KeyOrder.quote(partition.division()));
        return () -> {
            Map<String, String> batches = new HashMap<>();
            for (Row batch : answered.get()) {
                batches.merge(invoiceKey(batch.text("SUNO"), batch.text("SINO")), batch.text("INBN"),
                        (a, b) -> KeyOrder.compare(a, b) >= 0 ? a : b);
            }
            return batches;
        };
    }

    private static String invoiceKey(String suno, String sino) {
        return suno + "\u0000" + sino;
    }

    private static Struct supplier(RecordContext ctx, Row row) {
        return ctx.header(ctx.schemas().supplier, row.required("SUNO"), null)
                .put("name", row.required("SUNM"))
                .put("currency", row.text("CUCD"))
                .put("status", row.text("STAT"))
                .put("payment_terms", row.text("TEPY"))
                .put("changed_at", changedAt(ctx, row))
                .put("source_zone", ctx.zone().getId());
    }

    private static Struct glAccount(RecordContext ctx, Row row) {
        // An account number repeats across the divisions of a company, so the record number names the division too;
        // a company-level account (blank division) is its number alone.
        String division = row.text("DIVI");
        String account = row.required("AITM");
        return ctx.header(ctx.schemas().glAccount, division == null ? account : division + "/" + account, division)
                .put("account", account)
                .put("name", row.text("TX40"))
                .put("account_group", row.text("AICL"))
                .put("currency", row.text("CUCD"))
                .put("changed_at", changedAt(ctx, row))
                .put("source_zone", ctx.zone().getId());
    }

    /**
     * LMTS is M3's change timestamp in epoch milliseconds, so it is already UTC. On a table without LMTS, the change
     * date (LMDT) is all there is: the start of that day in the tenant's zone.
     */
    private static java.util.Date changedAt(RecordContext ctx, Row row) {
        if (!row.fields().containsKey("LMTS")) {
            java.time.LocalDate day = row.m3Date("LMDT");
            return day == null ? null : java.util.Date.from(day.atStartOfDay(ctx.zone()).toInstant());
        }
        return java.util.Date.from(Instant.ofEpochMilli(row.wholeNumber("LMTS")));
    }

    /** SUNO to SUNM for the suppliers a page mentions: asked now, parsed when got. */
    private static Supplier<Map<String, String>> supplierNames(M3Client m3, M3Layouts layouts, String company, List<Row> rows) {
        Supplier<List<Row>> answered = byValues(m3, company, layouts.columns(SUPPLIER_NAMES), "IDSUNO", "SUNO", rows, null);
        return () -> {
            Map<String, String> names = new HashMap<>();
            answered.get().forEach(r -> names.put(r.text("SUNO"), r.text("SUNM")));
            return names;
        };
    }

    /**
     * The rows whose {@code column} holds a value the page's rows hold in {@code field} (and that meet
     * {@code condition}, when given), {@value #CHAIN} values a call: asked now, parsed when got.
     */
    private static Supplier<List<Row>> byValues(M3Client m3, String company, ExportColumns columns, String column,
                                                String field, List<Row> page, String condition) {
        TreeSet<String> values = new TreeSet<>();
        page.forEach(r -> {
            String v = r.text(field);
            if (v != null) {
                values.add(v);
            }
        });
        List<M3Reader.Export> answers = new ArrayList<>();
        List<String> all = new ArrayList<>(values);
        for (int i = 0; i < all.size(); i += CHAIN) {
            String chain = orChain(column, all.subList(i, Math.min(all.size(), i + CHAIN)));
            answers.add(M3Reader.export(m3, company, columns, condition == null ? chain : chain + " and " + condition,
                    EXPORT_CAP));
        }
        return () -> {
            List<Row> rows = new ArrayList<>();
            answers.forEach(a -> rows.addAll(a.rows()));
            return rows;
        };
    }

    /** MPLINE rows of the page's orders, by PUNO, in line order: asked now, parsed when got. */
    private static Supplier<Map<String, List<Row>>> lines(M3Client m3, ExportColumns columns, String company, List<Row> heads) {
        TreeSet<String> punos = new TreeSet<>(KeyOrder.KEYS);
        heads.forEach(h -> {
            String p = h.text("PUNO");
            if (p != null) {
                punos.add(p);
            }
        });
        if (punos.isEmpty()) {
            return Map::of;
        }
        if (punos.size() <= CHAIN) {
            M3Reader.Export answer = M3Reader.export(m3, company, columns, orChain("IBPUNO", new ArrayList<>(punos)), EXPORT_CAP);
            if (answer.size() >= EXPORT_CAP) {
                throw new DataException("the lines of " + punos.size() + " purchase orders of " + company + " exceed "
                        + EXPORT_CAP + " rows; lower page.size");
            }
            return () -> byOrder(answer.rows(), punos);
        }
        // A key range, read in slices: a slice that fills the cap may end mid-order, so its last order is read again.
        // Only a full slice's last row is parsed here, for the order to go on from; the rows wait for the supplier.
        List<Supplier<List<Row>>> slices = new ArrayList<>();
        String from = punos.first();
        while (true) {
            M3Reader.Export slice = M3Reader.export(m3, company, columns, "IBPUNO >= " + KeyOrder.quote(from) + " and IBPUNO <= " + KeyOrder.quote(punos.last()), EXPORT_CAP);
            if (slice.size() < EXPORT_CAP) {
                slices.add(slice::rows);
                return () -> {
                    List<Row> rows = new ArrayList<>();
                    slices.forEach(rowsOf -> rows.addAll(rowsOf.get()));
                    return byOrder(rows, punos);
                };
            }
            String last = slice.lastRow().text("PUNO");
            if (last.equals(from)) {
                throw new DataException("purchase order " + from + " of " + company + " has more than " + EXPORT_CAP + " lines");
            }
            slices.add(() -> slice.rows().stream().filter(r -> !last.equals(r.text("PUNO"))).toList());
            from = last;
        }
    }

    /** The lines of the wanted orders, by PUNO, in line order. */
    private static Map<String, List<Row>> byOrder(List<Row> rows, Set<String> punos) {
        // A key range also holds other divisions' orders; a hash look-up keeps dropping them cheap.
        Set<String> wanted = new HashSet<>(punos);
        Map<String, List<Row>> byOrder = new LinkedHashMap<>();
        for (Row r : rows) {
            String puno = r.text("PUNO");
            if (wanted.contains(puno)) {
                byOrder.computeIfAbsent(puno, k -> new ArrayList<>()).add(r);
            }
        }
        Comparator<Row> lineOrder = Comparator.comparing((Row r) -> nonNull(r.text("PNLI")), KeyOrder.KEYS)
                .thenComparing(r -> nonNull(r.text("PNLS")), KeyOrder.KEYS);
        byOrder.values().forEach(l -> l.sort(lineOrder));
        return byOrder;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String orChain(String column, List<String> values) {
        List<String> terms = values.stream().map(v -> column + " = " + KeyOrder.quote(v)).toList();
        return "(" + String.join(" or ", terms) + ")";
    }
}
