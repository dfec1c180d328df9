package io.mlconnector.simulators.ion.ims;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One published version of a supplier invoice: what one {@code Sync.SupplierInvoice} BOD carries. The reference
 * (3.3) gives the header shape from an exporter's document ([S]) and leaves the line structure to OAGIS convention
 * ([G]); this record carries exactly those fields. Nullable: {@code documentDate}, {@code supplierName},
 * {@code totalAmount}, {@code poNumber} (no {@code PurchaseOrderReference} then).
 *
 * @param invoiceNumber {@code SupplierInvoiceHeader/DocumentID/ID} and the ParameterRequest {@code documentId}
 * @param documentDate  {@code SupplierInvoiceHeader/DocumentDateTime} (midnight UTC)
 * @param poNumber      {@code SupplierInvoiceHeader/PurchaseOrderReference/DocumentID/ID}
 * @see PurchaseOrderVersion for the identification fields
 */
public record SupplierInvoiceVersion(String tenant, String accountingEntity, String location, String logicalId,
                                     String invoiceNumber, long variationId, ActionCode actionCode,
                                     LocalDate documentDate, String supplierId, String supplierName, String currency,
                                     BigDecimal totalAmount, String poNumber, List<Line> lines) {

    public SupplierInvoiceVersion {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(accountingEntity, "accountingEntity");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(logicalId, "logicalId");
        Objects.requireNonNull(invoiceNumber, "invoiceNumber");
        Objects.requireNonNull(actionCode, "actionCode");
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /**
     * One {@code SupplierInvoiceLine}: {@code LineNumber}, {@code Item/ItemID/ID}, {@code Item/Description},
     * {@code Quantity/@unitCode}, {@code ExtendedAmount/@currencyID}.
     */
    public record Line(int lineNumber, String itemId, String description, BigDecimal quantity, String unitCode,
                       BigDecimal lineAmount) {
    }

    public SupplierInvoiceVersion withVariation(long variation, ActionCode action) {
        return new SupplierInvoiceVersion(tenant, accountingEntity, location, logicalId, invoiceNumber, variation, action,
                documentDate, supplierId, supplierName, currency, totalAmount, poNumber, lines);
    }
}
