package io.mlconnector.simulators.ion;

import java.util.List;
import java.util.Map;

/**
 * One MI transaction, {@code PROGRAM/Transaction}: the records it answers for a call, or an {@link MiException}.
 * Runs under the {@link M3Data} lock; the program classes ({@link PurchaseOrderMi}, ...) hold them by name.
 */
@FunctionalInterface
interface MiTransaction {
    List<Map<String, String>> run(MiCall call);
}
