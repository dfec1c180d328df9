package io.mlconnector.simulators.asana;

import io.mlconnector.simulators.common.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar simulators.jar asana [--port N] [--token T] [--rate-limit-per-minute N] [--window-seconds S]
 * [--oauth-token-seconds S]}:
 * starts the Asana simulator, seeds a workspace, a project and the PO/invoice custom fields, and
 * prints one JSON line with the base URL and the seeded gids.
 */
public final class AsanaSimulatorMain {
    private static final String USAGE = """
            usage: java -jar simulators.jar asana [--port 0] [--token TOKEN] [--rate-limit-per-minute 1500]
                                                  [--window-seconds 60] [--oauth-token-seconds 3600]
            Serves Asana's REST API under /api/1.0 (requests validated against the vendored OpenAPI spec),
            OAuth at /-/oauth_authorize and /-/oauth_token (access tokens expire after --oauth-token-seconds),
            and a control API:
              POST /_sim/workspaces {name, premium}      POST /_sim/users {name, email}
              POST /_sim/tokens {token, user, oauth}     POST /_sim/oauth/grants {user} -> refresh_token, client id/secret
              POST /_sim/oauth/consent {user}            the signed-in user who allows apps at /-/oauth_authorize
              POST /_sim/projects {workspace, name}      POST /_sim/sections {project, name}
              POST /_sim/custom_fields {workspace, name, resource_subtype, precision, format, currency_code,
                                        enum_options: [names], projects: [gids]}
              POST /_sim/projects/{gid}/tasks {user, count}   bulk-create tasks without API calls
              POST /_sim/seed {token}                    seeds the PO/invoice project for a new token
              POST /_sim/tasks/{gid}/complete {user, completed}   as that user; fires events and webhooks
              POST /_sim/tasks/{gid}/change {user, data: {custom_fields: {...}, name: ...}}   likewise
              POST /_sim/events/expire                   expire all sync tokens (next /events call gets 412)
              DELETE /_sim/webhooks/{gid}                delete a webhook as Asana does after failed deliveries
              GET  /_sim/state                           object counts
              GET  /_sim/requests, GET /_sim/counters, DELETE /_sim/requests   request log and counters
              GET|POST|DELETE /_sim/faults               fault rules per route name (asana.<operationId>)
            """;

    private AsanaSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        String token = "sim-token";
        int budget = 1500;
        int windowSeconds = 60;
        int oauthTokenSeconds = 3600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--token" -> token = args[++i];
                case "--rate-limit-per-minute" -> budget = Integer.parseInt(args[++i]);
                case "--window-seconds" -> windowSeconds = Integer.parseInt(args[++i]);
                case "--oauth-token-seconds" -> oauthTokenSeconds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.print(USAGE);
                    System.exit(args[i].equals("--help") ? 0 : 2);
                }
            }
        }
        AsanaSimulator simulator = AsanaSimulator.start(AsanaSimulator.Config.defaults().withPort(port)
                .withBudget(budget, Duration.ofSeconds(windowSeconds))
                .withOAuthTokenLifetime(Duration.ofSeconds(oauthTokenSeconds)));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("baseUrl", simulator.apiUrl());
        line.put("controlUrl", simulator.baseUrl() + "/_sim/");
        line.putAll(simulator.seedPurchaseOrderProject(token));
        System.out.println(Json.writeString(line));
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        Thread.currentThread().join();
    }
}
