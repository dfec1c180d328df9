package io.mlconnector.simulators.ion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.common.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The M3 error each rejection answers, pinned: type, code and field, in v2 (HTTP 200 with the keys in the result,
 * or HTTP 400 with them at the top level for request-level errors) and in v1 ({@code @type}, {@code @code},
 * {@code @field}). Clients and the Infor sink act on these, so a changed code must fail a test.
 *
 * <p>Documented in {@code shared/reference/infor.md} §3.3: {@code XAU0008} on {@code CONO} for a company the user is
 * not authorized for, error type {@code ServerReturnedNOK} for a business rejection and {@code TransactionNotFound}.
 * The other codes are M3 message ids as this simulator chose them ({@code MasterDataMi}, {@code MiCall},
 * {@code PurchaseOrderMi}, {@code ApLedgerMi}, {@code InvoiceBatchMi}, {@code CusExtMi}, {@code ExportMi}); the
 * reference does not list them, so they are pinned as the simulator answers them today.
 */
class M3ErrorCodesTest {
    private static final String NOK = "ServerReturnedNOK";

    /** A call and the error it must answer: request-level errors are HTTP 400 in v2. */
    private record Rejection(String call, boolean requestLevel, String type, String code, String field) {
    }

    private static final List<Rejection> REJECTIONS = List.of(
            new Rejection("CRS620MI/GetBasicData?SUNO=NOPE", false, NOK, "WSU0201", "SUNO"),
            new Rejection("CRS620MI/GetBasicData", false, NOK, "WFL0101", "SUNO"),
            new Rejection("CRS630MI/GetAccountID?AITP=1&AITM=NOPE", false, NOK, "XAC0101", "AITM"),
            new Rejection("PPS200MI/GetHead?PUNO=123", false, NOK, "WPU0901", "PUNO"),
            new Rejection("APS200MI/GetInvTotInfo?DIVI=AAA&SUNO=NOPE&SINO=NOPE&INYR=2026&SPYN=NOPE", false, NOK,
                    "XRE0103", "SINO"),
            new Rejection("APS450MI/GetHead?INBN=999999999", false, NOK, "WIB0101", "INBN"),
            new Rejection("CUSEXTMI/GetFieldValue?FILE=MPHEAD&PK01=NOPE", false, NOK, "WCU0201", "PK01"),
            new Rejection("EXPORTMI/Select?QERY=" + enc("nonsense"), false, NOK, "XQU0001", "QERY"),
            new Rejection("EXPORTMI/Select?QERY=" + enc("SUNO from NOTABLE"), false, NOK, "XQU0002", "QERY"),
            new Rejection("PPS200MI/GetHead;cono=999?PUNO=1", true, NOK, "XAU0008", "CONO"),
            new Rejection("CRS620MI/NoSuchTransaction", true, "TransactionNotFound", "", ""));

    private final HttpClient http = HttpClient.newHttpClient();
    private IonSimulator sim;
    private String base;
    private String token;

    @BeforeEach
    void start() throws Exception {
        sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(20, 5, 5));
        base = sim.baseUrl() + "/" + sim.tenant();
        IonSimulatorConfig cfg = sim.config();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/as/token.oauth2"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + enc(cfg.serviceAccountAccessKey())
                        + "&password=" + enc(cfg.serviceAccountSecretKey()) + "&client_id=" + enc(cfg.clientId())
                        + "&client_secret=" + enc(cfg.clientSecret()))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        token = Json.MAPPER.readTree(login.body()).get("access_token").asText();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void v2AnswersEachRejectionWithItsCode() throws Exception {
        List<String> got = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Rejection r : REJECTIONS) {
            HttpResponse<String> answer = get("/M3/m3api-rest/v2/execute/" + r.call());
            JsonNode body = Json.MAPPER.readTree(answer.body());
            JsonNode error = r.requestLevel() ? body : body.at("/results/0");
            expected.add(r.call() + " -> " + (r.requestLevel() ? 400 : 200) + " " + r.type() + " " + r.code() + " "
                    + r.field());
            got.add(r.call() + " -> " + answer.statusCode() + " " + error.path("errorType").asText() + " "
                    + error.path("errorCode").asText() + " " + error.path("errorField").asText());
            if (!r.requestLevel()) {
                assertEquals(1, body.path("nrOfFailedTransactions").asInt(), r.call());
            }
        }
        assertEquals(expected, got);
    }

    @Test
    void v1AnswersEachRejectionWithItsCode() throws Exception {
        List<String> got = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Rejection r : REJECTIONS) {
            HttpResponse<String> answer = get("/M3/m3api-rest/execute/" + r.call());
            JsonNode body = Json.MAPPER.readTree(answer.body());
            expected.add(r.call() + " -> " + (r.requestLevel() ? 400 : 200) + " " + r.type() + " " + r.code() + " "
                    + r.field());
            got.add(r.call() + " -> " + answer.statusCode() + " " + body.path("@type").asText() + " "
                    + body.path("@code").asText() + " " + body.path("@field").asText());
        }
        assertEquals(expected, got);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
