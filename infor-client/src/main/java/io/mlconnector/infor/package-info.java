/**
 * Client for the Infor ION API Gateway, with no Kafka in it.
 *
 * <ul>
 *   <li>{@link io.mlconnector.infor.IonApiCredentials}: the .ionapi file; token URL {@code pu + ot}, revoke URL
 *       {@code pu + or}, API base {@code iu + "/" + ti}.</li>
 *   <li>{@link io.mlconnector.infor.IonTokenProvider}: password grant with the service-account keys, one cached token per
 *       (tenant, client id) in the JVM, proactive single-flight refresh, refresh_token grant, revoke on the tasks' last
 *       close; a validation reuses the cached token and logs in at most 5 times a minute per service account.</li>
 *   <li>{@link io.mlconnector.infor.IonClient}: entry point; hands out {@link io.mlconnector.infor.M3Client}
 *       (MI REST v2 or v1) and {@link io.mlconnector.infor.IdoClient} (Mongoose IDO REST v2).</li>
 *   <li>Calls go through http-core's {@link io.mlconnector.http.RetryingCaller} and
 *       {@link io.mlconnector.http.RetryPolicy}, shared with the Asana client; {@code Add*} transactions are repeated
 *       only after a 429 or when the request never left.</li>
 *   <li>Failures: {@link io.mlconnector.infor.IonException} and its subclasses; none carries a secret.</li>
 * </ul>
 * Money is {@link java.math.BigDecimal}; M3 dates are {@link java.time.LocalDate} in the tenant zone that
 * {@link io.mlconnector.infor.MiRecord#zone()} names; IDO date-times are read in a zone the caller gives.
 */
package io.mlconnector.infor;
