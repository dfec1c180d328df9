package io.mlconnector.simulators.ion;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated M3 database: companies and divisions, suppliers (CIDMAS), purchase orders (MPHEAD/MPLINE),
 * supplier-invoice batches (FAPIBH/FAPIBL), the AP ledger (FPLEDG), GL accounting identities (FCHACC) and
 * user-defined fields (CUGEX1). Seeded from a {@link Random}, so the same seed gives the same data.
 *
 * <p>Change tracking follows M3: new rows get RGDT/RGTM/LMDT, CHNO 1 and CHID; every change sets LMDT to the
 * tenant's today, adds one to CHNO (wrapping after 999) and stamps CHID and LMTS. LMTS is epoch milliseconds and
 * strictly increasing across the simulator, so it can serve as a high-water mark. All access synchronises on this.
 */
final class M3Data {

    static final DateTimeFormatter YMD = DateTimeFormatter.ofPattern("yyyyMMdd");
    static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HHmmss");
    /** Companies and their divisions. */
    /** Invoice batch statuses (SUPA) as this simulator models them: entered, approved, validated into the ledger, rejected. */
    public static final String INVOICE_ENTERED = "10";
    public static final String INVOICE_APPROVED = "20";
    public static final String INVOICE_POSTED = "90";
    public static final String INVOICE_REJECTED = "15";
    /** AP ledger payment statuses (PYST) as this simulator models them; the reference names the field only. */
    public static final String PAYMENT_OPEN = "0";
    public static final String PAYMENT_PAID = "2";

    static final Map<String, List<String>> COMPANIES = Map.of("100", List.of("AAA", "BBB"), "200", List.of("CCC"));
    static final Map<String, String> LOCAL_CURRENCY = Map.of("AAA", "EUR", "BBB", "SEK", "CCC", "USD");

    /** Company-level GL accounts (blank division) per company, besides 40 per division. */
    static final int COMPANY_ACCOUNTS = 10;
    /**
     * Free text as users type it: separators, quotes, line breaks, other scripts, trailing blanks. Every fifth
     * supplier name, every eighth account name and every PO line's item name carry some.
     */
    static final String FREE_TEXT_NAME = " | \"Nord\"; Ö北京";
    static final String FREE_TEXT_ACCOUNT = " | 'Kasse'; Москва";
    static final List<String> FREE_TEXT_ITEMS = List.of("Bolt | M8; \"zinc\", 10/pk", "Kabel Ø2 ; Größe\nB",
            "螺栓 M8 | 北京 #2", "Washer *A*   ", "Plain item");

    private static final List<String> CHANGE = List.of("RGDT", "RGTM", "LMDT", "CHNO", "CHID", "LMTS");

    final M3Table heads = table("MPHEAD", "IA", List.of("CONO", "PUNO"), "DIVI SUNO CUCD PUDT DWDT FACI WHLO ORTY BUYE PURC PUSL PUST SLDT SCDT TEPY YRE1 OURR COAM NTAM SAAM LOCD LNCD");
    final M3Table lines = table("MPLINE", "IB", List.of("CONO", "PUNO", "PNLI", "PNLS"), "ITNO PITD PITT FACI WHLO SUNO ORQA RVQA IVQA PUPR PUUN LNAM SAAM PUSL PUST DWDT CODT CFQA CPPR RCDT PURC BUYE LOCD");
    final M3Table suppliers = table("CIDMAS", "ID", List.of("CONO", "SUNO"), "SUNM SUTY STAT LNCD CSCD PHNO VRNO PRSU BUYE SUCL");
    final M3Table invoiceHeads = table("FAPIBH", "E5", List.of("CONO", "DIVI", "INBN"), "IBTP SUPA SINO SPYN SUNO IVDT CUCD CUAM VTAM ACDT DUDT PUNO TEPY CORI APCD VONO YEA4 AAPD CRNO YRE1 REJD SCRE");
    final M3Table invoiceLines = table("FAPIBL", "E6", List.of("CONO", "DIVI", "INBN", "TRNO"), "RDTP NLAM VTA1 CUCD PUNO PNLI PNLS IVQA ITNO GRPR");
    final M3Table ledger = table("FPLEDG", "EP", List.of("CONO", "DIVI", "YEA4", "JRNO", "JSNO"), "SPYN SUNO SINO INYR TRCD CUCD CUAM VTAM IVDT DUDT ACDT VONO APRV PYST");
    final M3Table accounts = table("FCHACC", "EA", List.of("CONO", "DIVI", "AITP", "AITM"), "AICL TX40 TX15 VFDT VTDT");
    final M3Table extensions = table("CUGEX1", "F1", List.of("CONO", "FILE", "PK01", "PK02", "PK03", "PK04", "PK05", "PK06", "PK07", "PK08"), "A030 A130 A230 A330 A430 A530 A630 A730 A830 A930 N096 N196 N296 N396 N496 N596 N696 N796 N896 N996");
    final List<M3Table> tables = List.of(heads, lines, suppliers, invoiceHeads, invoiceLines, ledger, accounts, extensions);

    private final Clock clock;
    private final AtomicLong lastStamp = new AtomicLong();
    /** The service account's default division; null when blank (see {@link IonSimulator#setM3SessionDivision}). */
    volatile String sessionDivision;
    private long nextPuno = 4_000_000_000L;
    private long nextInbn = 1_000_000L;
    private long seededRows;

    M3Data(Clock clock) {
        this.clock = clock;
    }

    private static M3Table table(String name, String prefix, List<String> keys, String fields) {
        List<String> columns = new java.util.ArrayList<>(keys);
        columns.addAll(List.of(fields.split(" ")));
        columns.addAll(CHANGE);
        return new M3Table(name, prefix, keys, List.copyOf(columns));
    }

    M3Table table(String name) {
        return tables.stream().filter(t -> t.name.equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /** Strictly increasing epoch-millisecond stamp used for LMTS. */
    long stamp() {
        return lastStamp.updateAndGet(prev -> Math.max(prev + 1, clock.millis()));
    }

    ZonedDateTime now() {
        return ZonedDateTime.now(clock);
    }

    /** Stamps a new row as M3 does on insert. */
    Map<String, String> created(Map<String, String> row, String user) {
        ZonedDateTime now = now();
        row.put("RGDT", YMD.format(now));
        row.put("RGTM", HMS.format(now));
        row.put("LMDT", YMD.format(now));
        row.put("CHNO", "1");
        row.put("CHID", user);
        row.put("LMTS", String.valueOf(stamp()));
        return row;
    }

    /** Stamps a changed row: today's LMDT, CHNO + 1 (M3's 3-digit counter wraps), CHID and a fresh LMTS. */
    void changed(Map<String, String> row, String user) {
        int chno = row.getOrDefault("CHNO", "0").isBlank() ? 0 : Integer.parseInt(row.get("CHNO").trim());
        row.put("LMDT", YMD.format(now()));
        row.put("CHNO", String.valueOf((chno + 1) % 1000));
        row.put("CHID", user);
        row.put("LMTS", String.valueOf(stamp()));
    }

    synchronized String nextPuno() {
        while (heads.contains(Map.of("CONO", "100", "PUNO", String.valueOf(nextPuno)))
                || heads.contains(Map.of("CONO", "200", "PUNO", String.valueOf(nextPuno)))) {
            nextPuno++;
        }
        return String.valueOf(nextPuno++);
    }

    synchronized String nextInbn() {
        return String.valueOf(nextInbn++);
    }

    /** Seeds suppliers, POs with lines, invoices (half of them posted to the ledger) and GL accounts. */
    synchronized void seed(long seed, int suppliersPerCompany, int purchaseOrders, int invoices, int maxLinesPerOrder) {
        Random rnd = new Random(seed);
        LocalDate today = now().toLocalDate();
        String[] currencies = {"EUR", "SEK", "USD", "GBP"};
        String[] buyers = {"BUYER01", "BUYER02", "BUYER03"};
        for (String cono : COMPANIES.keySet().stream().sorted().toList()) {
            for (int s = 1; s <= suppliersPerCompany; s++) {
                LocalDate reg = today.minusDays(400 + rnd.nextInt(400));
                Map<String, String> sup = historic(reg, reg.plusDays(rnd.nextInt(390)), 1 + rnd.nextInt(5));
                sup.put("CONO", cono);
                sup.put("SUNO", String.format("S%05d", s));
                sup.put("SUNM", "Supplier " + s + " of " + cono + (s % 5 == 0 ? FREE_TEXT_NAME : ""));
                sup.put("SUTY", "0");
                sup.put("STAT", rnd.nextInt(20) == 0 ? "90" : "20");
                sup.put("CUCD", currencies[rnd.nextInt(currencies.length)]);
                sup.put("TEPY", "30D");
                sup.put("PYME", "BT");
                sup.put("LNCD", "GB");
                sup.put("CSCD", "SE");
                sup.put("PHNO", "+46 8 555 " + String.format("%04d", s));
                sup.put("VRNO", "SE" + (556000000L + s) + "01");
                sup.put("PRSU", sup.get("SUNO"));
                sup.put("BUYE", buyers[s % buyers.length]);
                sup.put("SUCL", "A" + (s % 3));
                suppliers.put(sup);
            }
            for (String divi : COMPANIES.get(cono)) {
                for (int a = 0; a < 40; a++) {
                    LocalDate reg = today.minusDays(700 + rnd.nextInt(100));
                    Map<String, String> acc = historic(reg, reg.plusDays(rnd.nextInt(500)), 1 + rnd.nextInt(3));
                    acc.put("CONO", cono);
                    acc.put("DIVI", divi);
                    acc.put("AITP", "1");
                    acc.put("AITM", String.valueOf(1000 + a * 100));
                    acc.put("AICL", String.valueOf(1 + a / 10));
                    acc.put("TX40", "Account " + (1000 + a * 100) + " " + divi + (a % 8 == 0 ? FREE_TEXT_ACCOUNT : ""));
                    acc.put("TX15", "Acct " + (1000 + a * 100));
                    acc.put("VFDT", "20200101");
                    acc.put("VTDT", "0");
                    acc.put("CUCD", LOCAL_CURRENCY.get(divi));
                    accounts.put(acc);
                }
            }
        }
        for (String cono : COMPANIES.keySet().stream().sorted().toList()) {
            for (int a = 0; a < COMPANY_ACCOUNTS; a++) {
                Map<String, String> acc = historic(today.minusDays(800), today.minusDays(700 - a), 1);
                acc.put("CONO", cono);
                acc.put("DIVI", "");
                acc.put("AITP", "1");
                acc.put("AITM", String.valueOf(9000 + a * 10));
                acc.put("AICL", "9");
                acc.put("TX40", "Company account " + (9000 + a * 10) + (a % 4 == 0 ? FREE_TEXT_ACCOUNT : ""));
                acc.put("TX15", "Co acct " + (9000 + a * 10));
                acc.put("VFDT", "20200101");
                acc.put("VTDT", "0");
                acc.put("CUCD", cono.equals("200") ? "USD" : "EUR");
                accounts.put(acc);
            }
        }
        List<String[]> divisions = List.of(new String[]{"100", "AAA"}, new String[]{"100", "BBB"}, new String[]{"200", "CCC"});
        for (int i = 0; i < purchaseOrders; i++) {
            String[] cd = divisions.get(i % divisions.size());
            seedOrder(rnd, today, cd[0], cd[1], suppliersPerCompany, maxLinesPerOrder, buyers);
        }
        for (int i = 0; i < invoices; i++) {
            String[] cd = divisions.get(i % divisions.size());
            seedInvoice(rnd, today, cd[0], cd[1], suppliersPerCompany, i % 2 == 0);
        }
    }

    private Map<String, String> historic(LocalDate registered, LocalDate changed, int chno) {
        LocalDate lm = changed.isAfter(now().toLocalDate()) ? now().toLocalDate() : changed;
        Map<String, String> row = new LinkedHashMap<>();
        row.put("RGDT", YMD.format(registered));
        row.put("RGTM", String.format("%02d%02d%02d", 8 + chno % 9, chno * 7 % 60, chno * 13 % 60));
        row.put("LMDT", YMD.format(lm));
        row.put("CHNO", String.valueOf(chno));
        row.put("CHID", "M3SRVADM");
        // Seeded history: LMTS at the start of the change day, kept unique and below any live stamp().
        row.put("LMTS", String.valueOf(lm.atStartOfDay(clock.getZone()).toInstant().toEpochMilli() + seededRows++ % 60_000));
        return row;
    }

    private void seedOrder(Random rnd, LocalDate today, String cono, String divi, int supplierCount, int maxLines, String[] buyers) {
        LocalDate pudt = today.minusDays(rnd.nextInt(365));
        String puno = nextPuno();
        String suno = String.format("S%05d", 1 + rnd.nextInt(supplierCount));
        Map<String, String> supplier = suppliers.get(Map.of("CONO", cono, "SUNO", suno));
        String cucd = supplier.get("CUCD");
        String[] statuses = {"15", "20", "35", "50", "75", "85"};
        String status = statuses[rnd.nextInt(statuses.length)];
        String buyer = buyers[rnd.nextInt(buyers.length)];
        String faci = divi + "1";
        String whlo = divi.charAt(0) + "01";
        Map<String, String> head = historic(pudt, pudt.plusDays(rnd.nextInt(30)), 1 + rnd.nextInt(4));
        head.put("CONO", cono);
        head.put("PUNO", puno);
        head.put("DIVI", divi);
        head.put("SUNO", suno);
        head.put("CUCD", cucd);
        head.put("PUDT", YMD.format(pudt));
        head.put("DWDT", YMD.format(pudt.plusDays(14)));
        head.put("FACI", faci);
        head.put("WHLO", whlo);
        head.put("ORTY", "PP1");
        head.put("BUYE", buyer);
        head.put("PURC", buyer);
        head.put("TEPY", supplier.get("TEPY"));
        head.put("LOCD", LOCAL_CURRENCY.get(divi));
        head.put("LNCD", "GB");
        head.put("YRE1", "");
        head.put("OURR", "");
        head.put("PUSL", status);
        head.put("PUST", status);
        head.put("SLDT", head.get("LMDT"));
        head.put("SCDT", head.get("LMDT"));
        int lineCount = 1 + rnd.nextInt(Math.max(1, maxLines));
        for (int l = 1; l <= lineCount; l++) {
            Map<String, String> line = historic(pudt, pudt.plusDays(rnd.nextInt(30)), 1 + rnd.nextInt(3));
            BigDecimal qty = BigDecimal.valueOf(1 + rnd.nextInt(500));
            BigDecimal price = BigDecimal.valueOf(100 + rnd.nextInt(1_000_000), 2);
            line.put("CONO", cono);
            line.put("PUNO", puno);
            line.put("PNLI", String.valueOf(l * 10));
            line.put("PNLS", "0");
            line.put("ITNO", "ITEM-" + (1000 + rnd.nextInt(9000)));
            line.put("ITDS", "Item description " + l);
            line.put("PITD", FREE_TEXT_ITEMS.get(Math.floorMod(puno.hashCode() + l, FREE_TEXT_ITEMS.size())));
            line.put("PITT", "Line text " + l);
            line.put("FACI", faci);
            line.put("WHLO", whlo);
            line.put("SUNO", suno);
            line.put("ORQA", qty.toPlainString());
            line.put("RVQA", status.compareTo("50") >= 0 ? qty.toPlainString() : "0");
            line.put("IVQA", status.compareTo("85") >= 0 ? qty.toPlainString() : "0");
            line.put("PUPR", price.toPlainString());
            line.put("PUUN", "EA");
            line.put("LNAM", qty.multiply(price).setScale(2, RoundingMode.HALF_UP).toPlainString());
            line.put("SAAM", line.get("LNAM"));
            line.put("PUSL", status);
            line.put("PUST", status);
            line.put("DWDT", head.get("DWDT"));
            line.put("CODT", status.compareTo("35") >= 0 ? head.get("DWDT") : "0");
            line.put("CFQA", status.compareTo("35") >= 0 ? qty.toPlainString() : "0");
            line.put("CPPR", status.compareTo("35") >= 0 ? price.toPlainString() : "0");
            line.put("RCDT", status.compareTo("50") >= 0 ? head.get("DWDT") : "0");
            line.put("PURC", buyer);
            line.put("BUYE", buyer);
            line.put("LOCD", head.get("LOCD"));
            lines.put(line);
        }
        recalculateHead(heads.put(head));
    }

    /** Sets the header totals (COAM, NTAM, SAAM) from the lines, as M3 does after a line change. */
    void recalculateHead(Map<String, String> head) {
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (Map<String, String> line : lines.withKeyPrefix(Map.of("CONO", head.get("CONO"), "PUNO", head.get("PUNO")))) {
            String amount = line.get("LNAM").trim();
            if (!amount.isEmpty()) {
                total = total.add(new BigDecimal(amount));
            }
        }
        head.put("COAM", total.toPlainString());
        head.put("NTAM", total.toPlainString());
        head.put("SAAM", total.toPlainString());
    }

    private void seedInvoice(Random rnd, LocalDate today, String cono, String divi, int supplierCount, boolean posted) {
        LocalDate ivdt = today.minusDays(rnd.nextInt(200));
        String suno = String.format("S%05d", 1 + rnd.nextInt(supplierCount));
        Map<String, String> supplier = suppliers.get(Map.of("CONO", cono, "SUNO", suno));
        BigDecimal net = BigDecimal.valueOf(1000 + rnd.nextInt(5_000_000), 2);
        BigDecimal vat = net.multiply(new BigDecimal("0.25")).setScale(2, RoundingMode.HALF_UP);
        String inbn = nextInbn();
        Map<String, String> head = historic(ivdt, ivdt.plusDays(rnd.nextInt(10)), 1 + rnd.nextInt(3));
        head.put("CONO", cono);
        head.put("DIVI", divi);
        head.put("INBN", inbn);
        head.put("IBTP", "20");
        head.put("SUPA", posted ? INVOICE_POSTED : INVOICE_ENTERED);
        // the supplier's own invoice number, typed by AP: every 7th holds separators, quotes and other scripts
        head.put("SINO", Long.parseLong(inbn) % 7 == 0 ? "INV|" + inbn + ";\"Ö\"" : "INV-" + suno + "-" + inbn);
        head.put("SPYN", supplier.get("PRSU"));
        head.put("SUNO", suno);
        head.put("IVDT", YMD.format(ivdt));
        head.put("CUCD", supplier.get("CUCD"));
        head.put("CUAM", net.add(vat).toPlainString());
        head.put("VTAM", vat.toPlainString());
        head.put("ACDT", YMD.format(ivdt));
        head.put("DUDT", YMD.format(ivdt.plusDays(30)));
        head.put("TEPY", supplier.get("TEPY"));
        head.put("YEA4", String.valueOf(ivdt.getYear()));
        invoiceHeads.put(head);
        Map<String, String> line = historic(ivdt, ivdt, 1);
        line.put("CONO", cono);
        line.put("DIVI", divi);
        line.put("INBN", inbn);
        line.put("TRNO", "1");
        line.put("RDTP", "8");
        line.put("NLAM", net.toPlainString());
        line.put("VTA1", vat.toPlainString());
        line.put("CUCD", head.get("CUCD"));
        invoiceLines.put(line);
        if (posted) {
            post(head, "M3SRVADM");
        }
    }

    /** Posts a batch to the AP ledger (what APS455MI validation does), unapproved for payment. */
    void post(Map<String, String> head, String user) {
        Map<String, String> entry = created(new LinkedHashMap<>(), user);
        entry.put("CONO", head.get("CONO"));
        entry.put("DIVI", head.get("DIVI"));
        entry.put("SPYN", head.get("SPYN"));
        entry.put("SUNO", head.get("SUNO"));
        entry.put("SINO", head.get("SINO"));
        entry.put("INYR", head.get("IVDT").substring(0, 4));
        entry.put("YEA4", head.get("YEA4"));
        entry.put("JRNO", String.valueOf(ledger.size() + 1));
        entry.put("JSNO", "1");
        entry.put("CUCD", head.get("CUCD"));
        entry.put("CUAM", head.get("CUAM"));
        entry.put("VTAM", head.get("VTAM"));
        entry.put("IVDT", head.get("IVDT"));
        entry.put("DUDT", head.get("DUDT"));
        entry.put("ACDT", head.get("ACDT"));
        entry.put("VONO", String.valueOf(500_000 + ledger.size()));
        entry.put("TRCD", "40");
        entry.put("APRV", "0");
        entry.put("PYST", PAYMENT_OPEN);
        ledger.put(entry);
    }
}
