package io.mlconnector.simulators.ion;

import static io.mlconnector.simulators.ion.MiRows.pick;
import static io.mlconnector.simulators.ion.MiRows.pickAll;
import static io.mlconnector.simulators.ion.MiRows.update;
import static java.util.Map.entry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User-defined fields (CUGEX1) keyed by FILE and PK01-PK08, CUSEXTMI: AddFieldValue, ChgFieldValue, GetFieldValue,
 * DelFieldValue, LstFieldValue.
 */
final class CusExtMi {
    private static final String CUGEX = "FILE PK01 PK02 PK03 PK04 PK05 PK06 PK07 PK08 A030 A130 A230 A330 A430 A530 A630 A730 A830 A930 N096 N196 N296 N396 N496 N596 N696 N796 N896 N996 LMTS RGDT RGTM LMDT CHNO CHID";
    private static final List<String> VALUES = Arrays.asList("A030 A130 A230 A330 A430 A530 A630 A730 A830 A930 N096 N196 N296 N396 N496 N596 N696 N796 N896 N996".split(" "));

    private final M3Data data;

    CusExtMi(M3Data data) {
        this.data = data;
    }

    Map<String, MiTransaction> transactions() {
        return Map.ofEntries(
                entry("CUSEXTMI/AddFieldValue", c -> {
                    Map<String, String> key = key(c);
                    if (data.extensions.contains(key)) {
                        throw MiException.nok("WCU0103", "PK01", "Record already exists");
                    }
                    Map<String, String> row = new LinkedHashMap<>(key);
                    VALUES.forEach(f -> row.put(f, c.opt(f)));
                    data.extensions.put(data.created(row, c.user()));
                    return List.of();
                }),
                entry("CUSEXTMI/ChgFieldValue", c -> {
                    update(data, row(c), c, String.join(" ", VALUES));
                    return List.of();
                }),
                entry("CUSEXTMI/GetFieldValue", c -> List.of(pick(row(c), CUGEX))),
                entry("CUSEXTMI/DelFieldValue", c -> {
                    data.extensions.remove(row(c));
                    return List.of();
                }),
                entry("CUSEXTMI/LstFieldValue", c -> {
                    Map<String, String> key = key(c);
                    return pickAll(data.extensions.scan(key, r -> r.get("CONO").equals(c.cono())
                            && r.get("FILE").equals(key.get("FILE")) && r.get("PK01").equals(key.get("PK01")), c.cap()), CUGEX);
                }));
    }

    private Map<String, String> key(MiCall c) {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("CONO", c.cono());
        key.put("FILE", c.req("FILE"));
        key.put("PK01", c.req("PK01"));
        for (int i = 2; i <= 8; i++) {
            key.put("PK0" + i, c.opt("PK0" + i));
        }
        return key;
    }

    private Map<String, String> row(MiCall c) {
        Map<String, String> row = data.extensions.get(key(c));
        if (row == null) {
            throw MiException.nok("WCU0201", "PK01", "Record does not exist");
        }
        return row;
    }
}
