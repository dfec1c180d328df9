package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IDO load/update responses and failures from canned bodies, and the request the client sends. */
class IdoResponseParsingTest {

    private CannedGateway gateway;
    private IonClient ion;
    private IdoClient ido;

    @BeforeEach
    void start() throws Exception {
        gateway = new CannedGateway();
        ion = IonClient.builder(IonApiCredentials.parse(gateway.ionapi())).build();
        ido = ion.ido("T_DALS");
    }

    @AfterEach
    void stop() {
        ion.close();
        gateway.close();
    }

    @Test
    void loadParsesItemsBookmarkAndLenientFlagsAndSendsTheDocumentedRequest() {
        gateway.respond(200, """
                {"Items":[{"PoNum":"PO00001234","PoCost":"1250.00000000","Note":null,
                  "_ItemId":"PBT=[po] po.DT=[2024-05-03 10:11:12.345] po.ID=[3f2a]"}],
                 "Bookmark":"<B><P><p>PoNum</p></P><D><f>false</f></D><F><v>PO00001234</v></F><L><v>PO00001234</v></L></B>",
                 "MoreRowsExist":"true","Success":true,"Message":null}""");
        IdoLoadResponse page = ido.load(IdoLoadRequest.builder("SLPos").properties("PoNum", "PoCost", "Note")
                .filter("RecordDate > '20240503 10:11:12.345' and Stat = N'O'").orderBy("RecordDate,RowPointer").recordCap(50).build());
        IdoItem item = page.items().get(0);
        assertEquals(new java.math.BigDecimal("1250.00000000"), item.decimal("PoCost"));
        assertNull(item.get("Note"));
        assertTrue(item.itemId().startsWith("PBT=[po]"));
        assertTrue(page.moreRowsExist(), "MoreRowsExist sent as a string is read leniently");
        IdoLoadRequest next = page.nextRequest();
        assertEquals(IdoLoadRequest.LoadType.NEXT, next.loadType());
        assertEquals(page.bookmark(), next.bookmark());

        String sent = gateway.lastUrl.get();
        assertTrue(sent.startsWith("/T/CSI/IDORequestService/ido/load/SLPos?properties=PoNum%2CPoCost%2CNote%2C_ItemId&filter="), sent);
        assertTrue(sent.contains("filter=RecordDate%20%3E%20%2720240503%2010%3A11%3A12.345%27%20and%20Stat%20%3D%20N%27O%27"), sent);
        assertTrue(sent.contains("&recordcap=50&loadtype=FIRST"), sent);
        assertTrue(sent.contains(" config=T_DALS auth=Bearer canned-token"), sent);
        ido.load(next);
        assertTrue(gateway.lastUrl.get().contains("loadtype=NEXT&bookmark=%3CB%3E%3CP%3E%3Cp%3EPoNum"), gateway.lastUrl.get());
    }

    @Test
    void successFalseFailsWhateverTheStatus() {
        gateway.respond(200, "{\"Items\":null,\"Success\":false,\"Message\":\"User requires [Read] privilege for SLPos\"}");
        IdoException e = assertThrows(IdoException.class, () -> ido.load(IdoLoadRequest.builder("SLPos").build()));
        assertEquals("SLPos", e.ido());
        assertTrue(e.getMessage().contains("[Read] privilege"));
        gateway.respond(400, "{\"Success\":false,\"Message\":\"bad filter\"}");
        assertThrows(IdoException.class, () -> ido.load(IdoLoadRequest.builder("SLPos").build()));
        gateway.respond(200, "{\"Success\":true}");
        assertThrows(IdoException.class, () -> ido.load(IdoLoadRequest.builder("SLPos").build()), "no Items array");
        gateway.respond(404, "{\"error\":\"no such path\"}");
        assertEquals(404, assertThrows(IonHttpException.class, () -> ido.load(IdoLoadRequest.builder("SLPos").build())).status());
    }

    @Test
    void updateSendsChangesAndReadsRefreshItems() {
        gateway.respond(200, """
                {"Message":null,"Success":true,"RefreshItems":[{"Action":2,"ItemId":"PBT=[po] po.DT=[2024-05-04 00:00:00.000] po.ID=[3f2a]",
                  "ItemNo":0,"Properties":[{"IsNestedCollection":false,"IsNull":false,"Modified":false,"Name":"Uf_ExtStatus",
                  "OriginalValue":null,"Value":"DONE"},{"IsNull":true,"Name":"Note","Value":null}],"UpdateLocking":0}]}""");
        List<IdoItem> refreshed = ido.update("SLPos", List.of(IdoChange.update("PBT=[po] po.DT=[x] po.ID=[3f2a]", Map.of("Uf_ExtStatus", "DONE"))), true);
        assertEquals("DONE", refreshed.get(0).get("Uf_ExtStatus"));
        assertNull(refreshed.get(0).get("Note"));
        assertTrue(gateway.lastUrl.get().startsWith("/T/CSI/IDORequestService/ido/update/SLPos?refresh=true"), gateway.lastUrl.get());
        gateway.respond(200, "{\"Message\":null,\"Success\":true,\"RefreshItems\":null}");
        assertTrue(ido.update("SLPos", List.of(IdoChange.delete("PBT=[po] po.DT=[x] po.ID=[3f2a]")), false).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> IdoChange.update(" ", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ion.ido(" "));
    }

    @Test
    void configurationsReadTheGuidesShapeLenientlyWithoutAConfigurationHeader() {
        gateway.respond(200, "{\"Message\":null,\"Success\":true,\"Configurations\":[\"T_DALS\",\"T_OHIO\"]}");
        assertEquals(List.of("T_DALS", "T_OHIO"), ido.configurations());
        String sent = gateway.lastUrl.get();
        assertTrue(sent.startsWith("/T/CSI/IDORequestService/ido/configurations?"), sent);
        assertTrue(sent.contains(" config=null auth=Bearer canned-token"), "the listing belongs to no configuration: " + sent);
        gateway.respond(200, "[\"T_DALS\",{\"Name\":\"T_OHIO\"},{\"name\":\"T_LA\"},\"\"]");
        assertEquals(List.of("T_DALS", "T_OHIO", "T_LA"), ido.configurations());
        gateway.respond(200, "{\"Success\":false,\"Message\":\"User requires [Read] privilege\"}");
        assertTrue(assertThrows(IdoException.class, () -> ido.configurations()).getMessage().contains("[Read] privilege"));
        gateway.respond(200, "{\"Success\":true}");
        assertThrows(IdoException.class, () -> ido.configurations(), "no Configurations array");
        gateway.respond(404, "{\"error\":\"no such path\"}");
        assertEquals(404, assertThrows(IonHttpException.class, () -> ido.configurations()).status());
    }
}
