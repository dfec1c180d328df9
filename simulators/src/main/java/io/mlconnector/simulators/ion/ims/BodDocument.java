package io.mlconnector.simulators.ion.ims;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * One BOD ready to send: its UTF-8 XML bytes and the identification values that go into the ParameterRequest
 * (reference 1.5) and the {@code X-TenantId} header. Built by {@link BodFactory}; {@link #xml()} returns the
 * array itself (do not change it).
 *
 * @param documentName {@code <Verb>.<Noun>}, e.g. {@code Sync.PurchaseOrder} (reference 1.5)
 * @param revisionId   ParameterRequest {@code revisionId} and the BODID revision segment; empty when none
 * @param defects      the {@link BodDefect}s deliberately put into {@link #xml()}; empty for a conforming BOD
 */
public record BodDocument(String documentName, String tenant, String accountingEntity, String location,
                          String fromLogicalId, String documentId, long variationId, String revisionId,
                          ActionCode actionCode, byte[] xml, Set<BodDefect> defects) {

    public BodDocument {
        Objects.requireNonNull(documentName, "documentName");
        Objects.requireNonNull(xml, "xml");
        revisionId = revisionId == null ? "" : revisionId;
        defects = defects == null ? Set.of() : Set.copyOf(defects);
    }

    /** The XML as text (decoded as UTF-8). */
    public String xmlString() {
        return new String(xml, StandardCharsets.UTF_8);
    }

    /** The noun, e.g. {@code PurchaseOrder}. */
    public String noun() {
        return documentName.substring(documentName.indexOf('.') + 1);
    }

    /** (documentName, documentId): the document whose versions the variation id orders (reference 3.4). */
    public String documentKey() {
        return documentName + "|" + documentId;
    }

    @Override
    public String toString() {
        return "BodDocument[" + documentName + " " + documentId + " v" + variationId + " " + actionCode
                + (defects.isEmpty() ? "" : " defects=" + defects) + ", " + xml.length + " bytes]";
    }
}
