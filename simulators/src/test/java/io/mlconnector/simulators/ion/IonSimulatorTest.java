package io.mlconnector.simulators.ion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.simulators.common.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's wire shapes, checked with a plain HTTP client (no infor-client involved). */
class IonSimulatorTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private IonSimulator sim;
    private IonSimulatorConfig cfg;
    private String base;

    @BeforeEach
    void start() throws Exception {
        sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(120, 30, 30).withLoginsPerMinute(4));
        cfg = sim.config();
        base = sim.baseUrl() + "/" + sim.tenant();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(String url, String form, String basicUser, String basicPassword) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (basicUser != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode login() throws Exception {
        HttpResponse<String> r = post(base + "/as/token.oauth2", "grant_type=password&username=" + enc(cfg.serviceAccountAccessKey())
                + "&password=" + enc(cfg.serviceAccountSecretKey()) + "&client_id=" + enc(cfg.clientId()) + "&client_secret=" + enc(cfg.clientSecret()), null, null);
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> get(String pathAndQuery, String token, String config) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (config != null) {
            b.header("X-Infor-MongooseConfig", config);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String pathAndQuery, String token) throws Exception {
        HttpResponse<String> r = get(pathAndQuery, token, null);
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode control(String method, String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
    }

    @Test
    void passwordGrantRefreshRevokeAndTheErrorsAroundThem() throws Exception {
        JsonNode token = login();
        assertEquals("Bearer", token.get("token_type").asText());
        assertEquals(7200, token.get("expires_in").asLong());
        String access = token.get("access_token").asText();
        String refresh = token.get("refresh_token").asText();

        HttpResponse<String> basic = post(base + "/as/token.oauth2", "grant_type=refresh_token&refresh_token=" + enc(refresh),
                cfg.clientId(), cfg.clientSecret());
        assertEquals(200, basic.statusCode(), "client authentication by HTTP Basic works too");

        HttpResponse<String> wrongPassword = post(base + "/as/token.oauth2", "grant_type=password&username=" + enc(cfg.serviceAccountAccessKey())
                + "&password=nope&client_id=" + enc(cfg.clientId()) + "&client_secret=" + enc(cfg.clientSecret()), null, null);
        assertEquals(400, wrongPassword.statusCode());
        assertEquals("invalid_grant", Json.MAPPER.readTree(wrongPassword.body()).get("error").asText());
        assertEquals(401, post(base + "/as/token.oauth2", "grant_type=password", "someone", "else").statusCode());

        assertEquals(200, get("/M3/m3api-rest/v2/execute/CRS620MI/GetBasicData?SUNO=S00001", access, null).statusCode());
        assertEquals(200, post(base + "/as/revoke_token.oauth2", "token=" + enc(refresh) + "&token_type_hint=refresh_token",
                cfg.clientId(), cfg.clientSecret()).statusCode());
        HttpResponse<String> revoked = get("/M3/m3api-rest/v2/execute/CRS620MI/GetBasicData?SUNO=S00001", access, null);
        assertEquals(401, revoked.statusCode(), "revoking the refresh token ends its access tokens");
        assertTrue(revoked.headers().firstValue("WWW-Authenticate").orElse("").contains("error="));
        assertEquals(401, get("/M3/m3api-rest/v2/execute/CRS620MI/GetBasicData?SUNO=S00001", null, null).statusCode());
        assertEquals(2, sim.log().counter("unauthorized"));
        assertEquals(1, sim.log().counter("oauth.logins"));
        assertEquals(1, sim.log().counter("oauth.refreshes"));
    }

    @Test
    void tokensExpireAfterTheirLifetimeAndLoginsAreLimitedPerMinute() throws Exception {
        control("POST", "/_sim/oauth/lifetime", "{\"seconds\":1}");
        String access = login().get("access_token").asText();
        Thread.sleep(1_100);
        assertEquals(401, get("/M3/m3api-rest/v2/execute/CRS620MI/GetBasicData?SUNO=S00001", access, null).statusCode());
        login();
        login();
        login();
        HttpResponse<String> fifth = post(base + "/as/token.oauth2", "grant_type=password&username=" + enc(cfg.serviceAccountAccessKey())
                + "&password=" + enc(cfg.serviceAccountSecretKey()) + "&client_id=" + enc(cfg.clientId()) + "&client_secret=" + enc(cfg.clientSecret()), null, null);
        assertEquals(429, fifth.statusCode(), "the fifth login in a minute exceeds this simulator's limit of 4");
    }

    @Test
    void m3v2AndV1ShapesFollowInforMd() throws Exception {
        String token = login().get("access_token").asText();
        JsonNode v2 = getJson("/M3/m3api-rest/v2/execute/CRS620MI/LstSuppliers;maxrecs=3;returncols=SUNO,SUNM", token);
        assertTrue(v2.has("nrOfSuccessfullTransactions"), "double l, as the real API spells it");
        assertFalse(v2.has("nrOfSuccessfulTransactions"));
        assertFalse(v2.get("wasTerminated").asBoolean());
        JsonNode records = v2.at("/results/0/records");
        assertEquals(3, records.size());
        assertEquals("S00001    ", records.get(0).get("SUNO").asText(), "blank-padded like M3 unless righttrim=true");
        assertEquals(2, records.get(0).size(), "returncols limits the fields");
        assertEquals(100, getJson("/M3/m3api-rest/v2/execute/EXPORTMI/Select?QERY=" + enc("IBPUNO,IBPNLI from MPLINE"), token)
                .at("/results/0/records").size(), "without maxrecs a list stops at 100 rows");
        assertEquals("S00001", getJson("/M3/m3api-rest/v2/execute/CRS620MI/GetBasicData?SUNO=S00001&righttrim=true", token)
                .at("/results/0/records/0/SUNO").asText());

        JsonNode error = getJson("/M3/m3api-rest/v2/execute/PPS200MI/GetHead?PUNO=123", token);
        assertEquals(1, error.get("nrOfFailedTransactions").asInt());
        assertEquals("PUNO", error.at("/results/0/errorField").asText());
        HttpResponse<String> http400 = get("/M3/m3api-rest/v2/execute/PPS200MI/GetHead;cono=999?PUNO=1", token, null);
        assertEquals(400, http400.statusCode());
        assertEquals("XAU0008", Json.MAPPER.readTree(http400.body()).get("errorCode").asText());

        JsonNode v1 = getJson("/M3/m3api-rest/execute/CRS620MI/GetBasicData;metadata=true?SUNO=S00002", token);
        assertEquals("CRS620MI", v1.get("Program").asText());
        assertEquals("SUNO", v1.at("/MIRecord/0/NameValue/1/Name").asText());
        assertTrue(v1.at("/Metadata/Field").size() > 5);
        JsonNode v1Error = getJson("/M3/m3api-rest/execute/CRS620MI/GetBasicData?SUNO=NOPE", token);
        assertEquals("ServerReturnedNOK", v1Error.get("@type").asText());
        assertEquals("SUNO", v1Error.get("@field").asText());
    }

    @Test
    void exportmiSelectHonoursSeparatorHeadersAndCompany() throws Exception {
        String token = login().get("access_token").asText();
        JsonNode r = getJson("/M3/m3api-rest/v2/execute/EXPORTMI/Select;maxrecs=2?SEPC=%7C&HDRS=1&QERY="
                + enc("IAPUNO,IASUNO,IACUCD from MPHEAD where IALMDT >= 20000101 and (IAPUSL = '15' or IAPUSL >= '20')"), token);
        JsonNode rows = r.at("/results/0/records");
        assertEquals("IAPUNO|IASUNO|IACUCD", rows.get(0).get("REPL").asText());
        assertEquals(3, rows.size(), "header plus maxrecs rows");
        assertTrue(rows.get(1).get("REPL").asText().matches("\\d{10}\\|S\\d{5}\\|[A-Z]{3}"));
        JsonNode company200 = getJson("/M3/m3api-rest/v2/execute/EXPORTMI/Select;cono=200;maxrecs=0?SEPC=%3B&QERY=" + enc("IACONO,IADIVI from MPHEAD"), token);
        company200.at("/results/0/records").forEach(row -> assertEquals("200;CCC", row.get("REPL").asText()));
    }

    @Test
    void exportmiIsAsStrictAsATenantAndPadsFreeTextToTheListedWidths() throws Exception {
        String token = login().get("access_token").asText();
        String exportmi = "/M3/m3api-rest/v2/execute/EXPORTMI/";
        // A column the table does not have gets M3's error, naming it: CIDMAS holds no currency (CIDVEN does).
        HttpResponse<String> unknown = get(exportmi + "Select?QERY=" + enc("IDSUNO,IDCUCD from CIDMAS"), token, null);
        assertTrue(unknown.body().contains("Field IDCUCD does not exist in CIDMAS"), unknown.body());

        Map<String, Integer> widths = new java.util.HashMap<>();
        getJson(exportmi + "LstFields;maxrecs=0?FILE=CIDMAS", token).at("/results/0/records")
                .forEach(f -> widths.put(f.get("FLDN").asText(), f.get("FLLE").asInt()));
        assertEquals(36, widths.get("IDSUNM"));
        assertTrue(!widths.containsKey("IDCUCD") && !widths.containsKey("IDTEPY"), widths.toString());

        String repl = getJson(exportmi + "SelectPad?QERY=" + enc("IDSUNO,IDSUNM,IDSTAT from CIDMAS where IDSUNO = 'S00005'"), token)
                .at("/results/0/records/0/REPL").asText();
        assertEquals(widths.get("IDSUNO") + widths.get("IDSUNM") + widths.get("IDSTAT"), repl.length(),
                "every value padded to its listed width: [" + repl + "]");
        assertEquals("Supplier 5 of 100 | \"Nord\"; Ö北京", repl.substring(10, 46).trim());

        JsonNode companyAccounts = getJson(exportmi + "Select;maxrecs=0?SEPC=%7C&QERY="
                + enc("EAAITM,EADIVI from FCHACC where EADIVI = ''"), token).at("/results/0/records");
        assertEquals(M3Data.COMPANY_ACCOUNTS, companyAccounts.size(), "company-level GL accounts have a blank division");

        sim.setM3SessionDivision("AAA");
        JsonNode other = getJson(exportmi + "Select;maxrecs=1?SEPC=%7C&QERY=" + enc("IAPUNO,IADIVI from MPHEAD where IADIVI = 'BBB'"),
                token).at("/results/0/records/0/REPL");
        assertTrue(other.asText().endsWith("|AAA"), "a session with a default division reads that division: " + other);
    }

    @Test
    void controlApiAddsAndChangesRecordsTheWayM3AndSyteLineStampThem() throws Exception {
        String token = login().get("access_token").asText();
        JsonNode added = control("POST", "/_sim/m3/MPHEAD", "{\"CONO\":\"100\",\"DIVI\":\"AAA\",\"SUNO\":\"S00001\",\"CUCD\":\"EUR\",\"PURC\":\"BUYER01\"}");
        String puno = added.get("PUNO").asText();
        assertEquals("1", added.get("CHNO").asText());
        assertEquals(puno, getJson("/M3/m3api-rest/v2/execute/PPS200MI/GetHead?PUNO=" + puno, token).at("/results/0/records/0/PUNO").asText().trim());
        JsonNode changed = control("PATCH", "/_sim/m3/MPHEAD", "{\"key\":{\"CONO\":\"100\",\"PUNO\":\"" + puno + "\"},\"set\":{\"PUST\":\"20\"}}");
        assertEquals("2", changed.get("CHNO").asText());
        assertTrue(changed.get("LMTS").asLong() > added.get("LMTS").asLong());

        String config = sim.tenant() + "_DALS";
        JsonNode po = control("POST", "/_sim/ido/" + config + "/SLPos", "{\"PoNum\":\"PO-NEW-1\",\"VendNum\":\"V000001\",\"Stat\":\"O\"}");
        JsonNode po2 = control("PATCH", "/_sim/ido/" + config + "/SLPos/" + po.get("RowPointer").asText(), "{\"Stat\":\"C\"}");
        assertTrue(po2.get("RecordDate").asText().compareTo(po.get("RecordDate").asText()) > 0);
        HttpResponse<String> loaded = get("/CSI/IDORequestService/ido/load/SLPos?filter=" + enc("RecordDate >= '" + po.get("RecordDate").asText() + "'")
                + "&properties=PoNum,Stat", token, config);
        JsonNode body = Json.MAPPER.readTree(loaded.body());
        assertTrue(body.get("Success").asBoolean());
        assertEquals("C", body.at("/Items/0/Stat").asText());
        assertTrue(body.at("/Items/0/_ItemId").asText().startsWith("PBT=[po] po.DT=["));

        JsonNode info = control("GET", "/_sim/ion", null);
        assertEquals(sim.tenant(), info.get("tenant").asText());
        JsonNode ionapi = control("GET", "/_sim/ionapi", null);
        assertEquals(sim.baseUrl() + "/" + sim.tenant() + "/as/", ionapi.get("pu").asText());
    }

    @Test
    void idoLoadNeedsTheMongooseConfigAndPagesWithAnXmlBookmark() throws Exception {
        String token = login().get("access_token").asText();
        HttpResponse<String> noConfig = get("/CSI/IDORequestService/ido/load/SLPos", token, null);
        assertEquals(400, noConfig.statusCode());
        assertFalse(Json.MAPPER.readTree(noConfig.body()).get("Success").asBoolean());
        String config = sim.tenant() + "_OHIO";
        JsonNode first = Json.MAPPER.readTree(get("/CSI/IDORequestService/ido/load/SLVendors?recordCap=2&orderBy=VendNum", token, config).body());
        assertEquals(2, first.get("Items").size());
        assertTrue(first.get("MoreRowsExist").asBoolean());
        String bookmark = first.get("Bookmark").asText();
        assertTrue(bookmark.startsWith("<B><P><p>VendNum</p><p>RowPointer</p></P>"), bookmark);
        JsonNode next = Json.MAPPER.readTree(get("/CSI/IDORequestService/ido/load/SLVendors?recordcap=2&orderby=VendNum&loadtype=NEXT&bookmark="
                + enc(bookmark), token, config).body());
        assertNotEquals(first.at("/Items/1/VendNum").asText(), next.at("/Items/0/VendNum").asText());
        assertTrue(first.at("/Items/1/VendNum").asText().compareTo(next.at("/Items/0/VendNum").asText()) < 0);
    }

    @Test
    void idoConfigurationsListsTheSitesConfigurationsWithoutAHeaderButWithAToken() throws Exception {
        assertEquals(401, get("/CSI/IDORequestService/ido/configurations", null, null).statusCode());
        JsonNode body = getJson("/CSI/IDORequestService/ido/configurations", login().get("access_token").asText());
        assertTrue(body.get("Success").asBoolean(), body.toString());
        assertEquals(Json.MAPPER.valueToTree(java.util.List.of(sim.tenant() + "_DALS", sim.tenant() + "_OHIO")), body.get("Configurations"));
        assertEquals(sim.mongooseConfigs().size(), body.get("Configurations").size());
    }
}
