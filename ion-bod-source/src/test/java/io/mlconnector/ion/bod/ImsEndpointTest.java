package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.http.ListenerLimits;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The IMS methods over real HTTP, with a thread in the worker's place that takes the records and acknowledges them. */
class ImsEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("gateway:pw".getBytes(StandardCharsets.UTF_8));
    private static final String BOUNDARY = "b0undary-42";

    private final RecordHandoff handoff = new RecordHandoff();
    private final List<SourceRecord> written = new CopyOnWriteArrayList<>();
    private ImsEndpoint endpoint;
    private Thread worker;

    @BeforeEach
    void start() throws Exception {
        RecordSchemas schemas = new RecordSchemas(2);
        BodIntake intake = new BodIntake("ACME_PRD", "m3", new BodRecords("ACME_PRD", InforBackend.M3, null, schemas,
                ZoneId.of("UTC")), schemas, new DocumentVersions(partition -> null, 100), handoff,
                new BodIntake.Topics(Map.of(Entity.PURCHASE_ORDERS, "orders", Entity.SUPPLIER_INVOICES, "invoices"),
                        "errors", "audit"), Clock.systemUTC());
        endpoint = new ImsEndpoint(new InetSocketAddress("127.0.0.1", 0), null, "/ims/service",
                new ListenerLimits(16, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20, 4, 8),
                new BasicVerification("gateway", "pw".toCharArray()),
                new ImsEndpoint.Checks("ACME_PRD", Set.of("Sync.PurchaseOrder"), Set.of("lid://infor.m3.m3"), 1 << 20,
                        IonBodSourceConfig.MessageMethod.MULTIPART_MESSAGE, "X-Infor-ION-"),
                intake);
        worker = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<SourceRecord> records = handoff.drain(50, 100);
                    if (records != null) {
                        written.addAll(records);
                        records.forEach(handoff::acknowledged);
                    }
                }
            } catch (InterruptedException stopped) {
                // the test is over
            }
        }, "test-worker");
        worker.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        worker.interrupt();
        worker.join();
        endpoint.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + endpoint.port() + "/ims/service" + path;
    }

    private static String parameters(String documentName, String messageId, String fromLogicalId) {
        return "{\"documentName\":\"" + documentName + "\",\"messageId\":\"" + messageId + "\",\"fromLogicalId\":\""
                + fromLogicalId + "\",\"toLogicalId\":\"lid://default\",\"encoding\":\"NONE\",\"characterSet\":\"UTF-8\","
                + "\"accountingEntity\":\"100_AAA\",\"documentId\":\"4000000001\",\"variationId\":1}";
    }

    private static byte[] multipart(Map<String, String> parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach((name, content) -> body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\nContent-Type: " + (name.equals("ParameterRequest") ? "application/json"
                : "application/octet-stream") + "\r\n\r\n" + content + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static String bod() {
        return BodRecordsTest.purchaseOrder("Add", "4000000001", "1", "");
    }

    private HttpResponse<String> post(String path, String tenant, Map<String, String> headers, byte[] body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(15))
                .header("Authorization", BASIC).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (tenant != null) {
            request.header("X-TenantId", tenant);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> message(String tenant, String parameters) throws Exception {
        return post("/v3/multipartMessage", tenant, Map.of(), multipart(new java.util.LinkedHashMap<>(Map.of(
                "ParameterRequest", parameters, "MessagePayload", bod()))));
    }

    private static void assertAnswer(int status, int code, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.path("code").asInt(), response.body());
        assertEquals(status / 100 == 2 ? "OK" : "FAIL", body.path("status").asText());
    }

    @Test
    void pingAndProtocolAnswerAnAuthenticatedCallerOnly() throws Exception {
        HttpResponse<String> ping = HTTP.send(HttpRequest.newBuilder(URI.create(url("/ping"))).header("Authorization",
                BASIC).build(), HttpResponse.BodyHandlers.ofString());
        assertAnswer(200, 200, ping);
        JsonNode protocol = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url("/protocol")))
                .header("Authorization", BASIC).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("v3", protocol.path("version").asText());
        assertEquals("multipartMessage", protocol.path("messageMethod").asText());
        assertEquals(false, protocol.path("hasDiscovery").asBoolean(true));
        assertAnswer(401, 401, HTTP.send(HttpRequest.newBuilder(URI.create(url("/ping"))).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aMessageIsAnswered202OnceItsRecordIsTaken() throws Exception {
        HttpResponse<String> answer = message("acme_prd", parameters("Sync.PurchaseOrder", "m-1", "lid://infor.m3.m3"));
        assertAnswer(202, 202, answer);
        assertEquals(1, written.size(), "taken before the answer");
        assertEquals("orders", written.get(0).topic());
        assertEquals("4000000001", ((Struct) written.get(0).value()).getString("number"));
    }

    @Test
    void theTenantIsRequiredAndMustBeThisConnectionPointsOwn() throws Exception {
        String parameters = parameters("Sync.PurchaseOrder", "m-1", "lid://infor.m3.m3");
        assertAnswer(412, 418, message(null, parameters));
        assertAnswer(412, 448, message("A".repeat(23), parameters));
        assertAnswer(412, 458, message("OTHER_PRD", parameters));
        assertTrue(written.isEmpty());
    }

    @Test
    void malformedOrMisdirectedMessagesAreRefusedWithIonsCodes() throws Exception {
        assertAnswer(400, 400, message("ACME_PRD", "{not json"));
        assertAnswer(412, 412, message("ACME_PRD", parameters("Sync.SalesOrder", "m-2", "lid://infor.m3.m3")));
        assertAnswer(403, 403, message("ACME_PRD", parameters("Sync.PurchaseOrder", "m-3", "lid://someone.else")));
        assertAnswer(412, 477, post("/v3/multipartMessage", "ACME_PRD", Map.of(),
                multipart(Map.of("MessagePayload", bod()))));
        assertTrue(written.isEmpty());
    }

    @Test
    void theSinglePartMethodTakesItsParametersFromHeadersOrTheQuery() throws Exception {
        HttpResponse<String> byHeaders = post("/v3/message/multipart", "ACME_PRD", Map.of(
                "X-Infor-ION-documentName", "Sync.PurchaseOrder", "X-Infor-ION-messageId", "h-1",
                "X-Infor-ION-fromLogicalId", "lid://infor.m3.m3", "X-Infor-ION-variationId", "1"),
                multipart(Map.of("MessagePayload", bod())));
        assertAnswer(202, 202, byHeaders);
        HttpResponse<String> byQuery = post("/v3/message/multipart?documentName=Sync.PurchaseOrder&messageId=q-1"
                + "&fromLogicalId=lid%3A%2F%2Finfor.m3.m3&variationId=1", "ACME_PRD", Map.of(),
                multipart(Map.of("MessagePayload", bod())));
        assertAnswer(202, 202, byQuery);
        assertEquals(List.of("orders", "audit"), written.stream().map(SourceRecord::topic).toList(),
                "the second delivery of variation 1 is a duplicate");

        assertAnswer(412, 453, post("/v3/message/multipart", "ACME_PRD", Map.of(),
                multipart(Map.of("MessagePayload", bod()))));
        assertAnswer(412, 477, post("/v3/message/multipart", "ACME_PRD", Map.of("X-Infor-ION-documentName",
                "Sync.PurchaseOrder"), multipart(new java.util.LinkedHashMap<>(Map.of("ParameterRequest", "{}",
                "MessagePayload", bod())))));
    }

    @Test
    void otherPathsAndMethodsAreRefusedBeforeAnyCheck() throws Exception {
        assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(url("/v3/discovery")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(url("/v3/multipartMessage"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    }
}
