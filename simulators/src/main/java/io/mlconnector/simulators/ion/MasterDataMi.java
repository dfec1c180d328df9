package io.mlconnector.simulators.ion;

import static io.mlconnector.simulators.ion.MiRows.pick;
import static io.mlconnector.simulators.ion.MiRows.pickAll;
import static java.util.Map.entry;

import java.util.List;
import java.util.Map;

/** Suppliers (CIDMAS), CRS620MI LstSuppliers and GetBasicData; GL accounting identities (FCHACC), CRS630MI. */
final class MasterDataMi {
    private static final String SUPPLIER_LIST = "CONO SUNO SUNM LNCD PHNO CSCD SUCL CUCD TEPY PYME BUYE PRSU";
    private static final String SUPPLIER_GET = "CONO SUNO SUTY SUNM STAT LNCD PHNO CSCD VRNO CUCD TEPY PYME BUYE PRSU SUCL";
    private static final String ACCOUNT = "CONO DIVI AITP AITM AICL TX40 TX15 VFDT VTDT CUCD RGDT RGTM LMDT CHNO CHID LMTS";

    private final M3Data data;

    MasterDataMi(M3Data data) {
        this.data = data;
    }

    Map<String, MiTransaction> transactions() {
        return Map.ofEntries(
                entry("CRS620MI/LstSuppliers", c -> {
                    String frsu = c.opt("FRSU");
                    String tosu = c.opt("TOSU");
                    String lmts = c.opt("LMTS");
                    return pickAll(data.suppliers.scan(Map.of("CONO", c.cono(), "SUNO", frsu), r -> r.get("CONO").equals(c.cono())
                            && (tosu.isEmpty() || r.get("SUNO").compareTo(tosu) <= 0)
                            && (lmts.isEmpty() || Long.parseLong(r.get("LMTS")) > Long.parseLong(lmts)), c.cap()), SUPPLIER_LIST);
                }),
                entry("CRS620MI/GetBasicData", c -> List.of(pick(supplier(data, c.cono(), c.req("SUNO")), SUPPLIER_GET))),
                entry("CRS630MI/LstAccountID", c -> {
                    String aitp = c.req("AITP");
                    return pickAll(data.accounts.scan(Map.of("CONO", c.cono(), "DIVI", c.divi(), "AITP", aitp, "AITM", c.opt("AITM")),
                            r -> r.get("CONO").equals(c.cono()) && r.get("DIVI").equals(c.divi()) && r.get("AITP").equals(aitp),
                            c.cap()), ACCOUNT);
                }),
                entry("CRS630MI/GetAccountID", c -> {
                    Map<String, String> acc = data.accounts.get(Map.of("CONO", c.cono(), "DIVI", c.divi(), "AITP", c.req("AITP"),
                            "AITM", c.req("AITM")));
                    if (acc == null) {
                        throw MiException.nok("XAC0101", "AITM", "Accounting identity " + c.opt("AITM") + " does not exist");
                    }
                    return List.of(pick(acc, ACCOUNT));
                }));
    }

    /** The company's supplier; WSU0201 when there is none. */
    static Map<String, String> supplier(M3Data data, String cono, String suno) {
        Map<String, String> s = data.suppliers.get(Map.of("CONO", cono, "SUNO", suno));
        if (s == null) {
            throw MiException.nok("WSU0201", "SUNO", "Supplier " + suno + " does not exist");
        }
        return s;
    }
}
