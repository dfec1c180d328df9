package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.http.RetryPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both MI response generations and every error shape infor.md describes, from canned bodies. */
class M3ResponseParsingTest {

    private CannedGateway gateway;
    private IonClient v2;
    private IonClient v1;

    @BeforeEach
    void start() throws Exception {
        gateway = new CannedGateway();
        IonApiCredentials credentials = IonApiCredentials.parse(gateway.ionapi());
        RetryPolicy fast = new RetryPolicy(3, 10, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(5));
        v2 = IonClient.builder(credentials).retryPolicy(fast).tenantZone(ZoneId.of("Europe/Stockholm")).build();
        v1 = IonClient.builder(credentials).retryPolicy(fast).m3ApiVersion(M3Client.ApiVersion.V1).build();
    }

    @AfterEach
    void stop() {
        v1.close();
        v2.close();
        gateway.close();
    }

    private static MiRequest getHead() {
        return MiRequest.builder("PPS200MI", "GetHead").set("PUNO", "4000001234").build();
    }

    @Test
    void v2RecordsAreTrimmedTypedAndComplete() {
        gateway.respond(200, """
                {"results":[{"transaction":"LstLine","records":[
                  {"CONO":"100","PUNO":"4000001234","PNLI":"10","LNAM":"125.50","DWDT":"20240502","CODT":"0","SUNO":"S10001    ","ITDS":""},
                  {"CONO":"100","PUNO":"4000001234","PNLI":"20","LNAM":"0.10","DWDT":"20240503","CODT":"20240510","SUNO":"S10001    ","ITDS":"x"}]}],
                 "wasTerminated":"false","nrOfSuccessfullTransactions":1,"nrOfFailedTransactions":0}""");
        List<MiRecord> records = v2.m3().execute(MiRequest.builder("PPS200MI", "LstLine").set("PUNO", "4000001234").build()).records();
        assertEquals(2, records.size());
        MiRecord first = records.get(0);
        assertEquals("S10001", first.get("SUNO"));
        assertEquals(new BigDecimal("125.50"), first.decimal("LNAM"));
        assertEquals(LocalDate.of(2024, 5, 2), first.date("DWDT"));
        assertNull(first.date("CODT"), "0 is M3's empty date");
        assertEquals("", first.get("ITDS"), "blank fields are kept, not dropped");
        assertEquals(8, first.fields().size());
        assertEquals(ZoneId.of("Europe/Stockholm"), first.zone());
        assertEquals(ZonedDateTime.of(2024, 5, 2, 0, 0, 0, 0, ZoneId.of("Europe/Stockholm")), first.startOfDay("DWDT"));
        assertThrows(IllegalArgumentException.class, () -> first.get("NOPE"));
    }

    @Test
    void v2ErrorInsideAnHttp200ResultIsTyped() {
        gateway.respond(200, """
                {"results":[{"transaction":"GetHead","errorMessage":"Purchase order number 4000009999 does not exist",
                  "errorType":"ServerReturnedNOK","errorCode":"XXX0000","errorField":"PUNO","records":[]}],
                 "wasTerminated":false,"nrOfSuccessfullTransactions":0,"nrOfFailedTransactions":1}""");
        M3TransactionException e = assertThrows(M3TransactionException.class, () -> v2.m3().execute(getHead()));
        assertEquals("PPS200MI", e.program());
        assertEquals("GetHead", e.transaction());
        assertEquals("PUNO", e.field());
        assertEquals("XXX0000", e.code());
        assertEquals("ServerReturnedNOK", e.type());
        assertTrue(e.getMessage().contains("PPS200MI/GetHead") && e.getMessage().contains("PUNO"), e.getMessage());
    }

    @Test
    void v2Http400WithTopLevelErrorIsTyped() {
        gateway.respond(400, """
                {"errorMessage":"You are not authorized to company 300","errorCode":"XAU0008","errorField":"CONO","errorType":"ServerReturnedNOK"}""");
        M3TransactionException e = assertThrows(M3TransactionException.class, () -> v2.m3().execute(getHead()));
        assertEquals("XAU0008", e.code());
        assertEquals("CONO", e.field());
    }

    @Test
    void v2TerminationAndFailureCountsWithoutErrorKeysStillFail() {
        gateway.respond(200, """
                {"results":[{"transaction":"GetHead","records":[]}],"wasTerminated":"true","terminationReason":"Job cancelled",
                 "nrOfSuccessfullTransactions":0,"nrOfFailedTransactions":0}""");
        M3TransactionException e = assertThrows(M3TransactionException.class, () -> v2.m3().execute(getHead()));
        assertTrue(e.getMessage().contains("Job cancelled"));
        gateway.respond(200, "{\"wasTerminated\":false}");
        IonHttpException noResults = assertThrows(IonHttpException.class, () -> v2.m3().execute(getHead()));
        assertTrue(noResults.getMessage().contains("no results"));
    }

    @Test
    void malformedBodyIsRetriedThenReported() {
        gateway.respond(200, "{\"results\":[{\"transaction\":\"");
        IonHttpException e = assertThrows(IonHttpException.class, () -> v2.m3().execute(getHead()));
        assertTrue(e.getMessage().contains("not valid JSON"));
        assertEquals(3, gateway.server.log().calls("api"), "read calls are retried per the policy");
        IonHttpException add = assertThrows(IonHttpException.class,
                () -> v2.m3().execute(MiRequest.builder("APS450MI", "AddHead").set("SUNO", "S1").build()));
        assertEquals(4, gateway.server.log().calls("api"), "an Add is never repeated: " + add.getMessage());
    }

    @Test
    void v1RecordsAndAllThreeErrorForms() {
        gateway.respond(200, """
                {"Program":"PPS200MI","Transaction":"GetHead","Metadata":{"Field":[{"@name":"PUNO","@type":"A","@length":10}]},
                 "MIRecord":[{"RowIndex":0,"NameValue":[{"Name":"PUNO","Value":"4000001234"},{"Name":"SUNO","Value":"S10001    "}]}]}""");
        MiRecord head = v1.m3().execute(getHead()).single();
        assertEquals("S10001", head.get("SUNO"));

        gateway.respond(200, """
                {"@type":"ServerReturnedNOK","@code":"WPU0901","@field":"PUNO","@cfg":null,
                 "Message":"PUNO       WPU0901 Purchase order number does not exist                      "}""");
        M3TransactionException nok = assertThrows(M3TransactionException.class, () -> v1.m3().execute(getHead()));
        assertEquals("WPU0901", nok.code());
        assertTrue(nok.getMessage().endsWith(": Purchase order number does not exist"), nok.getMessage());

        gateway.respond(200, """
                {"Program":"PPS200MI","Transaction":"LstLine","MIRecord":[
                  {"RowIndex":0,"NameValue":[{"Name":"PNLI","Value":"10"}]},
                  {"RowIndex":1,"NameValue":[],"ErrorMessage":{"@type":"ServerReturnedNOK","@code":"XIM0002","@cfg":null,"@field":"PNLI","Message":"Line error"}}]}""");
        M3TransactionException partial = assertThrows(M3TransactionException.class,
                () -> v1.m3().execute(MiRequest.builder("PPS200MI", "LstLine").set("PUNO", "1").build()));
        assertEquals("PNLI", partial.field());
        assertEquals(1, partial.partialRecords().size(), "rows before the failure are handed back, not lost");
    }

    @Test
    void urlCarriesMatrixParametersAndEncodedInputsAndBearerToken() {
        gateway.respond(200, "{\"results\":[{\"transaction\":\"LstSuppliers\",\"records\":[]}],\"nrOfSuccessfullTransactions\":1,\"nrOfFailedTransactions\":0}");
        v2.m3().execute(MiRequest.builder("CRS620MI", "LstSuppliers").set("FRSU", "A B#1&2+3").maxRecords(500)
                .returnColumns("SUNO", "SUNM").company("100").division("AAA").build());
        String url = gateway.lastUrl.get();
        assertTrue(url.startsWith("/T/M3/m3api-rest/v2/execute/CRS620MI/LstSuppliers;maxrecs=500;returncols=SUNO,SUNM;cono=100;divi=AAA?"), url);
        assertTrue(url.contains("FRSU=A%20B%231%262%2B3"), url);
        assertTrue(url.endsWith("auth=Bearer canned-token"), url);
        v1.m3().execute(getHead());
        assertTrue(gateway.lastUrl.get().startsWith("/T/M3/m3api-rest/execute/PPS200MI/GetHead?PUNO=4000001234"), gateway.lastUrl.get());
    }

    @Test
    void unexpectedStatusesAreHttpErrors() {
        gateway.respond(404, "{\"error\":\"no such path\"}");
        IonHttpException e = assertThrows(IonHttpException.class, () -> v2.m3().execute(getHead()));
        assertEquals(404, e.status());
        assertEquals("M3 PPS200MI/GetHead", e.operation());
        gateway.respond(503, "{}");
        assertEquals(503, assertThrows(IonHttpException.class, () -> v2.m3().execute(getHead())).status());
    }
}
