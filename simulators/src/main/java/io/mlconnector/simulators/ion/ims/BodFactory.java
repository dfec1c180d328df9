package io.mlconnector.simulators.ion.ims;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Builds {@code Sync.PurchaseOrder} and {@code Sync.SupplierInvoice} BODs as M3 publishes them (reference 3.1, 3.2,
 * 3.3), as UTF-8 XML written with StAX, so every text and attribute value is escaped by the XML writer.
 *
 * <p>Shape ({@code N} = {@value #NAMESPACE}, root attributes {@code releaseID="9.2" versionID="2.14.6"}):
 * <pre>
 * SyncPurchaseOrder
 *   ApplicationArea
 *     Sender/LogicalID (the version's logicalId), Sender/ComponentID, Sender/ConfirmationCode = OnError
 *     CreationDateTime (UTC, whole seconds)
 *     BODID infor-nid:TENANT:AE:LOCATION:DOCID:REV?PurchaseOrder&amp;verb=Sync&amp;variationID=N
 *   DataArea
 *     Sync/TenantID, AccountingEntityID, LocationID, ActionCriteria/ActionExpression/@actionCode
 *     PurchaseOrder/PurchaseOrderHeader: DocumentID/ID(@accountingEntity @location @lid @variationID),
 *         LastModificationDateTime, OrderDateTime, Status/Code, SupplierParty/PartyIDs/ID, SupplierParty/Name,
 *         CustomerParty/BuyerContact/ID, ExtendedAmount/@currencyID
 *     PurchaseOrder/PurchaseOrderLine*: LineNumber, Item/ItemID/ID, Item/Description, Quantity/@unitCode,
 *         UnitPrice/Amount/@currencyID, UnitPrice/PerQuantity/@unitCode (1), ExtendedAmount/@currencyID
 * SyncSupplierInvoice: the same envelope; SupplierInvoice/SupplierInvoiceHeader: DocumentID/ID (same attributes),
 *     DocumentDateTime, SupplierParty/PartyIDs/ID, SupplierParty/Name, TotalAmount/@currencyID,
 *     PurchaseOrderReference/DocumentID/ID; SupplierInvoiceLine*: LineNumber, Item/ItemID/ID, Item/Description,
 *     Quantity/@unitCode, ExtendedAmount/@currencyID
 * </pre>
 * A {@link ActionCode#Delete} BOD carries only the {@code DocumentID} in its header and no lines.
 *
 * <p>Choices the reference leaves open: {@code ComponentID} (the reference only gives LN's {@code erp}) defaults to
 * {@value #DEFAULT_COMPONENT_ID}; the revision segment of the BODID and the {@code revisionId} parameter default to
 * empty; dates without a time ({@code OrderDateTime}, {@code DocumentDateTime}) are written as midnight UTC.
 * Text is written as given, except that a carriage return is written as {@code &#13;} so that it survives XML
 * end-of-line normalisation; characters XML 1.0 cannot carry are refused.
 */
public final class BodFactory {

    public static final String NAMESPACE = "http://schema.infor.com/InforOAGIS/2";
    public static final String RELEASE_ID = "9.2";
    public static final String VERSION_ID = "2.14.6";
    public static final String DEFAULT_COMPONENT_ID = "M3BE";
    /** LN always sends {@code OnError} (reference 3.1, [C I21]). */
    public static final String CONFIRMATION_CODE = "OnError";
    /** What {@link BodDefect#EXTERNAL_ENTITY} declares: a harmless local file whose content would show if resolved. */
    public static final String EXTERNAL_ENTITY_SYSTEM_ID = "file:///etc/hostname";

    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private final Clock clock;
    private final String componentId;
    private final String revisionId;

    /** CreationDateTime from the system clock, ComponentID {@value #DEFAULT_COMPONENT_ID}, no revision. */
    public BodFactory() {
        this(Clock.systemUTC(), DEFAULT_COMPONENT_ID, "");
    }

    /**
     * @param clock       gives {@code CreationDateTime} when none is passed explicitly
     * @param componentId {@code Sender/ComponentID}
     * @param revisionId  the BODID revision segment and the ParameterRequest {@code revisionId} (empty for none)
     */
    public BodFactory(Clock clock, String componentId, String revisionId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.componentId = Objects.requireNonNull(componentId, "componentId");
        this.revisionId = revisionId == null ? "" : revisionId;
    }

    public BodDocument purchaseOrder(PurchaseOrderVersion v) {
        return purchaseOrder(v, clock.instant(), Set.of());
    }

    public BodDocument purchaseOrder(PurchaseOrderVersion v, Set<BodDefect> defects) {
        return purchaseOrder(v, clock.instant(), defects);
    }

    /** A {@code Sync.PurchaseOrder} with the given {@code CreationDateTime} and deliberate defects (may be empty). */
    public BodDocument purchaseOrder(PurchaseOrderVersion v, Instant creation, Set<BodDefect> defects) {
        Set<BodDefect> d = defects.isEmpty() ? EnumSet.noneOf(BodDefect.class) : EnumSet.copyOf(defects);
        Envelope env = new Envelope("PurchaseOrder", v.tenant(), v.accountingEntity(), v.location(), v.logicalId(),
                v.number(), v.variationId(), v.actionCode(), creation, d);
        byte[] xml = write(env, w -> {
            start(w, "PurchaseOrderHeader");
            documentId(w, env);
            if (v.actionCode() != ActionCode.Delete) {
                element(w, "LastModificationDateTime", v.lastModified() == null ? null : instant(v.lastModified()));
                element(w, "OrderDateTime", date(v.orderDate()));
                if (v.status() != null) {
                    start(w, "Status");
                    element(w, "Code", v.status());
                    w.writeEndElement();
                }
                supplierParty(w, v.supplierId(), v.supplierName(), env);
                if (v.buyer() != null) {
                    start(w, "CustomerParty");
                    start(w, "BuyerContact");
                    element(w, "ID", v.buyer());
                    w.writeEndElement();
                    w.writeEndElement();
                }
                amount(w, "ExtendedAmount", v.currency(), v.totalAmount());
            }
            w.writeEndElement();
            if (v.actionCode() != ActionCode.Delete) {
                for (PurchaseOrderVersion.Line line : v.lines()) {
                    start(w, "PurchaseOrderLine");
                    element(w, "LineNumber", String.valueOf(line.lineNumber()));
                    item(w, line.itemId(), line.description());
                    quantity(w, line.quantity(), line.unitCode());
                    if (line.unitPrice() != null) {
                        start(w, "UnitPrice");
                        amount(w, "Amount", v.currency(), line.unitPrice());
                        start(w, "PerQuantity");
                        attribute(w, "unitCode", line.unitCode());
                        w.writeCharacters("1");
                        w.writeEndElement();
                        w.writeEndElement();
                    }
                    amount(w, "ExtendedAmount", v.currency(), line.lineAmount());
                    w.writeEndElement();
                }
            }
        });
        return new BodDocument("Sync.PurchaseOrder", v.tenant(), v.accountingEntity(), v.location(), v.logicalId(),
                v.number(), v.variationId(), revisionId, v.actionCode(), xml, d);
    }

    public BodDocument supplierInvoice(SupplierInvoiceVersion v) {
        return supplierInvoice(v, clock.instant(), Set.of());
    }

    public BodDocument supplierInvoice(SupplierInvoiceVersion v, Set<BodDefect> defects) {
        return supplierInvoice(v, clock.instant(), defects);
    }

    /** A {@code Sync.SupplierInvoice} with the given {@code CreationDateTime} and deliberate defects (may be empty). */
    public BodDocument supplierInvoice(SupplierInvoiceVersion v, Instant creation, Set<BodDefect> defects) {
        Set<BodDefect> d = defects.isEmpty() ? EnumSet.noneOf(BodDefect.class) : EnumSet.copyOf(defects);
        Envelope env = new Envelope("SupplierInvoice", v.tenant(), v.accountingEntity(), v.location(), v.logicalId(),
                v.invoiceNumber(), v.variationId(), v.actionCode(), creation, d);
        byte[] xml = write(env, w -> {
            start(w, "SupplierInvoiceHeader");
            documentId(w, env);
            if (v.actionCode() != ActionCode.Delete) {
                element(w, "DocumentDateTime", date(v.documentDate()));
                supplierParty(w, v.supplierId(), v.supplierName(), env);
                amount(w, "TotalAmount", v.currency(), v.totalAmount());
                if (v.poNumber() != null) {
                    start(w, "PurchaseOrderReference");
                    start(w, "DocumentID");
                    element(w, "ID", v.poNumber());
                    w.writeEndElement();
                    w.writeEndElement();
                }
            }
            w.writeEndElement();
            if (v.actionCode() != ActionCode.Delete) {
                for (SupplierInvoiceVersion.Line line : v.lines()) {
                    start(w, "SupplierInvoiceLine");
                    element(w, "LineNumber", String.valueOf(line.lineNumber()));
                    item(w, line.itemId(), line.description());
                    quantity(w, line.quantity(), line.unitCode());
                    amount(w, "ExtendedAmount", v.currency(), line.lineAmount());
                    w.writeEndElement();
                }
            }
        });
        return new BodDocument("Sync.SupplierInvoice", v.tenant(), v.accountingEntity(), v.location(), v.logicalId(),
                v.invoiceNumber(), v.variationId(), revisionId, v.actionCode(), xml, d);
    }

    // ---- writing -------------------------------------------------------------------------------------------

    private record Envelope(String noun, String tenant, String accountingEntity, String location, String logicalId,
                            String documentId, long variationId, ActionCode actionCode, Instant creation,
                            Set<BodDefect> defects) {
        boolean has(BodDefect defect) {
            return defects.contains(defect);
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private byte[] write(Envelope env, Body noun) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            String root = (env.has(BodDefect.WRONG_ROOT) ? "Show" : "Sync") + env.noun();
            if (env.has(BodDefect.EXTERNAL_ENTITY)) {
                w.writeDTD("<!DOCTYPE " + root + " [<!ENTITY ext SYSTEM \"" + EXTERNAL_ENTITY_SYSTEM_ID + "\">]>");
            }
            w.writeStartElement(root);
            if (!env.has(BodDefect.NO_NAMESPACE)) {
                w.writeDefaultNamespace(NAMESPACE);
            }
            w.writeAttribute("releaseID", RELEASE_ID);
            w.writeAttribute("versionID", VERSION_ID);

            start(w, "ApplicationArea");
            start(w, "Sender");
            element(w, "LogicalID", env.logicalId());
            element(w, "ComponentID", componentId);
            element(w, "ConfirmationCode", CONFIRMATION_CODE);
            w.writeEndElement();
            element(w, "CreationDateTime", instant(env.creation().truncatedTo(ChronoUnit.SECONDS)));
            element(w, "BODID", bodId(env));
            w.writeEndElement();

            start(w, "DataArea");
            start(w, "Sync");
            element(w, "TenantID", env.tenant());
            element(w, "AccountingEntityID", env.accountingEntity());
            element(w, "LocationID", env.location());
            if (!env.has(BodDefect.MISSING_ACTION_CODE)) {
                start(w, "ActionCriteria");
                w.writeEmptyElement("ActionExpression");
                attribute(w, "actionCode", env.actionCode().name());
                w.writeEndElement();
            }
            w.writeEndElement();
            start(w, env.noun());
            noun.write(w);
            w.writeEndElement();
            w.writeEndElement();

            w.writeEndElement();
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the BOD", e);
        }
        byte[] bytes = out.toByteArray();
        if (env.has(BodDefect.EXTERNAL_ENTITY)) {
            // StAX has no entity-reference-in-text-with-escaping mix; place &ext; inside the supplier name by hand.
            String xml = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            int name = xml.indexOf("<Name>");
            xml = name < 0 ? xml : xml.substring(0, name + 6) + "&ext;" + xml.substring(name + 6);
            bytes = xml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (env.has(BodDefect.NOT_WELL_FORMED)) {
            bytes = Arrays.copyOf(bytes, Math.max(1, bytes.length - 40));
        }
        return bytes;
    }

    private String bodId(Envelope env) {
        StringBuilder id = new StringBuilder("infor-nid:").append(env.tenant()).append(':').append(env.accountingEntity())
                .append(':').append(env.location()).append(':').append(env.documentId()).append(':').append(revisionId)
                .append('?').append(env.noun()).append("&verb=Sync");
        if (!env.has(BodDefect.MISSING_VARIATION_ID)) {
            id.append("&variationID=").append(env.variationId());
        }
        return id.toString();
    }

    private static void documentId(XMLStreamWriter w, Envelope env) throws XMLStreamException {
        if (env.has(BodDefect.MISSING_DOCUMENT_ID)) {
            return;
        }
        start(w, "DocumentID");
        start(w, "ID");
        attribute(w, "accountingEntity", env.accountingEntity());
        attribute(w, "location", env.location());
        attribute(w, "lid", env.logicalId());
        if (!env.has(BodDefect.MISSING_VARIATION_ID)) {
            attribute(w, "variationID", String.valueOf(env.variationId()));
        }
        if (!env.has(BodDefect.EMPTY_DOCUMENT_ID)) {
            text(w, env.documentId());
        }
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void supplierParty(XMLStreamWriter w, String id, String name, Envelope env) throws XMLStreamException {
        if (id == null && name == null) {
            return;
        }
        start(w, "SupplierParty");
        if (id != null) {
            start(w, "PartyIDs");
            element(w, "ID", id);
            w.writeEndElement();
        }
        if (name != null || env.has(BodDefect.EXTERNAL_ENTITY)) {
            element(w, "Name", name == null ? "" : name);
        }
        w.writeEndElement();
    }

    private static void item(XMLStreamWriter w, String itemId, String description) throws XMLStreamException {
        if (itemId == null && description == null) {
            return;
        }
        start(w, "Item");
        if (itemId != null) {
            start(w, "ItemID");
            element(w, "ID", itemId);
            w.writeEndElement();
        }
        element(w, "Description", description);
        w.writeEndElement();
    }

    private static void quantity(XMLStreamWriter w, BigDecimal quantity, String unitCode) throws XMLStreamException {
        if (quantity == null) {
            return;
        }
        start(w, "Quantity");
        if (unitCode != null) {
            attribute(w, "unitCode", unitCode);
        }
        w.writeCharacters(quantity.toPlainString());
        w.writeEndElement();
    }

    private static void amount(XMLStreamWriter w, String name, String currency, BigDecimal value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        start(w, name);
        if (currency != null) {
            attribute(w, "currencyID", currency);
        }
        w.writeCharacters(value.toPlainString());
        w.writeEndElement();
    }

    private static void start(XMLStreamWriter w, String name) throws XMLStreamException {
        w.writeStartElement(name);
    }

    private static void element(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        start(w, name);
        text(w, value);
        w.writeEndElement();
    }

    /** Identifiers only: refuses line breaks and tabs, which attribute-value normalisation would turn into spaces. */
    private static void attribute(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        checkXmlChars(value);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\t') >= 0) {
            throw new IllegalArgumentException("attribute " + name + " must not hold line breaks or tabs: " + value);
        }
        w.writeAttribute(name, value);
    }

    private static void text(XMLStreamWriter w, String value) throws XMLStreamException {
        checkXmlChars(value);
        int from = 0;
        for (int cr = value.indexOf('\r'); cr >= 0; cr = value.indexOf('\r', from)) {
            w.writeCharacters(value.substring(from, cr));
            w.writeEntityRef("#13");
            from = cr + 1;
        }
        w.writeCharacters(value.substring(from));
    }

    /** XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
    private static void checkXmlChars(String value) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!ok) {
                throw new IllegalArgumentException(String.format("character U+%04X cannot appear in XML 1.0", c));
            }
            i += Character.charCount(c);
        }
    }

    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ISO_INSTANT;

    private static String instant(Instant value) {
        return INSTANT.format(value);
    }

    private static String date(LocalDate value) {
        return value == null ? null : INSTANT.format(value.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
