package io.mlconnector.ion.bod;

import static io.mlconnector.ion.bod.BodDocument.children;
import static io.mlconnector.ion.bod.BodDocument.element;
import static io.mlconnector.ion.bod.BodDocument.text;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.w3c.dom.Element;

/**
 * Turns the Sync BODs this source takes into the records the Infor source writes, same schemas, topics and keys
 * (infor-records), so that a sink composes with either intake. The XPaths are those of ion-ims-bod.md 3.2
 * (purchase orders) and 3.3 (supplier invoices).
 *
 * <p>The company of the key: the {@code company} setting when set; otherwise read from the accounting entity,
 * which M3 writes as {@code <CONO>_<DIVI>} and SyteLine as the site (ion-ims-bod.md marks the M3 form as what
 * consumers see, not as documented; docs/ion-document-flow.md says when to set {@code company}).
 */
final class BodRecords {

    /** One BOD as a record: its key parts, variation and value; the value is null for a Delete. */
    record Mapped(Entity entity, String company, String division, String number, Long variation, Struct value,
                  BodDocument.Action action) {

        /**
         * The document's source partition, under which its newest version is stored ({@link DocumentVersions}).
         * A HashMap, as Connect's offsets REST API answers, so that a partition copied from there matches.
         */
        Map<String, Object> partition(String tenant) {
            Map<String, Object> partition = new HashMap<>();
            partition.put("protocol", PARTITION_PROTOCOL);
            partition.put("tenant", tenant);
            partition.put("entity", entity.id());
            partition.put("company", company);
            partition.put("number", number);
            return partition;
        }
    }

    /** The version of the partition format, so that it can change later without losing what is stored. */
    static final String PARTITION_PROTOCOL = "1";

    private final String tenant;
    private final InforBackend backend;
    private final String company;
    private final RecordSchemas schemas;
    private final ZoneId zone;

    /**
     * @param company the key's company for every BOD; null or empty to read it from the accounting entity
     * @param zone    where BOD times written without an offset are read
     */
    BodRecords(String tenant, InforBackend backend, String company, RecordSchemas schemas, ZoneId zone) {
        this.tenant = tenant;
        this.backend = backend;
        this.company = company == null || company.isBlank() ? null : company.trim();
        this.schemas = schemas;
        this.zone = zone;
    }

    /**
     * @param accountingEntity the message's accountingEntity parameter; the BOD's own is used when it is null
     * @param variationId      the message's variationId parameter; the DocumentID's own attribute comes first
     */
    Mapped map(BodDocument bod, String accountingEntity, Long variationId) throws BodDocument.NotABod {
        Entity entity = IonBodSourceConfig.DOCUMENT_ENTITIES.get(bod.documentName());
        if (entity == null) {
            throw new BodDocument.NotABod(bod.documentName() + " is not a document this source takes; it takes "
                    + "Sync.PurchaseOrder and Sync.SupplierInvoice");
        }
        BodDocument.Action action = bod.action();
        Element noun = bod.nounElement();
        Element header = BodDocument.child(noun, bod.noun() + "Header");
        Element id = element(header, "DocumentID", "ID");
        String number = id == null ? null : text(id);
        if (number == null) {
            throw new BodDocument.NotABod(bod.noun() + "Header/DocumentID/ID is missing: the document has no number");
        }
        Long variation = variation(id, variationId);
        String ae = accountingEntity != null && !accountingEntity.isBlank() ? accountingEntity.trim() : bod.accountingEntity();
        String keyCompany = company;
        String division = null;
        if (backend == InforBackend.M3 && ae != null) {
            int underscore = ae.indexOf('_');
            division = underscore < 0 ? null : ae.substring(underscore + 1);
            keyCompany = keyCompany != null ? keyCompany : underscore < 0 ? ae : ae.substring(0, underscore);
        } else if (keyCompany == null) {
            keyCompany = ae;
        }
        if (keyCompany == null || keyCompany.isEmpty()) {
            throw new BodDocument.NotABod("the message and the BOD name no accounting entity, so the record's company "
                    + "is unknown; set the connector's company setting");
        }
        if (action == BodDocument.Action.DELETE) {
            return new Mapped(entity, keyCompany, division, number, variation, null, action);
        }
        Struct value = RecordSchemas.value(schemas.of(entity), tenant, backend.name().toLowerCase(Locale.ROOT),
                keyCompany, division, number);
        if (entity == Entity.PURCHASE_ORDERS) {
            purchaseOrder(value, header, noun);
        } else {
            supplierInvoice(value, header);
        }
        Stamp changed = changedAt(bod, header);
        value.put("changed_at", Date.from(changed.at())).put("source_zone", changed.zone());
        return new Mapped(entity, keyCompany, division, number, variation, value, action);
    }

    private void purchaseOrder(Struct value, Element header, Element noun) throws BodDocument.NotABod {
        Element total = element(header, "ExtendedAmount");
        List<Struct> lines = new ArrayList<>();
        for (Element line : children(noun, "PurchaseOrderLine")) {
            String lineNumber = text(line, "LineNumber");
            if (lineNumber == null) {
                throw new BodDocument.NotABod("a PurchaseOrderLine has no LineNumber");
            }
            Element quantity = element(line, "Quantity");
            lines.add(new Struct(schemas.purchaseOrderLine)
                    .put("line", lineNumber)
                    .put("item", text(line, "Item", "ItemID", "ID"))
                    .put("description", text(line, "Item", "Description"))
                    .put("quantity", decimal(quantity, "PurchaseOrderLine/Quantity", RecordSchemas.QUANTITY_SCALE))
                    .put("unit", attribute(quantity, "unitCode"))
                    .put("amount", decimal(element(line, "ExtendedAmount"), "PurchaseOrderLine/ExtendedAmount",
                            schemas.amountScale)));
        }
        value.put("supplier_id", supplierId(header))
                .put("supplier_name", text(header, "SupplierParty", "Name"))
                .put("order_date", RecordSchemas.date(day(text(header, "OrderDateTime"), "OrderDateTime")))
                .put("status", text(header, "Status", "Code"))
                .put("amount", decimal(total, "PurchaseOrderHeader/ExtendedAmount", schemas.amountScale))
                .put("currency", attribute(total, "currencyID"))
                .put("buyer", text(header, "CustomerParty", "BuyerContact", "ID"))
                .put("lines", lines);
    }

    private void supplierInvoice(Struct value, Element header) throws BodDocument.NotABod {
        Element total = element(header, "TotalAmount");
        value.put("invoice_number", value.getString("number"))
                .put("supplier_id", supplierId(header))
                .put("supplier_name", text(header, "SupplierParty", "Name"))
                .put("invoice_date", RecordSchemas.date(day(text(header, "DocumentDateTime"), "DocumentDateTime")))
                .put("amount", decimal(total, "SupplierInvoiceHeader/TotalAmount", schemas.amountScale))
                .put("currency", attribute(total, "currencyID"))
                .put("po_number", text(header, "PurchaseOrderReference", "DocumentID", "ID"))
                .put("status", text(header, "Status", "Code"));
    }

    private static String supplierId(Element header) throws BodDocument.NotABod {
        String id = text(header, "SupplierParty", "PartyIDs", "ID");
        if (id == null) {
            throw new BodDocument.NotABod("SupplierParty/PartyIDs/ID is missing: the document has no supplier");
        }
        return id;
    }

    /** The DocumentID's {@code variationID} attribute, else the message's parameter, else null (no order known). */
    private static Long variation(Element id, Long fromMessage) throws BodDocument.NotABod {
        String attribute = id.getAttribute("variationID").trim();
        if (attribute.isEmpty()) {
            return fromMessage;
        }
        try {
            return Long.parseLong(attribute);
        } catch (NumberFormatException e) {
            throw new BodDocument.NotABod("DocumentID/ID/@variationID '" + attribute + "' is not a number");
        }
    }

    private record Stamp(Instant at, String zone) {
    }

    /** LastModificationDateTime, else the BOD's CreationDateTime: when the document changed, as its source says. */
    private Stamp changedAt(BodDocument bod, Element header) throws BodDocument.NotABod {
        String modified = text(header, "LastModificationDateTime");
        String stamp = modified != null ? modified : bod.creationDateTime();
        if (stamp == null) {
            throw new BodDocument.NotABod("neither LastModificationDateTime nor ApplicationArea/CreationDateTime is "
                    + "set: the record's changed_at is unknown");
        }
        try {
            OffsetDateTime withOffset = OffsetDateTime.parse(stamp);
            return new Stamp(withOffset.toInstant(), withOffset.getOffset().getId());
        } catch (DateTimeParseException noOffset) {
            try {
                return new Stamp(LocalDateTime.parse(stamp).atZone(zone).toInstant(), zone.getId());
            } catch (DateTimeParseException e) {
                throw new BodDocument.NotABod("'" + stamp + "' is not an ISO 8601 date-time");
            }
        }
    }

    /** A calendar day from a date or a date-time, as written (a date-time's own day, not converted). */
    private static LocalDate day(String text, String element) throws BodDocument.NotABod {
        if (text == null) {
            return null;
        }
        try {
            return text.length() <= 10 ? LocalDate.parse(text) : LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeParseException e) {
            throw new BodDocument.NotABod(element + " '" + text + "' is not an ISO 8601 date");
        }
    }

    private static BigDecimal decimal(Element amount, String where, int scale) throws BodDocument.NotABod {
        String text = amount == null ? null : text(amount);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text.trim()).stripTrailingZeros().setScale(scale, RoundingMode.UNNECESSARY);
        } catch (NumberFormatException e) {
            throw new BodDocument.NotABod(where + " '" + text + "' is not a number");
        } catch (ArithmeticException e) {
            throw new BodDocument.NotABod(where + " '" + text + "' has more than " + scale + " decimals");
        }
    }

    private static String attribute(Element element, String name) {
        if (element == null) {
            return null;
        }
        String value = element.getAttribute(name).trim();
        return value.isEmpty() ? null : value;
    }
}
