package io.mlconnector.infor.sink;

import io.mlconnector.connect.RecordView;

/**
 * Writes one event's outcome onto CloudSuite, idempotently: it first reads whether the change is
 * already there. CloudSuite business errors become a {@link Outcome.Kind#REJECTED} outcome; outages
 * ({@code IonHttpException}) propagate so the batch is retried.
 */
interface WritebackAction {

    Outcome apply(RecordView event);

    /** For audit records and logs, e.g. {@code M3 CUSEXTMI/AddFieldValue}. */
    String describe();
}
