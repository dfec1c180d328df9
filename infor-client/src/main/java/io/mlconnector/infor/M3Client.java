package io.mlconnector.infor;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * M3 MI REST through ION. v2 ({@code /M3/m3api-rest/v2/execute}) by default, v1 on request. Both error styles
 * (HTTP 200 with an error inside the result, HTTP 400 with the error at the top level, v1's {@code @code} object
 * and partial {@code ErrorMessage}) become {@link M3TransactionException}.
 */
public final class M3Client {

    /** The MI REST API generation. */
    public enum ApiVersion { V1, V2 }

    private final String apiBase;
    private final IonCall call;
    private final ApiVersion version;
    private final ZoneId zone;

    M3Client(String apiBase, IonCall call, ApiVersion version, ZoneId zone) {
        this.apiBase = apiBase;
        this.call = call;
        this.version = version;
        this.zone = zone;
    }

    /** The tenant zone M3 dates are read in. */
    public ZoneId zone() {
        return zone;
    }

    public MiResponse execute(MiRequest request) {
        String operation = "M3 " + request.program() + "/" + request.transaction();
        IonCall.Answer answer = call.execute(operation, new Request.Builder().url(url(request)).get()
                .header("Accept", "application/json").build(), request.idempotent());
        JsonNode body = answer.body();
        if (answer.status() == 400 && (body.has("errorMessage") || body.has("errorCode") || body.has("@code"))) {
            throw error(request, body, List.of());
        }
        if (answer.status() < 200 || answer.status() >= 300) {
            throw new IonHttpException(operation, answer.status(), body.path("errorMessage").asText(null), null);
        }
        return version == ApiVersion.V2 ? parseV2(request, body) : parseV1(request, body);
    }

    /**
     * EXPORTMI {@code Select} with {@code SEPC=|} and {@code HDRS=1}: rows keyed by the column names the query
     * lists (e.g. {@code IAPUNO}). A row whose value count does not match the header fails the call rather than
     * being dropped.
     */
    public List<Map<String, String>> exportSelect(String query, int maxRecords) {
        MiResponse response = execute(MiRequest.builder("EXPORTMI", "Select").set("QERY", query).set("SEPC", "|")
                .set("HDRS", "1").maxRecords(maxRecords).build());
        List<Map<String, String>> rows = new ArrayList<>();
        if (response.records().isEmpty()) {
            return rows;
        }
        String[] header = response.records().get(0).get("REPL").split("\\|", -1);
        for (MiRecord record : response.records().subList(1, response.records().size())) {
            String[] values = record.get("REPL").split("\\|", -1);
            if (values.length != header.length) {
                throw new IonException("EXPORTMI/Select row has " + values.length + " values for " + header.length
                        + " columns (a value contains the separator '|')");
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i].trim(), values[i].trim());
            }
            rows.add(row);
        }
        return rows;
    }

    HttpUrl url(MiRequest request) {
        StringBuilder segment = new StringBuilder(encode(request.transaction()));
        if (request.maxRecords() != null) {
            segment.append(";maxrecs=").append(request.maxRecords());
        }
        if (!request.returnColumns().isEmpty()) {
            segment.append(";returncols=").append(encode(String.join(",", request.returnColumns())).replace("%2C", ","));
        }
        if (request.company() != null) {
            segment.append(";cono=").append(encode(request.company()));
        }
        if (request.division() != null) {
            segment.append(";divi=").append(encode(request.division()));
        }
        HttpUrl.Builder url = HttpUrl.get(apiBase).newBuilder()
                .addPathSegment("M3").addPathSegment("m3api-rest");
        if (version == ApiVersion.V2) {
            url.addPathSegment("v2");
        }
        url.addPathSegment("execute").addPathSegment(request.program()).addEncodedPathSegment(segment.toString());
        request.fields().forEach(url::addQueryParameter);
        // Keep blank fields: "nothing silently dropped" needs every output field, empty or not.
        url.addQueryParameter("dateformat", "YMD8").addQueryParameter("excludeempty", "false");
        return url.build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private MiResponse parseV2(MiRequest request, JsonNode body) {
        JsonNode results = body.get("results");
        if (results == null || !results.isArray()) {
            if (body.has("errorMessage") || body.has("errorCode")) {
                throw error(request, body, List.of());
            }
            throw new IonHttpException("M3 " + request.program() + "/" + request.transaction(), 200, "response has no results", null);
        }
        List<MiRecord> records = new ArrayList<>();
        for (JsonNode result : results) {
            collect(result.path("records"), records);
            if (hasError(result)) {
                throw error(request, result, records);
            }
        }
        // "wasTerminated" has been seen as the string "false", hence asText.
        boolean terminated = body.path("wasTerminated").asText("false").equalsIgnoreCase("true");
        if (terminated || body.path("nrOfFailedTransactions").asInt(0) > 0) {
            throw new M3TransactionException(request.program(), request.transaction(), "", "",
                    body.path("terminationErrorType").asText(""),
                    body.path("terminationReason").asText("the transaction failed or was terminated"), records);
        }
        return new MiResponse(request.program(), request.transaction(), records);
    }

    private MiResponse parseV1(MiRequest request, JsonNode body) {
        if (body.has("@code") || body.has("@type") && !body.has("MIRecord")) {
            throw error(request, body, List.of());
        }
        List<MiRecord> records = new ArrayList<>();
        for (JsonNode row : body.path("MIRecord")) {
            LinkedHashMap<String, String> fields = new LinkedHashMap<>();
            for (JsonNode nv : row.path("NameValue")) {
                fields.put(nv.path("Name").asText(), nv.path("Value").asText(""));
            }
            if (!fields.isEmpty()) {
                records.add(new MiRecord(fields, zone));
            }
            if (row.has("ErrorMessage")) {
                throw error(request, row.get("ErrorMessage"), records);
            }
        }
        if (body.has("ErrorMessage")) {
            throw error(request, body.get("ErrorMessage"), records);
        }
        return new MiResponse(request.program(), request.transaction(), records);
    }

    private void collect(JsonNode rows, List<MiRecord> into) {
        for (JsonNode row : rows) {
            LinkedHashMap<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : row.properties()) {
                fields.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
            into.add(new MiRecord(fields, zone));
        }
    }

    private static boolean hasError(JsonNode result) {
        return !result.path("errorMessage").asText("").isEmpty() || !result.path("errorCode").asText("").isEmpty()
                || !result.path("errorType").asText("").isEmpty();
    }

    /** Builds the typed error from v2 ({@code errorCode}...) or v1 ({@code @code}...) keys. */
    private static M3TransactionException error(MiRequest request, JsonNode e, List<MiRecord> partial) {
        String code = first(e, "errorCode", "@code");
        String field = first(e, "errorField", "@field");
        String type = first(e, "errorType", "@type");
        String message = first(e, "errorMessage", "Message").strip();
        // v1 messages repeat the field and code in front of the text; Infor's SDK strips them too.
        if (!field.isEmpty() && message.startsWith(field)) {
            message = message.substring(field.length()).strip();
        }
        if (!code.isEmpty() && message.startsWith(code)) {
            message = message.substring(code.length()).strip();
        }
        return new M3TransactionException(request.program(), request.transaction(), field, code, type,
                message.isEmpty() ? "rejected by M3" : message, partial);
    }

    private static String first(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode v = node.get(k);
            if (v != null && !v.isNull() && !v.asText().isBlank()) {
                return v.asText().trim();
            }
        }
        return "";
    }
}
