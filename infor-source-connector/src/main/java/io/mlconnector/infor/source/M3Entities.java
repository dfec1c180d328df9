package io.mlconnector.infor.source;

import static io.mlconnector.infor.source.Conversions.amount;
import static io.mlconnector.infor.source.Conversions.inDivision;
import static io.mlconnector.infor.source.Conversions.joined;
import static io.mlconnector.infor.source.Conversions.lineNumber;
import static io.mlconnector.infor.source.Conversions.lines;
import static io.mlconnector.infor.source.Conversions.lookedUp;
import static io.mlconnector.infor.source.Conversions.m3ChangedAt;
import static io.mlconnector.infor.source.Conversions.m3Date;
import static io.mlconnector.infor.source.Conversions.paidWhenStatusIn;
import static io.mlconnector.infor.source.Conversions.quantity;
import static io.mlconnector.infor.source.Conversions.requiredText;
import static io.mlconnector.infor.source.Conversions.text;
import static io.mlconnector.infor.source.RecordMapping.field;
import static io.mlconnector.infor.source.TableRead.Column.firstOf;
import static io.mlconnector.infor.source.TableRead.Column.optional;
import static io.mlconnector.infor.source.TableRead.Column.required;

import io.mlconnector.infor.M3Client;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.source.RecordMapping.Field;
import io.mlconnector.infor.source.RecordMapping.Value;
import java.time.Instant;
import java.util.ArrayList;
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
 * Supplier names come from CIDMAS, one call per page, a payment's invoice batch from FAPIBH. Each entity's
 * columns-to-fields are a {@link RecordMapping}, which {@link RecordMapper} applies; what is code here is reading.
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

    /** Every table read; docs/m3-columns.md names each of their columns (ColumnDocsTest holds it to that). */
    static final List<TableRead> ALL = List.of(PURCHASE_ORDER_HEADS, ORDER_LINES, SUPPLIER_NAMES, INVOICE_BATCHES,
            SUPPLIER_MASTER, CHART_OF_ACCOUNTS, AP_LEDGER, BATCHES_OF_INVOICES);

    static final M3Reader.Source PURCHASE_ORDERS = new M3Reader.Source(PURCHASE_ORDER_HEADS, true, null);
    static final M3Reader.Source SUPPLIER_INVOICES = new M3Reader.Source(INVOICE_BATCHES, true, null);
    static final M3Reader.Source SUPPLIERS = new M3Reader.Source(SUPPLIER_MASTER, false, null);
    static final M3Reader.Source PAYMENTS = new M3Reader.Source(AP_LEDGER, true, null);

    /** What a page looks up: its orders' lines, its suppliers' names, and a ledger row's invoice batch (the newest). */
    static final Related.Lines LINES = new Related.Lines("MPLINE", "PUNO", "PNLI", "PNLS");
    static final Related.Lookup SUPPLIER_NAME = new Related.Lookup("CIDMAS", "SUNO");
    static final Related.Lookup INVOICE_BATCH = new Related.Lookup("FAPIBH", List.of("SUNO", "SINO"), "INBN");

    /**
     * How a look-up is read: the table, the column whose values in the page's rows it asks for, and whether only
     * in the partition's division.
     */
    private record LookupRead(TableRead read, String by, boolean inDivision) {
    }

    private static final Map<Related.Table, LookupRead> LOOKUP_READS = Map.of(
            LINES, new LookupRead(ORDER_LINES, "PUNO", false),
            SUPPLIER_NAME, new LookupRead(SUPPLIER_NAMES, "SUNO", false),
            INVOICE_BATCH, new LookupRead(BATCHES_OF_INVOICES, "SINO", true));

    private static final Value CHANGED_AT = m3ChangedAt();

    static final List<Field> ORDER_LINE = List.of(
            field("line", lineNumber("PNLI", "PNLS")),
            field("item", text("ITNO")),
            field("description", text("PITD")),
            field("quantity", quantity("ORQA")),
            field("unit", text("PUUN")),
            field("amount", amount("LNAM")));

    static final RecordMapping PURCHASE_ORDER = new RecordMapping(Entity.PURCHASE_ORDERS, List.of(
            field("number", requiredText("PUNO")),
            field("division", text("DIVI")),
            field("lines", lines(LINES, ORDER_LINE)),
            field("supplier_id", requiredText("SUNO")),
            field("supplier_name", lookedUp(SUPPLIER_NAME, "SUNM")),
            field("order_date", m3Date("PUDT")),
            field("status", text("PUST")),
            field("amount", amount("COAM")),
            field("currency", text("CUCD")),
            field("buyer", text("BUYE")),
            field("changed_at", CHANGED_AT)));

    /** The supplier is checked before the batch number, as it always was: the first bad column names a bad row. */
    static final RecordMapping SUPPLIER_INVOICE = new RecordMapping(Entity.SUPPLIER_INVOICES, List.of(
            field("supplier_id", requiredText("SUNO")),
            field("number", requiredText("INBN")),
            field("division", text("DIVI")),
            field("invoice_number", text("SINO")),
            field("supplier_name", lookedUp(SUPPLIER_NAME, "SUNM")),
            field("invoice_date", m3Date("IVDT")),
            field("due_date", m3Date("DUDT")),
            field("amount", amount("CUAM")),
            field("currency", text("CUCD")),
            field("po_number", text("PUNO")),
            field("status", text("SUPA")),
            field("changed_at", CHANGED_AT)));

    /** A supplier belongs to the company: no division. */
    static final RecordMapping SUPPLIER = new RecordMapping(Entity.SUPPLIERS, List.of(
            field("number", requiredText("SUNO")),
            field("name", requiredText("SUNM")),
            field("currency", text("CUCD")),
            field("status", text("STAT")),
            field("payment_terms", text("TEPY")),
            field("changed_at", CHANGED_AT)));

    /** An account number repeats across the divisions of a company, so the record number names the division too. */
    static final RecordMapping GL_ACCOUNT = new RecordMapping(Entity.GL_ACCOUNTS, List.of(
            field("number", inDivision("DIVI", "AITM")),
            field("division", text("DIVI")),
            field("account", requiredText("AITM")),
            field("name", text("TX40")),
            field("account_group", text("AICL")),
            field("currency", text("CUCD")),
            field("changed_at", CHANGED_AT)));

    private M3Entities() {
    }

    /**
     * The payment state of one supplier invoice in the AP ledger. The record is the invoice's (supplier, invoice
     * number, year); its invoice_reference is the APS450 batch the invoice came in by, the number of its
     * supplier-invoices record, or null when it came in another way.
     *
     * @param paidStatuses the FPLEDG payment statuses (PYST) that mean paid
     */
    static RecordMapping payment(Set<String> paidStatuses) {
        return new RecordMapping(Entity.PAYMENTS, List.of(
                field("number", joined("SUNO", "SINO", "INYR")),
                field("division", text("DIVI")),
                field("invoice_reference", lookedUp(INVOICE_BATCH, "INBN")),
                field("invoice_number", requiredText("SINO")),
                field("supplier_id", requiredText("SUNO")),
                field("payment_status", paidWhenStatusIn("PYST", paidStatuses)),
                field("status", text("PYST")),
                field("amount", amount("CUAM")),
                field("currency", text("CUCD")),
                field("changed_at", CHANGED_AT)));
    }

    static RecordMapping mapping(Entity entity, Set<String> paidStatuses) {
        return switch (entity) {
            case PURCHASE_ORDERS -> PURCHASE_ORDER;
            case SUPPLIER_INVOICES -> SUPPLIER_INVOICE;
            case SUPPLIERS -> SUPPLIER;
            case GL_ACCOUNTS -> GL_ACCOUNT;
            case PAYMENTS -> payment(paidStatuses);
        };
    }

    /** The tables an entity reads, for validate: its own, then those its page looks up. */
    static List<TableRead> tables(Entity entity) {
        List<TableRead> tables = new ArrayList<>(List.of(source(entity, Set.of()).read()));
        mapping(entity, Set.of()).related().forEach(t -> tables.add(LOOKUP_READS.get(t).read()));
        return tables;
    }

    /**
     * @param divisions the company's configured divisions: GL accounts are read per company, those of these
     *                  divisions and the company-level ones (blank division)
     * @param paidStatuses the FPLEDG payment statuses (PYST) that mean paid
     */
    static M3Reader reader(M3Client m3, M3Layouts layouts, RecordContext ctx, int pageSize, Map<String, ?> stored,
                           Instant since, Set<String> divisions, Set<String> paidStatuses) {
        Entity entity = ctx.partition().entity();
        RecordMapping mapping = mapping(entity, paidStatuses);
        RecordMapper mapper = new RecordMapper(ctx, mapping);
        return new M3Reader(m3, layouts, ctx.partition(), source(entity, divisions),
                rows -> page(m3, layouts, ctx.partition(), mapping.related(), mapper, rows), pageSize, ctx.zone(), stored,
                since);
    }

    private static M3Reader.Source source(Entity entity, Set<String> divisions) {
        return switch (entity) {
            case PURCHASE_ORDERS -> PURCHASE_ORDERS;
            case SUPPLIER_INVOICES -> SUPPLIER_INVOICES;
            case SUPPLIERS -> SUPPLIERS;
            // No division filter in the query: M3 honours one only in a blank-division session (docs/m3-columns.md).
            case GL_ACCOUNTS -> new M3Reader.Source(CHART_OF_ACCOUNTS, false, "EAAITP = '1'",
                    row -> row.text("DIVI") == null || divisions.contains(row.text("DIVI")));
            case PAYMENTS -> PAYMENTS;
        };
    }

    /** Asks for what the page looks up now; parses the answers and maps the rows when the mapping is got. */
    private static Supplier<Function<Row, Struct>> page(M3Client m3, M3Layouts layouts, SourcePartition partition,
                                                       List<Related.Table> related, RecordMapper mapper, List<Row> rows) {
        Map<Related.Table, Supplier<List<Row>>> asked = new LinkedHashMap<>();
        for (Related.Table table : related) {
            asked.put(table, ask(m3, layouts, partition, table, rows));
        }
        return () -> {
            Map<Related.Table, List<Row>> got = new LinkedHashMap<>();
            asked.forEach((table, answer) -> got.put(table, answer.get()));
            return mapper.forPage(Related.of(got, rows));
        };
    }

    private static Supplier<List<Row>> ask(M3Client m3, M3Layouts layouts, SourcePartition partition, Related.Table table,
                                           List<Row> rows) {
        LookupRead lookup = LOOKUP_READS.get(table);
        ExportColumns columns = layouts.columns(lookup.read());
        if (table instanceof Related.Lines) {
            return readLines(m3, columns, partition.company(), rows);
        }
        String prefix = lookup.read().prefix();
        String condition = lookup.inDivision() ? prefix + "DIVI = " + KeyOrder.quote(partition.division()) : null;
        return byValues(m3, partition.company(), columns, prefix + lookup.by(), lookup.by(), rows, condition);
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

    /** MPLINE rows of the page's orders (and, read by key range, others'): asked now, parsed when got. */
    private static Supplier<List<Row>> readLines(M3Client m3, ExportColumns columns, String company, List<Row> heads) {
        TreeSet<String> punos = new TreeSet<>(KeyOrder.KEYS);
        heads.forEach(h -> {
            String p = h.text("PUNO");
            if (p != null) {
                punos.add(p);
            }
        });
        if (punos.isEmpty()) {
            return List::of;
        }
        if (punos.size() <= CHAIN) {
            M3Reader.Export answer = M3Reader.export(m3, company, columns, orChain("IBPUNO", new ArrayList<>(punos)), EXPORT_CAP);
            if (answer.size() >= EXPORT_CAP) {
                throw new DataException("the lines of " + punos.size() + " purchase orders of " + company + " exceed "
                        + EXPORT_CAP + " rows; lower page.size");
            }
            return answer::rows;
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
                    return rows;
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

    private static String orChain(String column, List<String> values) {
        List<String> terms = values.stream().map(v -> column + " = " + KeyOrder.quote(v)).toList();
        return "(" + String.join(" or ", terms) + ")";
    }
}
