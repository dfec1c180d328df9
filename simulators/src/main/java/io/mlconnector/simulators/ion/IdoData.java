package io.mlconnector.simulators.ion;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated SyteLine sites, one per Mongoose configuration ({@code <TENANT>_DALS}, {@code <TENANT>_OHIO}),
 * each with the IDOs SLVendors, SLPos, SLPoItems, SLAptrxs, SLAptrxps and SLVchHdrs. Every row carries RowPointer (GUID),
 * RecordDate, CreateDate, CreatedBy and UpdatedBy; RecordDate moves on every write and is strictly increasing
 * per simulator (millisecond resolution), so it works as a high-water mark. All access synchronises on this.
 */
final class IdoData {

    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS");
    private static final List<String> STANDARD = List.of("RecordDate", "RowPointer", "CreateDate", "CreatedBy", "UpdatedBy", "InWorkflow", "NoteExistsFlag");

    /** One IDO at one site: its properties, key properties and rows by RowPointer. */
    static final class Collection {
        final String name;
        final String tableAlias;
        final List<String> keys;
        final List<String> properties;
        final Map<String, Map<String, String>> rows = new LinkedHashMap<>();

        Collection(String name, String tableAlias, List<String> keys, String props) {
            this.name = name;
            this.tableAlias = tableAlias;
            this.keys = keys;
            List<String> all = new java.util.ArrayList<>(List.of(props.split(" ")));
            all.addAll(STANDARD);
            this.properties = List.copyOf(all);
        }

        /** Canonical spelling of a property (names are case-insensitive), or null. */
        String property(String name) {
            for (String p : properties) {
                if (p.equalsIgnoreCase(name)) {
                    return p;
                }
            }
            return null;
        }

        String itemId(Map<String, String> row) {
            return "PBT=[" + tableAlias + "] " + tableAlias + ".DT=[" + isoStamp(row.get("RecordDate")) + "] "
                    + tableAlias + ".ID=[" + row.get("RowPointer") + "]";
        }
    }

    private final Clock clock;
    private final AtomicLong lastMillis = new AtomicLong();
    final Map<String, Map<String, Collection>> sites = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    IdoData(Clock clock, String tenant) {
        this.clock = clock;
        for (String site : List.of("DALS", "OHIO")) {
            Map<String, Collection> ido = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            put(ido, new Collection("SLVendors", "vendor", List.of("VendNum"), "VendNum Name CurrCode TermsCode Stat VadAddr_1 VadCity ExternalEmailAddr"));
            put(ido, new Collection("SLPos", "po", List.of("PoNum"), "PoNum VendNum OrderDate Stat Type Whse PoCost VenCurrCode TermsCode Buyer VendOrder ExchRate DistDate Uf_ExtStatus"));
            put(ido, new Collection("SLPoItems", "poitem", List.of("PoNum", "PoLine", "PoRelease"), "PoNum PoLine PoRelease Item Description QtyOrdered QtyReceived QtyVoucher ItemCost DueDate PromiseDate Stat PoVendNum CurrCode"));
            put(ido, new Collection("SLAptrxs", "aptrx", List.of("VendNum", "Voucher"), "VendNum Voucher InvNum InvDate InvAmt PurchAmt PoNum DueDate DistDate Type AuthStatus SalesTax ApAcct Uf_ExtStatus"));
            // posted A/P transactions: vouchers (Type V) and the payments applied to them (Type P)
            put(ido, new Collection("SLAptrxps", "aptrxp", List.of("VendNum", "Voucher", "Type", "CheckNum"), "VendNum Voucher InvNum Type InvAmt AmtPaid DistDate CheckNum"));
            put(ido, new Collection("SLVchHdrs", "vch_hdr", List.of("VendNum", "Voucher", "VouchSeq"), "VendNum VadName Voucher VouchSeq InvNum InvDate DistDate InvAmt Type PreRegister PostFromPo ApAcct DiscPct TermsCode ExchRate"));
            sites.put(tenant + "_" + site, ido);
        }
    }

    private static void put(Map<String, Collection> ido, Collection c) {
        ido.put(c.name, c);
    }

    Collection collection(String config, String ido) {
        Map<String, Collection> site = sites.get(config);
        return site == null ? null : site.get(ido);
    }

    /** A fresh RecordDate, strictly later than any before it. */
    String nextStamp() {
        long millis = lastMillis.updateAndGet(prev -> Math.max(prev + 1, clock.millis()));
        return STAMP.format(LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), clock.getZone()));
    }

    Map<String, String> insert(Collection c, Map<String, String> values, String user) {
        Map<String, String> row = new LinkedHashMap<>();
        c.properties.forEach(p -> row.put(p, null));
        values.forEach((k, v) -> {
            String p = c.property(k);
            if (p == null) {
                throw new IllegalArgumentException("Property " + k + " does not exist on " + c.name);
            }
            row.put(p, v);
        });
        String now = nextStamp();
        row.put("RowPointer", UUID.randomUUID().toString());
        row.put("RecordDate", now);
        row.put("CreateDate", now);
        row.put("CreatedBy", user);
        row.put("UpdatedBy", user);
        row.put("InWorkflow", "0");
        row.put("NoteExistsFlag", "0");
        c.rows.put(row.get("RowPointer"), row);
        return row;
    }

    void update(Collection c, Map<String, String> row, Map<String, String> values, String user) {
        values.forEach((k, v) -> {
            String p = c.property(k);
            if (p == null || STANDARD.contains(p)) {
                throw new IllegalArgumentException("Property " + k + " cannot be updated on " + c.name);
            }
            row.put(p, v);
        });
        row.put("RecordDate", nextStamp());
        row.put("UpdatedBy", user);
    }

    /**
     * Seeds the first site ({@code _DALS}) with {@code perIdo} POs (one or two items each), vouchers and voucher
     * headers and a tenth as many vendors; the second site ({@code _OHIO}) with a tenth of that.
     */
    void seed(long seed, int perIdo) {
        Random rnd = new Random(seed ^ 0x5E7E_11E5L);
        LocalDateTime base = LocalDateTime.now(clock).minusDays(400);
        boolean firstSite = true;
        for (Map.Entry<String, Map<String, Collection>> site : sites.entrySet()) {
            Map<String, Collection> ido = site.getValue();
            // The second site is a tenth the size: enough to show site separation without doubling the memory.
            int rows = firstSite ? perIdo : Math.max(10, perIdo / 10);
            firstSite = false;
            int vendors = Math.max(10, rows / 10);
            String[] currencies = {"USD", "CAD", "EUR"};
            for (int v = 1; v <= vendors; v++) {
                seeded(ido.get("SLVendors"), rnd, base, Map.of("VendNum", String.format("V%06d", v), "Name", "Vendor " + v,
                        "CurrCode", currencies[v % 3], "TermsCode", "N30", "Stat", "A", "VadAddr_1", v + " Main Street",
                        "VadCity", "Dallas", "ExternalEmailAddr", "ap" + v + "@vendor.example"));
            }
            for (int p = 1; p <= rows; p++) {
                String poNum = String.format("PO%08d", p);
                String vend = String.format("V%06d", 1 + rnd.nextInt(vendors));
                LocalDateTime ordered = base.plusDays(rnd.nextInt(380));
                BigDecimal total = BigDecimal.ZERO;
                int items = 1 + rnd.nextInt(2);
                for (int i = 1; i <= items; i++) {
                    BigDecimal qty = BigDecimal.valueOf(1 + rnd.nextInt(200)).setScale(8);
                    BigDecimal cost = BigDecimal.valueOf(100 + rnd.nextInt(100_000), 2).setScale(8);
                    total = total.add(qty.multiply(cost));
                    seeded(ido.get("SLPoItems"), rnd, ordered, Map.ofEntries(Map.entry("PoNum", poNum), Map.entry("PoLine", String.valueOf(i)),
                            Map.entry("PoRelease", "0"), Map.entry("Item", "ITEM-" + (100 + rnd.nextInt(900))), Map.entry("Description", "Item " + i),
                            Map.entry("QtyOrdered", qty.toPlainString()), Map.entry("QtyReceived", "0.00000000"), Map.entry("QtyVoucher", "0.00000000"),
                            Map.entry("ItemCost", cost.toPlainString()), Map.entry("DueDate", STAMP.format(ordered.plusDays(14).toLocalDate().atStartOfDay())),
                            Map.entry("Stat", "O"), Map.entry("PoVendNum", vend), Map.entry("CurrCode", "USD")));
                }
                seeded(ido.get("SLPos"), rnd, ordered, Map.ofEntries(Map.entry("PoNum", poNum), Map.entry("VendNum", vend),
                        Map.entry("OrderDate", STAMP.format(ordered.toLocalDate().atStartOfDay())), Map.entry("Stat", "O"), Map.entry("Type", "R"),
                        Map.entry("Whse", "MAIN"), Map.entry("PoCost", total.setScale(8, RoundingMode.HALF_UP).toPlainString()),
                        Map.entry("VenCurrCode", "USD"), Map.entry("TermsCode", "N30"), Map.entry("Buyer", "jsmith"),
                        Map.entry("ExchRate", "1.00000000"), Map.entry("VendOrder", "")));
                String voucher = String.valueOf(100000 + p);
                BigDecimal amt = BigDecimal.valueOf(1000 + rnd.nextInt(1_000_000), 2).setScale(8);
                String invDate = STAMP.format(ordered.plusDays(20).toLocalDate().atStartOfDay());
                seeded(ido.get("SLAptrxs"), rnd, ordered.plusDays(20), Map.ofEntries(Map.entry("VendNum", vend), Map.entry("Voucher", voucher),
                        Map.entry("InvNum", "INV" + p), Map.entry("InvDate", invDate), Map.entry("InvAmt", amt.toPlainString()),
                        Map.entry("PurchAmt", amt.toPlainString()), Map.entry("PoNum", poNum), Map.entry("DueDate", invDate),
                        Map.entry("DistDate", invDate), Map.entry("Type", "V"), Map.entry("AuthStatus", "0"), Map.entry("SalesTax", "0.00000000"),
                        Map.entry("ApAcct", "20000")));
                seeded(ido.get("SLVchHdrs"), rnd, ordered.plusDays(21), Map.ofEntries(Map.entry("VendNum", vend), Map.entry("VadName", "Vendor " + vend),
                        Map.entry("Voucher", voucher), Map.entry("VouchSeq", "1"), Map.entry("InvNum", "INV" + p), Map.entry("InvDate", invDate),
                        Map.entry("DistDate", invDate), Map.entry("InvAmt", amt.toPlainString()), Map.entry("Type", "V"), Map.entry("PreRegister", "0"),
                        Map.entry("PostFromPo", "1"), Map.entry("ApAcct", "20000"), Map.entry("DiscPct", "0.00000000"), Map.entry("TermsCode", "N30"),
                        Map.entry("ExchRate", "1.00000000")));
            }
        }
    }

    private void seeded(Collection c, Random rnd, LocalDateTime created, Map<String, String> values) {
        Map<String, String> row = new LinkedHashMap<>();
        c.properties.forEach(p -> row.put(p, null));
        row.putAll(values);
        LocalDateTime changed = created.plusMinutes(rnd.nextInt(60 * 24 * 10));
        row.put("RowPointer", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
        row.put("CreateDate", STAMP.format(created));
        row.put("RecordDate", STAMP.format(changed.isAfter(LocalDateTime.now(clock)) ? created : changed));
        row.put("CreatedBy", "sa");
        row.put("UpdatedBy", "sa");
        row.put("InWorkflow", "0");
        row.put("NoteExistsFlag", "0");
        c.rows.put(row.get("RowPointer"), row);
    }

    /** {@code 20240503 10:11:12.345} as {@code 2024-05-03 10:11:12.345}, the form _ItemId's DT uses. */
    static String isoStamp(String stamp) {
        return stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8) + stamp.substring(8);
    }
}
