/**
 * The sending side of Infor ION's Messaging Service, v3: ION pushing BODs to an application's IMS endpoint.
 * Test kit for a receiving endpoint; everything follows {@code /work/shared/reference/ion-ims-bod.md} ("the
 * reference"; section numbers below are its sections).
 *
 * <ul>
 *   <li>{@link io.mlconnector.simulators.ion.ims.BodFactory}: {@code Sync.PurchaseOrder} and
 *       {@code Sync.SupplierInvoice} BOD XML (3.1-3.3) from {@link io.mlconnector.simulators.ion.ims.PurchaseOrderVersion}
 *       / {@link io.mlconnector.simulators.ion.ims.SupplierInvoiceVersion}, optionally with
 *       {@link io.mlconnector.simulators.ion.ims.BodDefect}s.</li>
 *   <li>{@link io.mlconnector.simulators.ion.ims.ImsSender}: ping / protocol / versions, then
 *       {@code POST v3/multipartMessage} per message (1.2-1.6, 2, 6.2), with OAuth 1.0a or Basic, concurrency,
 *       retries, ordering and {@link io.mlconnector.simulators.ion.ims.Hazards}; returns a
 *       {@link io.mlconnector.simulators.ion.ims.DeliveryReport}.</li>
 *   <li>{@link io.mlconnector.simulators.ion.ims.ScenarioPlan}: seeded purchase orders (and invoices) in several
 *       variations, the messages to send, and the version a correct receiver ends with per document.</li>
 * </ul>
 *
 * <p>What the reference leaves unconfirmed is a setting with a documented default, never a hidden constant:
 * retry statuses, backoff and attempts ({@link io.mlconnector.simulators.ion.ims.RetryPolicy}); timeouts and
 * concurrency ({@link io.mlconnector.simulators.ion.ims.ImsSenderSettings}); the OAuth 1.0a profile: realm,
 * signature method ({@link io.mlconnector.simulators.ion.ims.OAuth1Signer}); multipart spelling variants
 * ({@link io.mlconnector.simulators.ion.ims.MultipartStyle}); what a failed handshake does
 * ({@link io.mlconnector.simulators.ion.ims.HandshakePolicy}). The newer {@code v3/message/multipart} method is
 * not implemented because its header names are unconfirmed (1.7).
 */
package io.mlconnector.simulators.ion.ims;
