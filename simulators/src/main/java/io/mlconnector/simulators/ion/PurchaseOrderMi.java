package io.mlconnector.simulators.ion;

import static io.mlconnector.simulators.ion.MiRows.date;
import static io.mlconnector.simulators.ion.MiRows.decimal;
import static io.mlconnector.simulators.ion.MiRows.pick;
import static io.mlconnector.simulators.ion.MiRows.pickAll;
import static io.mlconnector.simulators.ion.MiRows.update;
import static java.util.Map.entry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Purchase orders (MPHEAD/MPLINE): PPS200MI GetHead, LstLine, GetLine, UpdHead, UpdLine and PPS001MI GetHeadBasic,
 * ListHeadBasic, GetLine, LstLine, ConfirmLine. A line change moves its header's totals and statuses too.
 */
final class PurchaseOrderMi {
    private static final String PPS200_HEAD = "CONO PUNO PUDT DWDT SUNO BUYE CUCD YRE1 COAM DIVI FACI WHLO ORTY LNCD TEPY OURR NTAM SAAM LOCD";
    private static final String PPS200_LINE = "CONO PUNO PNLI PNLS ITNO CODT CFQA PUUN ITDS PITD PITT FACI WHLO PUST PUSL SUNO PUPR CPPR LNAM DWDT ORQA RVQA RCDT IVQA PURC BUYE LOCD SAAM";
    private static final String PPS001_HEAD = "CONO DIVI FACI WHLO PUNO ORTY PUSL SLDT PUST SCDT PUDT SUNO LNCD CUCD TEPY YRE1 DWDT PURC BUYE";
    private static final String PPS001_LINE = "CONO FACI WHLO PUNO PNLI PNLS PUST PUSL SUNO ITNO PUPR CPPR LNAM DWDT CODT ORQA CFQA RVQA RCDT IVQA PURC BUYE";

    private final M3Data data;

    PurchaseOrderMi(M3Data data) {
        this.data = data;
    }

    Map<String, MiTransaction> transactions() {
        return Map.ofEntries(
                entry("PPS200MI/GetHead", c -> List.of(pick(head(c), PPS200_HEAD))),
                entry("PPS200MI/LstLine", c -> {
                    head(c);
                    return pickAll(linesOf(c.cono(), c.req("PUNO"), c.maxrecs()), PPS200_LINE);
                }),
                entry("PPS200MI/GetLine", c -> List.of(pick(line(c), PPS200_LINE))),
                entry("PPS200MI/UpdHead", c -> {
                    update(data, head(c), c, "PUDT LNCD TEPY YRE1 DWDT OURR PURC BUYE");
                    return List.of();
                }),
                entry("PPS200MI/UpdLine", this::updateLine),
                entry("PPS001MI/GetHeadBasic", c -> List.of(pick(head(c), PPS001_HEAD))),
                entry("PPS001MI/ListHeadBasic", c -> {
                    String purc = c.req("PURC");
                    return pickAll(data.heads.scan(Map.of("CONO", c.cono()), r -> r.get("CONO").equals(c.cono())
                            && r.get("PURC").equals(purc), c.cap()), PPS001_HEAD);
                }),
                entry("PPS001MI/GetLine", c -> List.of(pick(line(c), PPS001_LINE))),
                entry("PPS001MI/LstLine", c -> {
                    String whlo = c.req("WHLO");
                    String purc = c.req("PURC");
                    return pickAll(data.lines.scan(Map.of("CONO", c.cono()), r -> r.get("CONO").equals(c.cono())
                            && r.get("WHLO").equals(whlo) && r.get("PURC").equals(purc), c.cap()), PPS001_LINE);
                }),
                entry("PPS001MI/ConfirmLine", this::confirmLine));
    }

    private List<Map<String, String>> updateLine(MiCall c) {
        Map<String, String> line = line(c);
        update(data, line, c, "PUPR ORQA DWDT PURC");
        line.put("LNAM", new BigDecimal(line.get("ORQA")).multiply(new BigDecimal(line.get("PUPR")))
                .setScale(2, RoundingMode.HALF_UP).toPlainString());
        line.put("SAAM", line.get("LNAM"));
        touchHeadAfterLineChange(line, c.user());
        return List.of();
    }

    private List<Map<String, String>> confirmLine(MiCall c) {
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
        data.changed(line, c.user());
        touchHeadAfterLineChange(line, c.user());
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

    private Map<String, String> head(MiCall c) {
        String puno = c.req("PUNO");
        Map<String, String> head = data.heads.get(Map.of("CONO", c.cono(), "PUNO", puno));
        if (head == null) {
            throw MiException.nok("WPU0901", "PUNO", "Purchase order number " + puno + " does not exist");
        }
        return head;
    }

    private Map<String, String> line(MiCall c) {
        head(c);
        String pnli = c.req("PNLI");
        String pnls = c.opt("PNLS").isEmpty() ? "0" : c.opt("PNLS");
        Map<String, String> line = data.lines.get(Map.of("CONO", c.cono(), "PUNO", c.req("PUNO"), "PNLI", pnli, "PNLS", pnls));
        if (line == null) {
            throw MiException.nok("WPN0101", "PNLI", "PO line " + pnli + " does not exist");
        }
        return line;
    }

    private List<Map<String, String>> linesOf(String cono, String puno, int maxrecs) {
        List<Map<String, String>> all = data.lines.withKeyPrefix(Map.of("CONO", cono, "PUNO", puno));
        return maxrecs > 0 && all.size() > maxrecs ? all.subList(0, maxrecs) : all;
    }
}
