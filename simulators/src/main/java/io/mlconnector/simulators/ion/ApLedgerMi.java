package io.mlconnector.simulators.ion;

import static io.mlconnector.simulators.ion.MiRows.pick;
import static java.util.Map.entry;

import java.util.List;
import java.util.Map;

/**
 * The AP ledger (FPLEDG) by a supplier invoice's identity (DIVI, SUNO, SINO, INYR): APS200MI GetInvTotInfo and
 * APS110MI ApproveInvoice.
 */
final class ApLedgerMi {
    private static final String TOTALS = "YEA4 JRNO JSNO TRCD SPYN SUNO SINO INYR VONO APRV CUCD CUAM VTAM IVDT DUDT ACDT PYST RGDT LMDT CHNO CHID LMTS";

    private final M3Data data;

    ApLedgerMi(M3Data data) {
        this.data = data;
    }

    Map<String, MiTransaction> transactions() {
        return Map.ofEntries(
                entry("APS200MI/GetInvTotInfo", c -> {
                    Map<String, String> entry = ledgerEntry(c.cono(), c.req("DIVI"), c.req("SUNO"), c.req("SINO"), c.req("INYR"));
                    if (!entry.get("SPYN").equals(c.req("SPYN"))) {
                        throw MiException.nok("XRE0103", "SPYN", "Payee " + c.opt("SPYN") + " does not match");
                    }
                    return List.of(pick(entry, TOTALS));
                }),
                entry("APS110MI/ApproveInvoice", c -> {
                    Map<String, String> entry = ledgerEntry(c.cono(), c.req("DIVI"), c.req("SUNO"), c.req("SINO"), c.req("INYR"));
                    if (M3Data.PAYMENT_PAID.equals(entry.get("PYST"))) {
                        throw MiException.nok("WAP0130", "SINO", "Supplier invoice " + entry.get("SINO") + " is paid and closed");
                    }
                    if ("1".equals(entry.get("APRV"))) {
                        throw MiException.nok("WAP0131", "SINO", "Supplier invoice " + entry.get("SINO") + " is already approved");
                    }
                    entry.put("APRV", "1");
                    data.changed(entry, c.user());
                    return List.of();
                }));
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
}
