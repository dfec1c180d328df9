package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** BODs shaped as ion-ims-bod.md 3.1–3.3 describe them, read into the Infor source's records. */
class BodRecordsTest {

    private static final RecordSchemas SCHEMAS = new RecordSchemas(2);
    private static final String FREE_TEXT = "Bolt | M8; \"zinc\" <&> 螺栓\nB  ";
    private final BodRecords m3 = new BodRecords("ACME_PRD", InforBackend.M3, null, SCHEMAS, ZoneId.of("Europe/Stockholm"));

    static String purchaseOrder(String action, String number, String variation, String extra) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <SyncPurchaseOrder xmlns="http://schema.infor.com/InforOAGIS/2" releaseID="9.2" versionID="2.14.6">
                  <ApplicationArea>
                    <Sender><LogicalID>lid://infor.m3.m3</LogicalID><ConfirmationCode>OnError</ConfirmationCode></Sender>
                    <CreationDateTime>2026-12-06T10:00:05Z</CreationDateTime>
                    <BODID>infor-nid:ACME_PRD:100_AAA:AAA:%2$s:?PurchaseOrder&amp;verb=Sync&amp;variationID=%3$s</BODID>
                  </ApplicationArea>
                  <DataArea>
                    <Sync>
                      <TenantID>ACME_PRD</TenantID><AccountingEntityID>100_AAA</AccountingEntityID><LocationID>AAA</LocationID>
                      <ActionCriteria><ActionExpression actionCode="%1$s"/></ActionCriteria>
                    </Sync>
                    <PurchaseOrder>
                      <PurchaseOrderHeader>
                        <DocumentID><ID accountingEntity="100_AAA" location="AAA" variationID="%3$s">%2$s</ID></DocumentID>
                        <LastModificationDateTime>2026-12-06T11:00:00+01:00</LastModificationDateTime>
                        <OrderDateTime>2026-12-05T00:00:00Z</OrderDateTime>
                        <Status><Code>20</Code></Status>
                        <SupplierParty><PartyIDs><ID>S00001</ID></PartyIDs><Name>Nord &amp; Co | "AB"; Ö北京</Name></SupplierParty>
                        <CustomerParty><BuyerContact><ID>BUYER01</ID></BuyerContact></CustomerParty>
                        <ExtendedAmount currencyID="EUR">1234.50</ExtendedAmount>
                      </PurchaseOrderHeader>
                      <PurchaseOrderLine>
                        <LineNumber>1</LineNumber>
                        <Item><ItemID><ID>ITEM1</ID></ItemID><Description>Bolt | M8; "zinc" &lt;&amp;&gt; 螺栓
                B  </Description></Item>
                        <Quantity unitCode="EA">5</Quantity>
                        <UnitPrice><Amount currencyID="EUR">10.00</Amount><PerQuantity unitCode="EA">1</PerQuantity></UnitPrice>
                        <ExtendedAmount currencyID="EUR">50.00</ExtendedAmount>
                      </PurchaseOrderLine>
                      <PurchaseOrderLine>
                        <LineNumber>2</LineNumber>
                        <Quantity unitCode="KG">0.125</Quantity>
                        <ExtendedAmount currencyID="EUR">1184.5</ExtendedAmount>
                      </PurchaseOrderLine>
                      %4$s
                    </PurchaseOrder>
                  </DataArea>
                </SyncPurchaseOrder>
                """.formatted(action, number, variation, extra);
    }

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private BodRecords.Mapped read(BodRecords records, String xml) throws Exception {
        return records.map(BodDocument.parse(bytes(xml)), null, null);
    }

    @Test
    void aPurchaseOrderBecomesThePollersRecordWithItsKeyVariationAndExactAmounts() throws Exception {
        BodRecords.Mapped po = read(m3, purchaseOrder("Replace", "4000000123", "7", ""));

        assertEquals(Entity.PURCHASE_ORDERS, po.entity());
        assertEquals("100", po.company(), "M3's accounting entity is CONO_DIVI: the company is its first part");
        assertEquals("AAA", po.division());
        assertEquals("4000000123", po.number());
        assertEquals(7L, po.variation());
        Struct v = po.value();
        v.validate();
        assertEquals(SCHEMAS.purchaseOrder, v.schema(), "the very schema the poller writes");
        assertEquals("ACME_PRD", v.getString("tenant"));
        assertEquals("m3", v.getString("backend"));
        assertEquals("S00001", v.getString("supplier_id"));
        assertEquals("Nord & Co | \"AB\"; Ö北京", v.getString("supplier_name"));
        assertEquals(new BigDecimal("1234.50"), v.get("amount"));
        assertEquals("EUR", v.getString("currency"));
        assertEquals("20", v.getString("status"));
        assertEquals("BUYER01", v.getString("buyer"));
        assertEquals(RecordSchemas.date(LocalDate.of(2026, 12, 5)), v.get("order_date"));
        assertEquals(Date.from(Instant.parse("2026-12-06T10:00:00Z")), v.get("changed_at"));
        assertEquals("+01:00", v.getString("source_zone"), "the zone the BOD wrote its time in");
        List<Struct> lines = v.getArray("lines");
        assertEquals(2, lines.size());
        assertEquals("1", lines.get(0).getString("line"));
        assertEquals("ITEM1", lines.get(0).getString("item"));
        assertEquals(FREE_TEXT.stripTrailing(), lines.get(0).getString("description"),
                "separators, quotes, markup, line breaks and other scripts arrive intact; trailing blanks go");
        assertEquals(new BigDecimal("5.000000"), lines.get(0).get("quantity"));
        assertEquals("EA", lines.get(0).getString("unit"));
        assertEquals(new BigDecimal("50.00"), lines.get(0).get("amount"));
        assertEquals(new BigDecimal("0.125000"), lines.get(1).get("quantity"));
        assertEquals(new BigDecimal("1184.50"), lines.get(1).get("amount"));
        assertNull(lines.get(1).get("item"));
    }

    @Test
    void theCompanySettingWinsAndSyteLineTakesTheWholeAccountingEntity() throws Exception {
        BodRecords fixed = new BodRecords("ACME_PRD", InforBackend.M3, "300", SCHEMAS, ZoneId.of("UTC"));
        assertEquals("300", read(fixed, purchaseOrder("Add", "1", "1", "")).company());
        assertEquals("AAA", read(fixed, purchaseOrder("Add", "1", "1", "")).division());

        BodRecords syteLine = new BodRecords("ACME_PRD", InforBackend.SYTELINE, null, SCHEMAS, ZoneId.of("UTC"));
        BodRecords.Mapped po = syteLine.map(BodDocument.parse(bytes(purchaseOrder("Add", "PO0001", "1", ""))),
                "DALS", null);
        assertEquals("DALS", po.company(), "the message's accountingEntity parameter comes first");
        assertNull(po.division());
        assertEquals("syteline", po.value().getString("backend"));
    }

    @Test
    void aDeleteCarriesItsKeyAndNoValue() throws Exception {
        BodRecords.Mapped deleted = read(m3, purchaseOrder("Delete", "4000000123", "9", ""));
        assertEquals(BodDocument.Action.DELETE, deleted.action());
        assertEquals("4000000123", deleted.number());
        assertEquals(9L, deleted.variation());
        assertNull(deleted.value());
    }

    @Test
    void theMessagesVariationIsUsedWhenTheDocumentIdHasNone() throws Exception {
        String xml = purchaseOrder("Replace", "42", "1", "").replace(" variationID=\"1\"", "");
        assertEquals(12L, m3.map(BodDocument.parse(bytes(xml)), null, 12L).variation());
        assertNull(m3.map(BodDocument.parse(bytes(xml)), null, null).variation(), "no order known at all");
    }

    @Test
    void aSupplierInvoiceBecomesThePollersInvoiceRecord() throws Exception {
        String xml = """
                <SyncSupplierInvoice xmlns="http://schema.infor.com/InforOAGIS/2">
                  <ApplicationArea><BODID>infor-nid:ACME_PRD:100_BBB:BBB:INV-9:?SupplierInvoice&amp;verb=Sync</BODID>
                    <CreationDateTime>2026-12-06T09:00:00Z</CreationDateTime></ApplicationArea>
                  <DataArea>
                    <Sync><AccountingEntityID>100_BBB</AccountingEntityID></Sync>
                    <SupplierInvoice>
                      <SupplierInvoiceHeader>
                        <DocumentID><ID variationID="3">INV-9</ID></DocumentID>
                        <DocumentDateTime>2026-12-01T00:00:00Z</DocumentDateTime>
                        <SupplierParty><PartyIDs><ID>S00002</ID></PartyIDs><Name>Süd</Name></SupplierParty>
                        <TotalAmount currencyID="SEK">10.1</TotalAmount>
                        <PurchaseOrderReference><DocumentID><ID>4000000123</ID></DocumentID></PurchaseOrderReference>
                      </SupplierInvoiceHeader>
                    </SupplierInvoice>
                  </DataArea>
                </SyncSupplierInvoice>
                """;
        BodRecords.Mapped invoice = read(m3, xml);
        assertEquals(Entity.SUPPLIER_INVOICES, invoice.entity());
        assertEquals(BodDocument.Action.REPLACE, invoice.action(), "a Sync without an action code is a Replace");
        Struct v = invoice.value();
        v.validate();
        assertEquals(SCHEMAS.supplierInvoice, v.schema());
        assertEquals("INV-9", v.getString("invoice_number"));
        assertEquals("S00002", v.getString("supplier_id"));
        assertEquals(new BigDecimal("10.10"), v.get("amount"));
        assertEquals("SEK", v.getString("currency"));
        assertEquals("4000000123", v.getString("po_number"));
        assertEquals(RecordSchemas.date(LocalDate.of(2026, 12, 1)), v.get("invoice_date"));
        assertEquals(Date.from(Instant.parse("2026-12-06T09:00:00Z")), v.get("changed_at"),
                "without LastModificationDateTime, the BOD's creation time");
    }

    @Test
    void aTimeWithoutAnOffsetIsReadInTheConfiguredZone() throws Exception {
        String xml = purchaseOrder("Replace", "1", "1", "")
                .replace("2026-12-06T11:00:00+01:00", "2026-12-06T11:00:00");
        Struct v = read(m3, xml).value();
        assertEquals(Date.from(Instant.parse("2026-12-06T10:00:00Z")), v.get("changed_at"));
        assertEquals("Europe/Stockholm", v.getString("source_zone"));
    }

    @Test
    void nonConformingBodsAreRefusedWithAReasonThatNamesWhatIsWrong() {
        assertNotABod("not well-formed", purchaseOrder("Replace", "1", "1", "").replace("</SyncPurchaseOrder>", ""));
        assertNotABod("not an OAGIS verb", "<PurchaseOrder/>");
        assertNotABod("no DataArea", "<SyncPurchaseOrder/>");
        assertNotABod("not a document this source takes", purchaseOrder("Replace", "1", "1", "")
                .replace("SyncPurchaseOrder", "SyncSalesOrder").replace("PurchaseOrder>", "SalesOrder>"));
        assertNotABod("not a document this source takes", purchaseOrder("Replace", "1", "1", "")
                .replace("SyncPurchaseOrder", "ProcessPurchaseOrder"));
        assertNotABod("DocumentID/ID is missing", purchaseOrder("Replace", "", "1", ""));
        assertNotABod("unknown actionCode 'Upsert'", purchaseOrder("Upsert", "1", "1", ""));
        assertNotABod("variationID 'x' is not a number", purchaseOrder("Replace", "1", "x", "")
                .replace("variationID=x", ""));
        assertNotABod("no supplier", purchaseOrder("Replace", "1", "1", "").replace("<ID>S00001</ID>", ""));
        assertNotABod("ExtendedAmount '12,50' is not a number", purchaseOrder("Replace", "1", "1", "")
                .replace("1234.50", "12,50"));
        assertNotABod("has more than 2 decimals", purchaseOrder("Replace", "1", "1", "")
                .replace("1234.50", "1234.505"));
        assertNotABod("OrderDateTime '05.12.2026' is not an ISO 8601 date", purchaseOrder("Replace", "1", "1", "")
                .replace("2026-12-05T00:00:00Z", "05.12.2026"));
        assertNotABod("no LineNumber", purchaseOrder("Replace", "1", "1", "").replace("<LineNumber>2</LineNumber>", ""));
    }

    @Test
    void entitiesAndDoctypesAreNeverExpanded() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE SyncPurchaseOrder [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <SyncPurchaseOrder><DataArea/></SyncPurchaseOrder>
                """;
        assertNotABod("DOCTYPE", xxe);
        String bomb = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
                <SyncPurchaseOrder><DataArea>&lol2;</DataArea></SyncPurchaseOrder>
                """;
        assertNotABod("DOCTYPE", bomb);
    }

    private void assertNotABod(String reasonPart, String xml) {
        BodDocument.NotABod e = assertThrows(BodDocument.NotABod.class, () -> read(m3, xml), reasonPart);
        assertTrue(e.getMessage().contains(reasonPart), "'" + e.getMessage() + "' names " + reasonPart);
    }
}
