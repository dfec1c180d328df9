package io.mlconnector.simulators.ion;

import io.mlconnector.simulators.common.SimResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How M3 MI REST answers: records cut to returncols and excludempty, alphanumeric key fields blank-padded unless
 * {@code righttrim=true} (the simulator's choice where infor.md is silent); the v2 {@code results} envelope and
 * the v1 {@code MIRecord} one, for records and for errors.
 */
final class MiAnswers {
    private static final Map<String, Integer> PADDED = Map.of("PUNO", 10, "SUNO", 10, "SINO", 24, "ITNO", 15,
            "SUNM", 36, "TX40", 40, "BUYE", 10, "PURC", 10, "SPYN", 10, "CHID", 10);

    private MiAnswers() {
    }

    /** The records cut to returncols (all when blank) and excludempty, padded unless rightTrim. */
    static List<Map<String, String>> shape(List<Map<String, String>> records, String returncols, boolean excludeEmpty,
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

    static Map<String, Object> v2Ok(String transaction, List<Map<String, String>> records) {
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

    static SimResponse v2Error(String transaction, MiException e) {
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

    static Map<String, Object> v1Ok(String program, String transaction, List<Map<String, String>> records, boolean metadata) {
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

    static SimResponse v1Error(MiException e) {
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
}
