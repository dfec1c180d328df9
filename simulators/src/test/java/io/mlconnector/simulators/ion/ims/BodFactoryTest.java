package io.mlconnector.simulators.ion.ims;

import static io.mlconnector.simulators.ion.ims.ImsTestSupport.childNames;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.count;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.parse;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.xp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class BodFactoryTest {

    static final Instant CREATED = Instant.parse("2026-12-06T10:00:00.750Z");
    static final BodFactory FACTORY = new BodFactory(Clock.fixed(CREATED, ZoneOffset.UTC), "M3BE", "");
    static final String NASTY = "Nord & Söhne <GmbH> | \"Tief\"; 'x' ]]>\nzweite\r\nZeile 北京 Москва 𝄞";

    static PurchaseOrderVersion po(String supplierName, long variation, ActionCode action) {
        return new PurchaseOrderVersion("ACME_TST", "100_AAA", "AAA1", "lid://infor.m3.m3", "4000000001", variation, action,
                "20", "S00001", supplierName, LocalDate.parse("2026-12-05"), "EUR", new BigDecimal("1234.50"), "BUYER01",
                Instant.parse("2026-12-06T09:59:01Z"), List.of(
                        new PurchaseOrderVersion.Line(1, "ITEM1", "Bolt | M8; \"zinc\" <10/pk> & co", new BigDecimal("5"), "EA",
                                new BigDecimal("10.00"), new BigDecimal("50.00")),
                        new PurchaseOrderVersion.Line(2, "ITEM-2", "Kabel Ø2", new BigDecimal("2.500"), "KG",
                                new BigDecimal("473.60"), new BigDecimal("1184.00"))));
    }

    static SupplierInvoiceVersion invoice(ActionCode action) {
        return new SupplierInvoiceVersion("ACME_TST", "100_AAA", "AAA1", "lid://infor.m3.m3", "INV|5000003;\"Ö\"", 7, action,
                LocalDate.parse("2026-12-10"), "S00005", NASTY, "SEK", new BigDecimal("99.95"), "4000000001",
                List.of(new SupplierInvoiceVersion.Line(1, "ITEM1", "Bolt <&>", new BigDecimal("3"), "EA", new BigDecimal("99.95"))));
    }

    @Test
    void purchaseOrderHasTheEnvelopeAndFieldsOfReference3() throws Exception {
        BodDocument bod = FACTORY.purchaseOrder(po("Supplier 1", 5, ActionCode.Replace));
        assertEquals("Sync.PurchaseOrder", bod.documentName());
        assertEquals("4000000001", bod.documentId());
        assertEquals(5, bod.variationId());
        assertTrue(bod.xmlString().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), bod.xmlString());
        Document d = parse(bod.xml());
        assertEquals("SyncPurchaseOrder", d.getDocumentElement().getLocalName());
        assertEquals("http://schema.infor.com/InforOAGIS/2", d.getDocumentElement().getNamespaceURI());
        assertEquals("9.2", xp(d, "/o:SyncPurchaseOrder/@releaseID"));
        assertEquals("2.14.6", xp(d, "/o:SyncPurchaseOrder/@versionID"));
        assertEquals(List.of("ApplicationArea", "DataArea"), childNames(d, "/o:SyncPurchaseOrder"));
        String app = "/o:SyncPurchaseOrder/o:ApplicationArea";
        assertEquals(List.of("Sender", "CreationDateTime", "BODID"), childNames(d, app));
        assertEquals(List.of("LogicalID", "ComponentID", "ConfirmationCode"), childNames(d, app + "/o:Sender"));
        assertEquals("lid://infor.m3.m3", xp(d, app + "/o:Sender/o:LogicalID"));
        assertEquals("M3BE", xp(d, app + "/o:Sender/o:ComponentID"));
        assertEquals("OnError", xp(d, app + "/o:Sender/o:ConfirmationCode"));
        assertEquals("2026-12-06T10:00:00Z", xp(d, app + "/o:CreationDateTime"));
        assertEquals("infor-nid:ACME_TST:100_AAA:AAA1:4000000001:?PurchaseOrder&verb=Sync&variationID=5", xp(d, app + "/o:BODID"));
        assertTrue(bod.xmlString().contains("?PurchaseOrder&amp;verb=Sync&amp;variationID=5</BODID>"));

        String sync = "/o:SyncPurchaseOrder/o:DataArea/o:Sync";
        assertEquals(List.of("TenantID", "AccountingEntityID", "LocationID", "ActionCriteria"), childNames(d, sync));
        assertEquals("ACME_TST", xp(d, sync + "/o:TenantID"));
        assertEquals("100_AAA", xp(d, sync + "/o:AccountingEntityID"));
        assertEquals("AAA1", xp(d, sync + "/o:LocationID"));
        assertEquals("Replace", xp(d, sync + "/o:ActionCriteria/o:ActionExpression/@actionCode"));

        String head = "/o:SyncPurchaseOrder/o:DataArea/o:PurchaseOrder/o:PurchaseOrderHeader";
        assertEquals(List.of("DocumentID", "LastModificationDateTime", "OrderDateTime", "Status", "SupplierParty",
                "CustomerParty", "ExtendedAmount"), childNames(d, head));
        assertEquals("4000000001", xp(d, head + "/o:DocumentID/o:ID"));
        assertEquals("100_AAA", xp(d, head + "/o:DocumentID/o:ID/@accountingEntity"));
        assertEquals("AAA1", xp(d, head + "/o:DocumentID/o:ID/@location"));
        assertEquals("lid://infor.m3.m3", xp(d, head + "/o:DocumentID/o:ID/@lid"));
        assertEquals("5", xp(d, head + "/o:DocumentID/o:ID/@variationID"));
        assertEquals("2026-12-06T09:59:01Z", xp(d, head + "/o:LastModificationDateTime"));
        assertEquals("2026-12-05T00:00:00Z", xp(d, head + "/o:OrderDateTime"));
        assertEquals("20", xp(d, head + "/o:Status/o:Code"));
        assertEquals("S00001", xp(d, head + "/o:SupplierParty/o:PartyIDs/o:ID"));
        assertEquals("Supplier 1", xp(d, head + "/o:SupplierParty/o:Name"));
        assertEquals("BUYER01", xp(d, head + "/o:CustomerParty/o:BuyerContact/o:ID"));
        assertEquals("1234.50", xp(d, head + "/o:ExtendedAmount"));
        assertEquals("EUR", xp(d, head + "/o:ExtendedAmount/@currencyID"));

        String line = "/o:SyncPurchaseOrder/o:DataArea/o:PurchaseOrder/o:PurchaseOrderLine";
        assertEquals(2, count(d, line));
        assertEquals(List.of("LineNumber", "Item", "Quantity", "UnitPrice", "ExtendedAmount"), childNames(d, line + "[1]"));
        assertEquals("1", xp(d, line + "[1]/o:LineNumber"));
        assertEquals("ITEM1", xp(d, line + "[1]/o:Item/o:ItemID/o:ID"));
        assertEquals("Bolt | M8; \"zinc\" <10/pk> & co", xp(d, line + "[1]/o:Item/o:Description"));
        assertEquals("5", xp(d, line + "[1]/o:Quantity"));
        assertEquals("EA", xp(d, line + "[1]/o:Quantity/@unitCode"));
        assertEquals("10.00", xp(d, line + "[1]/o:UnitPrice/o:Amount"));
        assertEquals("EUR", xp(d, line + "[1]/o:UnitPrice/o:Amount/@currencyID"));
        assertEquals("1", xp(d, line + "[1]/o:UnitPrice/o:PerQuantity"));
        assertEquals("EA", xp(d, line + "[1]/o:UnitPrice/o:PerQuantity/@unitCode"));
        assertEquals("50.00", xp(d, line + "[1]/o:ExtendedAmount"));
        assertEquals("EUR", xp(d, line + "[1]/o:ExtendedAmount/@currencyID"));
        assertEquals("2.500", xp(d, line + "[2]/o:Quantity"));
        assertEquals("KG", xp(d, line + "[2]/o:Quantity/@unitCode"));
    }

    @Test
    void freeTextIsEscapedAndRoundTripsThroughADomParser() throws Exception {
        BodDocument bod = FACTORY.purchaseOrder(po(NASTY, 1, ActionCode.Add));
        String raw = bod.xmlString();
        assertTrue(raw.contains("&lt;GmbH&gt;") || raw.contains("&lt;GmbH>"), raw);
        assertTrue(raw.contains("Nord &amp; Söhne"), raw);
        assertFalse(raw.contains("<GmbH>"));
        assertTrue(raw.contains("&#13;"), "a carriage return is written as a character reference");
        assertTrue(new String(bod.xml(), StandardCharsets.UTF_8).contains("北京 Москва 𝄞"), "UTF-8, not character references");
        Document d = parse(bod.xml());
        assertEquals(NASTY, xp(d, "//o:SupplierParty/o:Name"));
        assertEquals("Bolt | M8; \"zinc\" <10/pk> & co", xp(d, "//o:PurchaseOrderLine[1]/o:Item/o:Description"));
    }

    @Test
    void supplierInvoiceHasTheShapeOfReference33() throws Exception {
        BodDocument bod = FACTORY.supplierInvoice(invoice(ActionCode.Add));
        assertEquals("Sync.SupplierInvoice", bod.documentName());
        assertEquals("INV|5000003;\"Ö\"", bod.documentId());
        Document d = parse(bod.xml());
        assertEquals("SyncSupplierInvoice", d.getDocumentElement().getLocalName());
        assertEquals("infor-nid:ACME_TST:100_AAA:AAA1:INV|5000003;\"Ö\":?SupplierInvoice&verb=Sync&variationID=7",
                xp(d, "//o:ApplicationArea/o:BODID"));
        assertEquals("Add", xp(d, "//o:Sync/o:ActionCriteria/o:ActionExpression/@actionCode"));
        String head = "/o:SyncSupplierInvoice/o:DataArea/o:SupplierInvoice/o:SupplierInvoiceHeader";
        assertEquals(List.of("DocumentID", "DocumentDateTime", "SupplierParty", "TotalAmount", "PurchaseOrderReference"),
                childNames(d, head));
        assertEquals("INV|5000003;\"Ö\"", xp(d, head + "/o:DocumentID/o:ID"));
        assertEquals("7", xp(d, head + "/o:DocumentID/o:ID/@variationID"));
        assertEquals("lid://infor.m3.m3", xp(d, head + "/o:DocumentID/o:ID/@lid"));
        assertEquals("2026-12-10T00:00:00Z", xp(d, head + "/o:DocumentDateTime"));
        assertEquals("S00005", xp(d, head + "/o:SupplierParty/o:PartyIDs/o:ID"));
        assertEquals(NASTY, xp(d, head + "/o:SupplierParty/o:Name"));
        assertEquals("99.95", xp(d, head + "/o:TotalAmount"));
        assertEquals("SEK", xp(d, head + "/o:TotalAmount/@currencyID"));
        assertEquals("4000000001", xp(d, head + "/o:PurchaseOrderReference/o:DocumentID/o:ID"));
        String line = "/o:SyncSupplierInvoice/o:DataArea/o:SupplierInvoice/o:SupplierInvoiceLine";
        assertEquals(List.of("LineNumber", "Item", "Quantity", "ExtendedAmount"), childNames(d, line));
        assertEquals("Bolt <&>", xp(d, line + "/o:Item/o:Description"));
        assertEquals("EA", xp(d, line + "/o:Quantity/@unitCode"));
        assertEquals("SEK", xp(d, line + "/o:ExtendedAmount/@currencyID"));
    }

    @Test
    void aDeleteCarriesTheDocumentIdAndTheDeleteActionOnly() throws Exception {
        Document d = parse(FACTORY.purchaseOrder(po("x", 9, ActionCode.Delete)).xml());
        assertEquals("Delete", xp(d, "//o:Sync/o:ActionCriteria/o:ActionExpression/@actionCode"));
        assertEquals(List.of("DocumentID"), childNames(d, "//o:PurchaseOrderHeader"));
        assertEquals("9", xp(d, "//o:PurchaseOrderHeader/o:DocumentID/o:ID/@variationID"));
        assertEquals(0, count(d, "//o:PurchaseOrderLine"));
        Document inv = parse(FACTORY.supplierInvoice(invoice(ActionCode.Delete)).xml());
        assertEquals(List.of("DocumentID"), childNames(inv, "//o:SupplierInvoiceHeader"));
        assertEquals(0, count(inv, "//o:SupplierInvoiceLine"));
    }

    @Test
    void defectsBreakExactlyWhatTheyName() throws Exception {
        PurchaseOrderVersion v = po("Supplier 1", 3, ActionCode.Replace);
        Document missing = parse(FACTORY.purchaseOrder(v, Set.of(BodDefect.MISSING_DOCUMENT_ID)).xml());
        assertEquals(0, count(missing, "//o:DocumentID"));
        assertEquals("S00001", xp(missing, "//o:SupplierParty/o:PartyIDs/o:ID"));

        Document empty = parse(FACTORY.purchaseOrder(v, Set.of(BodDefect.EMPTY_DOCUMENT_ID)).xml());
        assertEquals(1, count(empty, "//o:PurchaseOrderHeader/o:DocumentID/o:ID"));
        assertEquals("", xp(empty, "//o:PurchaseOrderHeader/o:DocumentID/o:ID"));

        Document noVariation = parse(FACTORY.purchaseOrder(v, Set.of(BodDefect.MISSING_VARIATION_ID)).xml());
        assertEquals(0, count(noVariation, "//o:PurchaseOrderHeader/o:DocumentID/o:ID/@variationID"));
        assertFalse(xp(noVariation, "//o:BODID").contains("variationID"));

        Document noAction = parse(FACTORY.purchaseOrder(v, Set.of(BodDefect.MISSING_ACTION_CODE)).xml());
        assertEquals(0, count(noAction, "//o:ActionCriteria"));

        BodDocument wrongRoot = FACTORY.purchaseOrder(v, Set.of(BodDefect.WRONG_ROOT));
        assertEquals("ShowPurchaseOrder", parse(wrongRoot.xml()).getDocumentElement().getLocalName());
        assertEquals("Sync.PurchaseOrder", wrongRoot.documentName(), "the parameters still say Sync");
        assertEquals(Set.of(BodDefect.WRONG_ROOT), wrongRoot.defects());

        Document noNs = parse(FACTORY.purchaseOrder(v, Set.of(BodDefect.NO_NAMESPACE)).xml());
        assertEquals(null, noNs.getDocumentElement().getNamespaceURI());
        assertEquals("SyncPurchaseOrder", noNs.getDocumentElement().getLocalName());

        byte[] cut = FACTORY.purchaseOrder(v, Set.of(BodDefect.NOT_WELL_FORMED)).xml();
        assertThrows(org.xml.sax.SAXParseException.class, () -> parse(cut));

        BodDocument xxe = FACTORY.purchaseOrder(v, Set.of(BodDefect.EXTERNAL_ENTITY));
        assertTrue(xxe.xmlString().contains("<!ENTITY ext SYSTEM \"file:///etc/hostname\">"), xxe.xmlString());
        assertTrue(xxe.xmlString().contains("<Name>&ext;Supplier 1</Name>"), xxe.xmlString());
        assertThrows(org.xml.sax.SAXParseException.class, () -> parse(xxe.xml()), "a DOCTYPE-refusing parser rejects it");
        Document unresolved = ImsTestSupport.parseAllowingDoctype(xxe.xml());
        assertEquals("SyncPurchaseOrder", unresolved.getDocumentElement().getLocalName());

        Document conforming = parse(FACTORY.purchaseOrder(v).xml());
        assertEquals(1, count(conforming, "//o:PurchaseOrderHeader/o:DocumentID/o:ID/@variationID"));
        assertEquals(Set.of(), FACTORY.purchaseOrder(v).defects());
    }

    @Test
    void refusesCharactersXml10CannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> FACTORY.purchaseOrder(po("bell \u0007", 1, ActionCode.Add)));
        assertThrows(IllegalArgumentException.class, () -> FACTORY.purchaseOrder(po("half \uD800 pair", 1, ActionCode.Add)));
    }

    @Test
    void creationTimeComesFromTheClockOrTheCaller() throws Exception {
        PurchaseOrderVersion v = po("S", 1, ActionCode.Add);
        assertEquals("2026-12-06T10:00:00Z", xp(parse(FACTORY.purchaseOrder(v).xml()), "//o:CreationDateTime"));
        assertEquals("2027-01-02T03:04:05Z", xp(parse(FACTORY.purchaseOrder(v, Instant.parse("2027-01-02T03:04:05Z"),
                Set.of()).xml()), "//o:CreationDateTime"));
        BodFactory revised = new BodFactory(Clock.fixed(CREATED, ZoneOffset.UTC), "M3BE", "R2");
        BodDocument r = revised.purchaseOrder(v);
        assertEquals("R2", r.revisionId());
        assertEquals("infor-nid:ACME_TST:100_AAA:AAA1:4000000001:R2?PurchaseOrder&verb=Sync&variationID=1",
                xp(parse(r.xml()), "//o:BODID"));
    }
}
