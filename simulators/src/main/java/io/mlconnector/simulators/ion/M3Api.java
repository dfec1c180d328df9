package io.mlconnector.simulators.ion;

import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * M3 MI REST ({@code /M3/m3api-rest/v2/execute/PROG/TRANS} and the v1 {@code /M3/m3api-rest/execute/...}).
 *
 * <p>Transactions: PPS200MI GetHead, LstLine, GetLine, UpdHead, UpdLine · PPS001MI GetHeadBasic, ListHeadBasic,
 * GetLine, LstLine, ConfirmLine · APS450MI AddHead, AddLine, GetHead, LstLines, LstInvBySupInv, LstInvBatchNo,
 * UpdHead, ApproveInvoice, RejectInvoice, DltInvoice · APS110MI ApproveInvoice · APS200MI GetInvTotInfo ·
 * CRS620MI LstSuppliers, GetBasicData · CRS630MI LstAccountID, GetAccountID · EXPORTMI Select, SelectPad, LstFields · CUSEXTMI AddFieldValue,
 * ChgFieldValue, GetFieldValue, DelFieldValue, LstFieldValue.
 *
 * <p>Simulator choices where infor.md is silent: list transactions return 100 rows when no maxrecs is given;
 * EXPORTMI returns at most 10,000 rows per call and in the table's key order; alphanumeric key fields are
 * blank-padded unless {@code righttrim=true}.
 */
final class M3Api {

    private static final int DEFAULT_MAXRECS = 100;
    private static final int EXPORT_CAP = 10_000;
    private static final Map<String, Integer> PADDED = Map.of("PUNO", 10, "SUNO", 10, "SINO", 24, "ITNO", 15,
            "SUNM", 36, "TX40", 40, "BUYE", 10, "PURC", 10, "SPYN", 10, "CHID", 10);

    private static final String PPS200_HEAD = "CONO PUNO PUDT DWDT SUNO BUYE CUCD YRE1 COAM DIVI FACI WHLO ORTY LNCD TEPY OURR NTAM SAAM LOCD";
    private static final String PPS200_LINE = "CONO PUNO PNLI PNLS ITNO CODT CFQA PUUN ITDS PITD PITT FACI WHLO PUST PUSL SUNO PUPR CPPR LNAM DWDT ORQA RVQA RCDT IVQA PURC BUYE LOCD SAAM";
    private static final String PPS001_HEAD = "CONO DIVI FACI WHLO PUNO ORTY PUSL SLDT PUST SCDT PUDT SUNO LNCD CUCD TEPY YRE1 DWDT PURC BUYE";
    private static final String PPS001_LINE = "CONO FACI WHLO PUNO PNLI PNLS PUST PUSL SUNO ITNO PUPR CPPR LNAM DWDT CODT ORQA CFQA RVQA RCDT IVQA PURC BUYE";
    private static final String APS450_HEAD = "IBTP SUPA SINO SPYN SUNO IVDT CUCD CUAM VTAM VONO ACDT APCD DUDT PUNO TEPY AAPD CRNO YRE1 REJD SCRE RGDT LMDT YEA4 CORI";
    private static final String APS450_LINE = "TRNO RDTP NLAM CUCD VTA1 PUNO PNLI PNLS IVQA ITNO GRPR RGDT LMDT";
    private static final String SUPPLIER_LIST = "CONO SUNO SUNM LNCD PHNO CSCD SUCL CUCD TEPY PYME BUYE PRSU";
    private static final String SUPPLIER_GET = "CONO SUNO SUTY SUNM STAT LNCD PHNO CSCD VRNO CUCD TEPY PYME BUYE PRSU SUCL";
    private static final String ACCOUNT = "CONO DIVI AITP AITM AICL TX40 TX15 VFDT VTDT CUCD RGDT RGTM LMDT CHNO CHID LMTS";
    private static final String CUGEX = "FILE PK01 PK02 PK03 PK04 PK05 PK06 PK07 PK08 A030 A130 A230 A330 A430 A530 A630 A730 A830 A930 N096 N196 N296 N396 N496 N596 N696 N796 N896 N996 LMTS RGDT RGTM LMDT CHNO CHID";

    /** The session a call runs in: company, division and the service account's user id. */
    private record Ctx(String cono, String divi, String user, Map<String, String> in, int maxrecs) {
        String req(String field) {
            String v = in.get(field);
            if (v == null || v.isBlank()) {
                throw MiException.nok("WFL0101", field, "Field " + field + " must be entered");
            }
            return v.trim();
        }

        String opt(String field) {
            String v = in.get(field);
            return v == null ? "" : v.trim();
        }
    }

    private final M3Data data;

    M3Api(M3Data data) {
        this.data = data;
    }

    SimResponse execute(SimRequest req, String user, boolean v2) {
        String program = req.group(3).toUpperCase(Locale.ROOT);
        String transaction = req.group(4);
        Map<String, String> matrix = matrix(req.group(5));
        Map<String, String> query = req.query();
        Map<String, String> inputs = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (k.length() == 4 && k.equals(k.toUpperCase(Locale.ROOT))) {
                inputs.put(k, v);
            }
        });
        String maxrecsText = first(matrix.get("maxrecs"), query.get("maxrecs"));
        int maxrecs = maxrecsText == null ? DEFAULT_MAXRECS : Integer.parseInt(maxrecsText.trim());
        String returncols = first(matrix.get("returncols"), query.get("returncols"));
        boolean excludeEmpty = "true".equalsIgnoreCase(first(matrix.get("excludempty"), query.get("excludeempty")));
        boolean rightTrim = "true".equalsIgnoreCase(query.get("righttrim"));
        boolean metadata = "true".equalsIgnoreCase(matrix.get("metadata"));
        try {
            String cono = first(blankToNull(inputs.get("CONO")), matrix.get("cono"), "100").trim();
            if (!M3Data.COMPANIES.containsKey(cono)) {
                throw new MiException("ServerReturnedNOK", "XAU0008", "CONO",
                        "You are not authorized to company " + cono, true);
            }
            String divi = first(blankToNull(inputs.get("DIVI")), matrix.get("divi"), M3Data.COMPANIES.get(cono).get(0)).trim();
            List<Map<String, String>> records;
            synchronized (data) {
                records = run(program, transaction, new Ctx(cono, divi, user, inputs, maxrecs));
            }
            List<Map<String, String>> shaped = shape(records, returncols, excludeEmpty, rightTrim);
            return v2 ? SimResponse.json(200, v2Ok(transaction, shaped)) : SimResponse.json(200, v1Ok(program, transaction, shaped, metadata));
        } catch (MiException e) {
            return v2 ? v2Error(transaction, e) : v1Error(e);
        }
    }

    private List<Map<String, String>> run(String program, String trn, Ctx c) {
        switch (program + "/" + trn) {
            case "PPS200MI/GetHead":
                return List.of(pick(head(c), PPS200_HEAD));
            case "PPS200MI/LstLine":
                head(c);
                return pickAll(linesOf(c.cono, c.req("PUNO"), c.maxrecs), PPS200_LINE);
            case "PPS200MI/GetLine":
                return List.of(pick(line(c), PPS200_LINE));
            case "PPS200MI/UpdHead": {
                Map<String, String> head = head(c);
                update(head, c, "PUDT LNCD TEPY YRE1 DWDT OURR PURC BUYE");
                return List.of();
            }
            case "PPS200MI/UpdLine": {
                Map<String, String> line = line(c);
                update(line, c, "PUPR ORQA DWDT PURC");
                line.put("LNAM", new BigDecimal(line.get("ORQA")).multiply(new BigDecimal(line.get("PUPR")))
                        .setScale(2, RoundingMode.HALF_UP).toPlainString());
                line.put("SAAM", line.get("LNAM"));
                touchHeadAfterLineChange(line, c.user);
                return List.of();
            }
            case "PPS001MI/GetHeadBasic":
                return List.of(pick(head(c), PPS001_HEAD));
            case "PPS001MI/ListHeadBasic": {
                String purc = c.req("PURC");
                return pickAll(data.heads.scan(Map.of("CONO", c.cono), r -> r.get("CONO").equals(c.cono) && r.get("PURC").equals(purc), cap(c.maxrecs)), PPS001_HEAD);
            }
            case "PPS001MI/GetLine":
                return List.of(pick(line(c), PPS001_LINE));
            case "PPS001MI/LstLine": {
                String whlo = c.req("WHLO");
                String purc = c.req("PURC");
                return pickAll(data.lines.scan(Map.of("CONO", c.cono), r -> r.get("CONO").equals(c.cono)
                        && r.get("WHLO").equals(whlo) && r.get("PURC").equals(purc), cap(c.maxrecs)), PPS001_LINE);
            }
            case "PPS001MI/ConfirmLine":
                return confirmLine(c);
            case "APS450MI/AddHead":
                return List.of(addInvoiceHead(c));
            case "APS450MI/AddLine":
                return List.of(addInvoiceLine(c));
            case "APS450MI/GetHead":
                return List.of(pick(invoice(c), APS450_HEAD));
            case "APS450MI/LstLines": {
                Map<String, String> head = invoice(c);
                String from = c.opt("TRNO");
                return pickAll(data.invoiceLines.withKeyPrefix(head).stream()
                        .filter(r -> from.isEmpty() || WhereClause.compare(r.get("TRNO"), from) >= 0)
                        .limit(c.maxrecs > 0 ? c.maxrecs : Long.MAX_VALUE).toList(), APS450_LINE);
            }
            case "APS450MI/LstInvBySupInv": {
                String spyn = c.req("SPYN");
                String suno = c.req("SUNO");
                String sino = c.req("SINO");
                return pickAll(data.invoiceHeads.scan(Map.of("CONO", c.cono, "DIVI", c.divi), r -> r.get("CONO").equals(c.cono)
                        && r.get("DIVI").equals(c.divi) && r.get("SPYN").equals(spyn) && r.get("SUNO").equals(suno)
                        && r.get("SINO").equals(sino), cap(c.maxrecs)), "INBN IBTP SUPA");
            }
            case "APS450MI/LstInvBatchNo": {
                String spyn = c.req("SPYN");
                Predicate<Map<String, String>> p = r -> r.get("CONO").equals(c.cono) && r.get("DIVI").equals(c.divi)
                        && r.get("SPYN").equals(spyn) && matchesIfGiven(r, c, "SUNO") && matchesIfGiven(r, c, "IBTP")
                        && matchesIfGiven(r, c, "SUPA");
                return pickAll(data.invoiceHeads.scan(Map.of("CONO", c.cono, "DIVI", c.divi, "INBN", c.opt("INBN")), p, cap(c.maxrecs)),
                        "INBN SUNO SINO IBTP SUPA");
            }
            case "APS450MI/UpdHead": {
                Map<String, String> head = invoice(c);
                update(head, c, "SINO SPYN SUNO IVDT CUCD CUAM VTAM ACDT APCD DUDT PUNO TEPY CORI");
                return List.of();
            }
            case "APS450MI/ApproveInvoice": {
                // The simulator's model of a batch's status (the reference lists no SUPA values): 10 entered,
                // 20 approved, 90 validated into the AP ledger. Only an entered batch can be approved.
                Map<String, String> head = invoice(c);
                switch (head.get("SUPA")) {
                    case M3Data.INVOICE_ENTERED -> { }
                    case M3Data.INVOICE_APPROVED -> throw MiException.nok("WAP0120", "INBN",
                            "Invoice batch " + head.get("INBN") + " is already approved");
                    default -> throw MiException.nok("WAP0121", "INBN", "Invoice batch " + head.get("INBN")
                            + " has status " + head.get("SUPA") + " and can no longer be approved");
                }
                head.put("SUPA", M3Data.INVOICE_APPROVED);
                head.put("APCD", c.user);
                head.put("AAPD", c.opt("AAPD").isEmpty() ? M3Data.YMD.format(data.now()) : c.opt("AAPD"));
                data.changed(head, c.user);
                return List.of();
            }
            case "APS450MI/RejectInvoice": {
                // Only an entered batch can be rejected; the simulator's model of the status it gets is 15.
                Map<String, String> head = invoice(c);
                if (!M3Data.INVOICE_ENTERED.equals(head.get("SUPA"))) {
                    throw MiException.nok("WAP0122", "INBN", "Invoice batch " + head.get("INBN") + " has status "
                            + head.get("SUPA") + " and can no longer be rejected");
                }
                head.put("SUPA", M3Data.INVOICE_REJECTED);
                head.put("REJD", c.opt("REJD").isEmpty() ? M3Data.YMD.format(data.now()) : c.opt("REJD"));
                head.put("SCRE", c.opt("SCRE"));
                data.changed(head, c.user);
                return List.of(Map.of("INBN", head.get("INBN"), "TRNO", "0"));
            }
            case "APS200MI/GetInvTotInfo": {
                Map<String, String> entry = ledgerEntry(c.cono, c.req("DIVI"), c.req("SUNO"), c.req("SINO"), c.req("INYR"));
                if (!entry.get("SPYN").equals(c.req("SPYN"))) {
                    throw MiException.nok("XRE0103", "SPYN", "Payee " + c.opt("SPYN") + " does not match");
                }
                return List.of(pick(entry, "YEA4 JRNO JSNO TRCD SPYN SUNO SINO INYR VONO APRV CUCD CUAM VTAM IVDT DUDT ACDT PYST RGDT LMDT CHNO CHID LMTS"));
            }
            case "APS450MI/DltInvoice": {
                Map<String, String> head = invoice(c);
                data.invoiceLines.withKeyPrefix(head).forEach(data.invoiceLines::remove);
                data.invoiceHeads.remove(head);
                return List.of();
            }
            case "APS110MI/ApproveInvoice": {
                Map<String, String> entry = ledgerEntry(c.cono, c.req("DIVI"), c.req("SUNO"), c.req("SINO"), c.req("INYR"));
                if (M3Data.PAYMENT_PAID.equals(entry.get("PYST"))) {
                    throw MiException.nok("WAP0130", "SINO", "Supplier invoice " + entry.get("SINO") + " is paid and closed");
                }
                if ("1".equals(entry.get("APRV"))) {
                    throw MiException.nok("WAP0131", "SINO", "Supplier invoice " + entry.get("SINO") + " is already approved");
                }
                entry.put("APRV", "1");
                data.changed(entry, c.user);
                return List.of();
            }
            case "CRS620MI/LstSuppliers": {
                String frsu = c.opt("FRSU");
                String tosu = c.opt("TOSU");
                String lmts = c.opt("LMTS");
                return pickAll(data.suppliers.scan(Map.of("CONO", c.cono, "SUNO", frsu), r -> r.get("CONO").equals(c.cono)
                        && (tosu.isEmpty() || r.get("SUNO").compareTo(tosu) <= 0)
                        && (lmts.isEmpty() || Long.parseLong(r.get("LMTS")) > Long.parseLong(lmts)), cap(c.maxrecs)), SUPPLIER_LIST);
            }
            case "CRS620MI/GetBasicData":
                return List.of(pick(supplier(c, c.req("SUNO")), SUPPLIER_GET));
            case "CRS630MI/LstAccountID": {
                String aitp = c.req("AITP");
                return pickAll(data.accounts.scan(Map.of("CONO", c.cono, "DIVI", c.divi, "AITP", aitp, "AITM", c.opt("AITM")),
                        r -> r.get("CONO").equals(c.cono) && r.get("DIVI").equals(c.divi) && r.get("AITP").equals(aitp), cap(c.maxrecs)), ACCOUNT);
            }
            case "CRS630MI/GetAccountID": {
                Map<String, String> acc = data.accounts.get(Map.of("CONO", c.cono, "DIVI", c.divi, "AITP", c.req("AITP"), "AITM", c.req("AITM")));
                if (acc == null) {
                    throw MiException.nok("XAC0101", "AITM", "Accounting identity " + c.opt("AITM") + " does not exist");
                }
                return List.of(pick(acc, ACCOUNT));
            }
            case "EXPORTMI/Select":
                return ExportMi.select(data, c.cono, c.req("QERY"), c.in.get("SEPC"), "1".equals(c.opt("HDRS")), false,
                        c.maxrecs <= 0 ? EXPORT_CAP : Math.min(c.maxrecs, EXPORT_CAP));
            case "EXPORTMI/SelectPad":
                return ExportMi.select(data, c.cono, c.req("QERY"), c.in.get("SEPC"), "1".equals(c.opt("HDRS")), true,
                        c.maxrecs <= 0 ? EXPORT_CAP : Math.min(c.maxrecs, EXPORT_CAP));
            case "EXPORTMI/LstFields":
                return ExportMi.fields(data, c.req("FILE"));
            case "CUSEXTMI/AddFieldValue": {
                Map<String, String> key = cugexKey(c);
                if (data.extensions.contains(key)) {
                    throw MiException.nok("WCU0103", "PK01", "Record already exists");
                }
                Map<String, String> row = new LinkedHashMap<>(key);
                CUGEX_VALUES.forEach(f -> row.put(f, c.opt(f)));
                data.extensions.put(data.created(row, c.user));
                return List.of();
            }
            case "CUSEXTMI/ChgFieldValue": {
                Map<String, String> row = cugex(c);
                update(row, c, String.join(" ", CUGEX_VALUES));
                return List.of();
            }
            case "CUSEXTMI/GetFieldValue":
                return List.of(pick(cugex(c), CUGEX));
            case "CUSEXTMI/DelFieldValue":
                data.extensions.remove(cugex(c));
                return List.of();
            case "CUSEXTMI/LstFieldValue": {
                Map<String, String> key = cugexKey(c);
                return pickAll(data.extensions.scan(key, r -> r.get("CONO").equals(c.cono) && r.get("FILE").equals(key.get("FILE"))
                        && r.get("PK01").equals(key.get("PK01")), cap(c.maxrecs)), CUGEX);
            }
            default:
                throw new MiException("TransactionNotFound", "", "", "Transaction " + trn + " does not exist in program " + program, true);
        }
    }

    private static final List<String> CUGEX_VALUES = Arrays.asList("A030 A130 A230 A330 A430 A530 A630 A730 A830 A930 N096 N196 N296 N396 N496 N596 N696 N796 N896 N996".split(" "));

    private static int cap(int maxrecs) {
        return Math.max(maxrecs, 0);
    }

    private static boolean matchesIfGiven(Map<String, String> row, Ctx c, String field) {
        String v = c.opt(field);
        return v.isEmpty() || v.equals(row.get(field));
    }

    private Map<String, String> head(Ctx c) {
        String puno = c.req("PUNO");
        Map<String, String> head = data.heads.get(Map.of("CONO", c.cono, "PUNO", puno));
        if (head == null) {
            throw MiException.nok("WPU0901", "PUNO", "Purchase order number " + puno + " does not exist");
        }
        return head;
    }

    private Map<String, String> line(Ctx c) {
        head(c);
        String pnli = c.req("PNLI");
        String pnls = c.opt("PNLS").isEmpty() ? "0" : c.opt("PNLS");
        Map<String, String> line = data.lines.get(Map.of("CONO", c.cono, "PUNO", c.req("PUNO"), "PNLI", pnli, "PNLS", pnls));
        if (line == null) {
            throw MiException.nok("WPN0101", "PNLI", "PO line " + pnli + " does not exist");
        }
        return line;
    }

    private List<Map<String, String>> linesOf(String cono, String puno, int maxrecs) {
        List<Map<String, String>> all = data.lines.withKeyPrefix(Map.of("CONO", cono, "PUNO", puno));
        return maxrecs > 0 && all.size() > maxrecs ? all.subList(0, maxrecs) : all;
    }

    private Map<String, String> supplier(Ctx c, String suno) {
        Map<String, String> s = data.suppliers.get(Map.of("CONO", c.cono, "SUNO", suno));
        if (s == null) {
            throw MiException.nok("WSU0201", "SUNO", "Supplier " + suno + " does not exist");
        }
        return s;
    }

    /** The AP ledger's row of a supplier invoice, by its identity in the ledger. */
    private Map<String, String> ledgerEntry(String cono, String divi, String suno, String sino, String inyr) {
        List<Map<String, String>> found = data.ledger.withKeyPrefix(Map.of("CONO", cono, "DIVI", divi)).stream()
                .filter(r -> r.get("SUNO").equals(suno) && r.get("SINO").equals(sino) && r.get("INYR").equals(inyr))
                .toList();
        if (found.isEmpty()) {
            throw MiException.nok("XRE0103", "SINO", "Supplier invoice " + sino + " does not exist");
        }
        return found.get(0);
    }

    private Map<String, String> invoice(Ctx c) {
        String inbn = c.req("INBN");
        Map<String, String> head = data.invoiceHeads.get(Map.of("CONO", c.cono, "DIVI", c.divi, "INBN", inbn));
        if (head == null) {
            throw MiException.nok("WIB0101", "INBN", "Invoice batch number " + inbn + " does not exist");
        }
        return head;
    }

    private Map<String, String> cugexKey(Ctx c) {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("CONO", c.cono);
        key.put("FILE", c.req("FILE"));
        key.put("PK01", c.req("PK01"));
        for (int i = 2; i <= 8; i++) {
            key.put("PK0" + i, c.opt("PK0" + i));
        }
        return key;
    }

    private Map<String, String> cugex(Ctx c) {
        Map<String, String> row = data.extensions.get(cugexKey(c));
        if (row == null) {
            throw MiException.nok("WCU0201", "PK01", "Record does not exist");
        }
        return row;
    }

    /** Applies the non-blank inputs among {@code fields}, then stamps the change. Dates are checked. */
    private void update(Map<String, String> row, Ctx c, String fields) {
        for (String f : fields.split(" ")) {
            String v = c.opt(f);
            if (!v.isEmpty()) {
                if (f.endsWith("DT")) {
                    date(f, v);
                }
                if (Set.of("PUPR", "ORQA", "CUAM", "VTAM").contains(f)) {
                    decimal(f, v);
                }
                row.put(f, v);
            }
        }
        data.changed(row, c.user);
    }

    private List<Map<String, String>> confirmLine(Ctx c) {
        Map<String, String> line = line(c);
        String pnls = c.req("PNLS");
        if (!pnls.equals(line.get("PNLS"))) {
            throw MiException.nok("WPN0101", "PNLS", "PO line subnumber " + pnls + " does not exist");
        }
        if (line.get("PUST").compareTo("35") > 0) {
            throw MiException.nok("WPU0503", "PUNO", "Status " + line.get("PUST") + " does not allow confirmation");
        }
        String codt = c.opt("CODT").isEmpty() ? line.get("DWDT") : c.opt("CODT");
        date("CODT", codt);
        line.put("CODT", codt);
        line.put("CFQA", c.opt("CFQA").isEmpty() ? line.get("ORQA") : decimal("CFQA", c.opt("CFQA")).toPlainString());
        line.put("CPPR", c.opt("CPPR").isEmpty() ? line.get("PUPR") : decimal("CPPR", c.opt("CPPR")).toPlainString());
        line.put("PUSL", "35");
        line.put("PUST", "35");
        data.changed(line, c.user);
        touchHeadAfterLineChange(line, c.user);
        return List.of();
    }

    /** A line change moves the header's totals and lowest/highest status, so the header changes too. */
    private void touchHeadAfterLineChange(Map<String, String> line, String user) {
        Map<String, String> head = data.heads.get(line);
        List<Map<String, String>> all = linesOf(line.get("CONO"), line.get("PUNO"), 0);
        String low = all.stream().map(l -> l.get("PUSL")).min(String::compareTo).orElse(head.get("PUSL"));
        String high = all.stream().map(l -> l.get("PUST")).max(String::compareTo).orElse(head.get("PUST"));
        String today = M3Data.YMD.format(data.now());
        if (!low.equals(head.get("PUSL"))) {
            head.put("PUSL", low);
            head.put("SLDT", today);
        }
        if (!high.equals(head.get("PUST"))) {
            head.put("PUST", high);
            head.put("SCDT", today);
        }
        data.recalculateHead(head);
        data.changed(head, user);
    }

    private Map<String, String> addInvoiceHead(Ctx c) {
        String suno = c.req("SUNO");
        String ivdt = c.req("IVDT");
        LocalDate invoiceDate = date("IVDT", ivdt);
        Map<String, String> supplier = supplier(c, suno);
        Map<String, String> head = new LinkedHashMap<>();
        String inbn = data.nextInbn();
        head.put("CONO", c.cono);
        head.put("DIVI", c.divi);
        head.put("INBN", inbn);
        head.put("IBTP", c.opt("IBTP").isEmpty() ? "20" : c.opt("IBTP"));
        head.put("SUPA", "10");
        head.put("SUNO", suno);
        head.put("SPYN", c.opt("SPYN").isEmpty() ? supplier.get("PRSU") : c.opt("SPYN"));
        head.put("SINO", c.opt("SINO"));
        head.put("IVDT", ivdt);
        head.put("CUCD", c.opt("CUCD").isEmpty() ? supplier.get("CUCD") : c.opt("CUCD"));
        head.put("CUAM", c.opt("CUAM").isEmpty() ? "0" : decimal("CUAM", c.opt("CUAM")).toPlainString());
        head.put("VTAM", c.opt("VTAM").isEmpty() ? "0" : decimal("VTAM", c.opt("VTAM")).toPlainString());
        head.put("ACDT", c.opt("ACDT").isEmpty() ? ivdt : c.opt("ACDT"));
        head.put("DUDT", c.opt("DUDT").isEmpty() ? M3Data.YMD.format(invoiceDate.plusDays(30)) : c.opt("DUDT"));
        head.put("PUNO", c.opt("PUNO"));
        head.put("TEPY", c.opt("TEPY").isEmpty() ? supplier.get("TEPY") : c.opt("TEPY"));
        head.put("CORI", c.opt("CORI"));
        head.put("APCD", c.opt("APCD"));
        head.put("YEA4", String.valueOf(invoiceDate.getYear()));
        data.invoiceHeads.put(data.created(head, c.user));
        return Map.of("INBN", inbn);
    }

    private Map<String, String> addInvoiceLine(Ctx c) {
        Map<String, String> head = invoice(c);
        String rdtp = c.req("RDTP");
        if (!Set.of("1", "2", "5", "8").contains(rdtp)) {
            throw MiException.nok("WRD0101", "RDTP", "Line type " + rdtp + " is invalid");
        }
        List<Map<String, String>> existing = data.invoiceLines.withKeyPrefix(head);
        String trno = String.valueOf(existing.size() + 1);
        Map<String, String> line = new LinkedHashMap<>();
        line.put("CONO", c.cono);
        line.put("DIVI", c.divi);
        line.put("INBN", head.get("INBN"));
        line.put("TRNO", trno);
        line.put("RDTP", rdtp);
        line.put("NLAM", c.opt("NLAM").isEmpty() ? "0" : decimal("NLAM", c.opt("NLAM")).toPlainString());
        line.put("VTA1", c.opt("VTA1"));
        line.put("CUCD", head.get("CUCD"));
        line.put("PUNO", c.opt("PUNO"));
        line.put("PNLI", c.opt("PNLI"));
        line.put("PNLS", c.opt("PNLS"));
        line.put("IVQA", c.opt("IVQA"));
        line.put("ITNO", c.opt("ITNO"));
        data.invoiceLines.put(data.created(line, c.user));
        data.changed(head, c.user);
        return Map.of("TRNO", trno);
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value, M3Data.YMD);
        } catch (DateTimeParseException e) {
            throw MiException.nok("WDT0101", field, "Date " + value + " is invalid");
        }
    }

    private static BigDecimal decimal(String field, String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw MiException.nok("WNU0101", field, "Value " + value + " is not numeric");
        }
    }

    private static Map<String, String> pick(Map<String, String> row, String fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : fields.split(" ")) {
            out.put(f, row.getOrDefault(f, ""));
        }
        return out;
    }

    private static List<Map<String, String>> pickAll(List<Map<String, String>> rows, String fields) {
        List<Map<String, String>> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(pick(r, fields)));
        return out;
    }

    private static List<Map<String, String>> shape(List<Map<String, String>> records, String returncols, boolean excludeEmpty,
                                                   boolean rightTrim) {
        List<String> cols = returncols == null || returncols.isBlank() ? null : Arrays.asList(returncols.toUpperCase(Locale.ROOT).split(","));
        List<Map<String, String>> out = new ArrayList<>(records.size());
        for (Map<String, String> r : records) {
            Map<String, String> o = new LinkedHashMap<>();
            r.forEach((k, v) -> {
                if ((cols == null || cols.contains(k)) && !(excludeEmpty && v.isBlank())) {
                    Integer pad = PADDED.get(k);
                    o.put(k, pad != null && !rightTrim && v.length() < pad ? v + " ".repeat(pad - v.length()) : v);
                }
            });
            out.add(o);
        }
        return out;
    }

    private static Map<String, Object> v2Ok(String transaction, List<Map<String, String>> records) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("transaction", transaction);
        result.put("records", records);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", List.of(result));
        body.put("wasTerminated", false);
        body.put("nrOfSuccessfullTransactions", 1);
        body.put("nrOfFailedTransactions", 0);
        return body;
    }

    private static SimResponse v2Error(String transaction, MiException e) {
        if (e.requestLevel) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errorMessage", e.getMessage());
            body.put("errorCode", e.code);
            body.put("errorField", e.field);
            body.put("errorType", e.type);
            body.put("errorCfg", null);
            return SimResponse.json(400, body);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("transaction", transaction);
        result.put("errorMessage", e.getMessage());
        result.put("errorType", e.type);
        result.put("errorCode", e.code);
        result.put("errorField", e.field);
        result.put("errorCfg", null);
        result.put("records", List.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", List.of(result));
        body.put("wasTerminated", false);
        body.put("nrOfSuccessfullTransactions", 0);
        body.put("nrOfFailedTransactions", 1);
        return SimResponse.json(200, body);
    }

    private static Map<String, Object> v1Ok(String program, String transaction, List<Map<String, String>> records, boolean metadata) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Program", program);
        body.put("Transaction", transaction);
        if (metadata && !records.isEmpty()) {
            List<Map<String, Object>> fields = new ArrayList<>();
            records.get(0).keySet().forEach(f -> fields.add(Map.of("@name", f, "@type", f.endsWith("DT") ? "D" : "A",
                    "@length", PADDED.getOrDefault(f, 17), "@description", f)));
            body.put("Metadata", Map.of("Field", fields));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            List<Map<String, String>> nv = new ArrayList<>();
            records.get(i).forEach((k, v) -> nv.add(Map.of("Name", k, "Value", v)));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("RowIndex", i);
            row.put("NameValue", nv);
            rows.add(row);
        }
        body.put("MIRecord", rows);
        return body;
    }

    private static SimResponse v1Error(MiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@type", e.type);
        body.put("@code", e.code);
        body.put("@field", e.field);
        body.put("@cfg", null);
        // v1 messages are blank-padded and start with the field name, as M3's message line does.
        String text = (e.field.isEmpty() ? "" : e.field + "       ") + e.getMessage();
        body.put("Message", text + " ".repeat(Math.max(0, 120 - text.length())));
        return SimResponse.json(e.requestLevel ? 400 : 200, body);
    }

    private static Map<String, String> matrix(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(SimRequest.decode(part.substring(0, eq), false).toLowerCase(Locale.ROOT), SimRequest.decode(part.substring(eq + 1), false));
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
