/**
 * Shared infrastructure for the HTTP simulators (ION API Gateway, Asana).
 *
 * <p>How a simulator is put together:
 * <pre>{@code
 * SimulatorHttpServer server = SimulatorHttpServer.start(0);        // 127.0.0.1, free port
 * server.route("GET", "/api/1.0/tasks/([^/]+)", "asana.tasks.get", req -> {
 *     String gid = req.group(1);
 *     return SimResponse.json(200, Map.of("data", Map.of("gid", gid)));
 * });
 * server.controlRoute("POST", "/_sim/tasks", req -> ...);           // simulator-specific control API
 * String base = server.baseUrl();                                   // http://127.0.0.1:PORT
 * }</pre>
 *
 * <p>Every non-control request passes through the {@link io.mlconnector.simulators.common.FaultInjector}
 * (keyed by route name) and is recorded in the {@link io.mlconnector.simulators.common.RequestLog}.
 * Routes whose path starts with {@code /_sim/} are the control API: never faulted, never logged.
 *
 * <p>Control API every simulator gets for free:
 * <ul>
 *   <li>{@code GET /_sim/requests[?route=GLOB&limit=N]}: recent requests, oldest first.</li>
 *   <li>{@code GET /_sim/counters}: calls per route (with status breakdown) and named counters.</li>
 *   <li>{@code DELETE /_sim/requests}: clear the request log and all counters.</li>
 *   <li>{@code GET /_sim/faults}, {@code POST /_sim/faults} (one rule or an array, see
 *       {@link io.mlconnector.simulators.common.FaultRule}), {@code DELETE /_sim/faults}.</li>
 * </ul>
 */
package io.mlconnector.simulators.common;
