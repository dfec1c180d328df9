package io.mlconnector.simulators.ion.ims;

/**
 * Deliberate departures from the BOD shape of reference 3.1/3.2, for testing how a receiver rejects or tolerates
 * them. The ParameterRequest built from such a document is still the conforming one (use
 * {@link ImsMessage#withParameter} to break the parameters too).
 */
public enum BodDefect {
    /** No {@code DocumentID} element in the noun header. */
    MISSING_DOCUMENT_ID,
    /** {@code DocumentID/ID} present but empty. */
    EMPTY_DOCUMENT_ID,
    /** No {@code @variationID} on {@code DocumentID/ID} and none in the BODID. */
    MISSING_VARIATION_ID,
    /** No {@code ActionCriteria} in {@code DataArea/Sync}. */
    MISSING_ACTION_CODE,
    /** Root element {@code Show<Noun>} (a response verb, reference 3.1) while the documentName says {@code Sync}. */
    WRONG_ROOT,
    /** Root and children in no namespace instead of {@code http://schema.infor.com/InforOAGIS/2}. */
    NO_NAMESPACE,
    /** The document cut short: not well-formed XML. */
    NOT_WELL_FORMED,
    /**
     * A DOCTYPE declaring an external entity ({@link BodFactory#EXTERNAL_ENTITY_SYSTEM_ID}) that the supplier name
     * references; the reference (6.1) says to parse with XXE disabled, so a receiver must neither resolve it nor
     * store its content.
     */
    EXTERNAL_ENTITY
}
