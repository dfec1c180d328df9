package io.mlconnector.simulators.ion;

import static io.mlconnector.simulators.ion.MiRows.date;
import static io.mlconnector.simulators.ion.MiRows.decimal;
import static io.mlconnector.simulators.ion.MiRows.pick;
import static io.mlconnector.simulators.ion.MiRows.pickAll;
import static io.mlconnector.simulators.ion.MiRows.update;
import static java.util.Map.entry;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Supplier-invoice batches (FAPIBH/FAPIBL), APS450MI: AddHead, AddLine, GetHead, LstLines, LstInvBySupInv,
 * LstInvBatchNo, UpdHead, ApproveInvoice, RejectInvoice, DltInvoice.
 */
final class InvoiceBatchMi {
    private static final String HEAD = "IBTP SUPA SINO SPYN SUNO IVDT CUCD CUAM VTAM VONO ACDT APCD DUDT PUNO TEPY AAPD CRNO YRE1 REJD SCRE RGDT LMDT YEA4 CORI";
    private static final String LINE = "TRNO RDTP NLAM CUCD VTA1 PUNO PNLI PNLS IVQA ITNO GRPR RGDT LMDT";

    private final M3Data data;

    InvoiceBatchMi(M3Data data) {
        this.data = data;
    }

    Map<String, MiTransaction> transactions() {
        return Map.ofEntries(
                entry("APS450MI/AddHead", c -> List.of(addHead(c))),
                entry("APS450MI/AddLine", c -> List.of(addLine(c))),
                entry("APS450MI/GetHead", c -> List.of(pick(invoice(c), HEAD))),
                entry("APS450MI/LstLines", c -> {
                    Map<String, String> head = invoice(c);
                    String from = c.opt("TRNO");
                    return pickAll(data.invoiceLines.withKeyPrefix(head).stream()
                            .filter(r -> from.isEmpty() || WhereClause.compare(r.get("TRNO"), from) >= 0)
                            .limit(c.maxrecs() > 0 ? c.maxrecs() : Long.MAX_VALUE).toList(), LINE);
                }),
                entry("APS450MI/LstInvBySupInv", c -> {
                    String spyn = c.req("SPYN");
                    String suno = c.req("SUNO");
                    String sino = c.req("SINO");
                    return pickAll(data.invoiceHeads.scan(Map.of("CONO", c.cono(), "DIVI", c.divi()),
                            r -> r.get("CONO").equals(c.cono()) && r.get("DIVI").equals(c.divi())
                                    && r.get("SPYN").equals(spyn) && r.get("SUNO").equals(suno)
                                    && r.get("SINO").equals(sino), c.cap()), "INBN IBTP SUPA");
                }),
                entry("APS450MI/LstInvBatchNo", c -> {
                    String spyn = c.req("SPYN");
                    Predicate<Map<String, String>> p = r -> r.get("CONO").equals(c.cono()) && r.get("DIVI").equals(c.divi())
                            && r.get("SPYN").equals(spyn) && c.matchesIfGiven(r, "SUNO") && c.matchesIfGiven(r, "IBTP")
                            && c.matchesIfGiven(r, "SUPA");
                    return pickAll(data.invoiceHeads.scan(Map.of("CONO", c.cono(), "DIVI", c.divi(), "INBN", c.opt("INBN")),
                            p, c.cap()), "INBN SUNO SINO IBTP SUPA");
                }),
                entry("APS450MI/UpdHead", c -> {
                    update(data, invoice(c), c, "SINO SPYN SUNO IVDT CUCD CUAM VTAM ACDT APCD DUDT PUNO TEPY CORI");
                    return List.of();
                }),
                entry("APS450MI/ApproveInvoice", this::approve),
                entry("APS450MI/RejectInvoice", this::reject),
                entry("APS450MI/DltInvoice", c -> {
                    Map<String, String> head = invoice(c);
                    data.invoiceLines.withKeyPrefix(head).forEach(data.invoiceLines::remove);
                    data.invoiceHeads.remove(head);
                    return List.of();
                }));
    }

    /**
     * The simulator's model of a batch's status (the reference lists no SUPA values): 10 entered, 20 approved,
     * 90 validated into the AP ledger. Only an entered batch can be approved.
     */
    private List<Map<String, String>> approve(MiCall c) {
        Map<String, String> head = invoice(c);
        switch (head.get("SUPA")) {
            case M3Data.INVOICE_ENTERED -> { }
            case M3Data.INVOICE_APPROVED -> throw MiException.nok("WAP0120", "INBN",
                    "Invoice batch " + head.get("INBN") + " is already approved");
            default -> throw MiException.nok("WAP0121", "INBN", "Invoice batch " + head.get("INBN")
                    + " has status " + head.get("SUPA") + " and can no longer be approved");
        }
        head.put("SUPA", M3Data.INVOICE_APPROVED);
        head.put("APCD", c.user());
        head.put("AAPD", c.opt("AAPD").isEmpty() ? M3Data.YMD.format(data.now()) : c.opt("AAPD"));
        data.changed(head, c.user());
        return List.of();
    }

    /** Only an entered batch can be rejected; the simulator's model of the status it gets is 15. */
    private List<Map<String, String>> reject(MiCall c) {
        Map<String, String> head = invoice(c);
        if (!M3Data.INVOICE_ENTERED.equals(head.get("SUPA"))) {
            throw MiException.nok("WAP0122", "INBN", "Invoice batch " + head.get("INBN") + " has status "
                    + head.get("SUPA") + " and can no longer be rejected");
        }
        head.put("SUPA", M3Data.INVOICE_REJECTED);
        head.put("REJD", c.opt("REJD").isEmpty() ? M3Data.YMD.format(data.now()) : c.opt("REJD"));
        head.put("SCRE", c.opt("SCRE"));
        data.changed(head, c.user());
        return List.of(Map.of("INBN", head.get("INBN"), "TRNO", "0"));
    }

    private Map<String, String> addHead(MiCall c) {
        String suno = c.req("SUNO");
        String ivdt = c.req("IVDT");
        LocalDate invoiceDate = date("IVDT", ivdt);
        Map<String, String> supplier = MasterDataMi.supplier(data, c.cono(), suno);
        Map<String, String> head = new LinkedHashMap<>();
        String inbn = data.nextInbn();
        head.put("CONO", c.cono());
        head.put("DIVI", c.divi());
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
        data.invoiceHeads.put(data.created(head, c.user()));
        return Map.of("INBN", inbn);
    }

    private Map<String, String> addLine(MiCall c) {
        Map<String, String> head = invoice(c);
        String rdtp = c.req("RDTP");
        if (!Set.of("1", "2", "5", "8").contains(rdtp)) {
            throw MiException.nok("WRD0101", "RDTP", "Line type " + rdtp + " is invalid");
        }
        List<Map<String, String>> existing = data.invoiceLines.withKeyPrefix(head);
        String trno = String.valueOf(existing.size() + 1);
        Map<String, String> line = new LinkedHashMap<>();
        line.put("CONO", c.cono());
        line.put("DIVI", c.divi());
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
        data.invoiceLines.put(data.created(line, c.user()));
        data.changed(head, c.user());
        return Map.of("TRNO", trno);
    }

    private Map<String, String> invoice(MiCall c) {
        String inbn = c.req("INBN");
        Map<String, String> head = data.invoiceHeads.get(Map.of("CONO", c.cono(), "DIVI", c.divi(), "INBN", inbn));
        if (head == null) {
            throw MiException.nok("WIB0101", "INBN", "Invoice batch number " + inbn + " does not exist");
        }
        return head;
    }
}
