package io.mlconnector.simulators.ion.ims;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One published version of an M3 purchase order: what one {@code Sync.PurchaseOrder} BOD carries
 * (reference 3.2). Nullable: {@code supplierName}, {@code buyer}, {@code orderDate}, {@code status},
 * {@code totalAmount}; an absent value leaves its element out. A {@link ActionCode#Delete} version only needs the
 * identification fields: its BOD carries the {@code DocumentID} and no other header field or line.
 *
 * @param tenant          {@code DataArea/Sync/TenantID}, the BODID tenant and the {@code X-TenantId} header
 * @param accountingEntity {@code DataArea/Sync/AccountingEntityID}, {@code DocumentID/ID/@accountingEntity}, the
 *                        ParameterRequest {@code accountingEntity} (at most 22 characters, reference 1.5)
 * @param location        {@code DataArea/Sync/LocationID}, {@code DocumentID/ID/@location}, ParameterRequest
 *                        {@code location} (at most 22 characters)
 * @param logicalId       the publisher, {@code lid://...}: {@code Sender/LogicalID}, {@code DocumentID/ID/@lid}, the
 *                        ParameterRequest {@code fromLogicalId}
 * @param number          the PO number: {@code DocumentID/ID} and the ParameterRequest {@code documentId}
 * @param variationId     {@code DocumentID/ID/@variationID}, the BODID {@code variationID} and the ParameterRequest
 *                        {@code variationId} (a Java long, reference 1.5 and 3.4)
 * @param status          {@code PurchaseOrderHeader/Status/Code} (M3 PUSL, e.g. {@code 20})
 * @param lastModified    {@code PurchaseOrderHeader/LastModificationDateTime}
 */
public record PurchaseOrderVersion(String tenant, String accountingEntity, String location, String logicalId,
                                   String number, long variationId, ActionCode actionCode, String status,
                                   String supplierId, String supplierName, LocalDate orderDate, String currency,
                                   BigDecimal totalAmount, String buyer, Instant lastModified, List<Line> lines) {

    public PurchaseOrderVersion {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(accountingEntity, "accountingEntity");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(logicalId, "logicalId");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(actionCode, "actionCode");
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /**
     * One {@code PurchaseOrderLine}: {@code LineNumber}, {@code Item/ItemID/ID}, {@code Item/Description},
     * {@code Quantity/@unitCode}, {@code UnitPrice/Amount} (per one {@code unitCode}) and {@code ExtendedAmount}.
     */
    public record Line(int lineNumber, String itemId, String description, BigDecimal quantity, String unitCode,
                       BigDecimal unitPrice, BigDecimal lineAmount) {
    }

    /** The same version with another variation id and action code (e.g. an older copy, or a Delete). */
    public PurchaseOrderVersion withVariation(long variation, ActionCode action) {
        return new PurchaseOrderVersion(tenant, accountingEntity, location, logicalId, number, variation, action, status,
                supplierId, supplierName, orderDate, currency, totalAmount, buyer, lastModified, lines);
    }
}
