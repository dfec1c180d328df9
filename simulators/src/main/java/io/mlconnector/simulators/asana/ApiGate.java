package io.mlconnector.simulators.asana;

import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What every REST request passes before its operation runs: the bearer token, the budget and concurrency limits,
 * then the request checked against the spec; with answer checks on, the answer is checked too. Every failure is
 * answered in Asana's error envelope. The route classes register their operations here.
 */
final class ApiGate {
    static final String API = AsanaSimulator.API;
    /** A path parameter in a route's regex. */
    static final String ID = "([^/]+)";

    /** One operation of the API; {@code path} holds the path parameters by the spec's names. */
    interface Operation {
        SimResponse handle(SimRequest request, Caller caller, Map<String, String> path) throws Exception;
    }

    private final SimulatorHttpServer server;
    private final SpecValidator validator;
    private final SimRateLimits limits;
    private final Tokens tokens;
    private final boolean checkAnswers;
    private final List<String> answerProblems = Collections.synchronizedList(new ArrayList<>());

    ApiGate(SimulatorHttpServer server, SpecValidator validator, SimRateLimits limits, Tokens tokens,
            boolean checkAnswers) {
        this.server = server;
        this.validator = validator;
        this.limits = limits;
        this.tokens = tokens;
        this.checkAnswers = checkAnswers;
    }

    /** Routes {@code API + pathRegex} to the operation, named {@code asana.<operationId>}, behind the gate. */
    void route(String method, String pathRegex, String operationId, boolean write, Operation operation) {
        server.route(method, API + pathRegex, "asana." + operationId,
                request -> guarded(request, method, operationId, write, operation));
    }

    /** Every other API path: 404 where the spec has no such operation, else 501. Registered after the operations. */
    void routeUnimplemented() {
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
            server.route(method, API + "/.*", "asana.unimplemented",
                    request -> guarded(request, method, null, false, null));
        }
    }

    /** With answer checks on, records each way the answer to {@code operationId} breaks the spec. */
    void checkAnswer(String operationId, SimRequest request, SimResponse answer) {
        if (checkAnswers) {
            validator.validateAnswer(operationId, request.query(), answer.status(), answer.body())
                    .forEach(problem -> answerProblems.add(operationId + " " + problem));
        }
    }

    List<String> answerProblems() {
        synchronized (answerProblems) {
            return List.copyOf(answerProblems);
        }
    }

    private SimResponse guarded(SimRequest request, String method, String operationId, boolean write,
            Operation operation) {
        Caller caller = caller(request);
        if (caller == null) {
            return unauthorized();
        }
        // The batch that carries a nested request has admitted it already, with the batch's other actions.
        Long retryAfter = null;
        if (!request.nested()) {
            server.log().increment(AsanaSimulator.BUDGET_COUNTED);
            retryAfter = limits.admit(caller.token(), write);
        }
        if (retryAfter != null) {
            return rateLimited(retryAfter);
        }
        try {
            String apiPath = SimRequest.decode(request.rawPath().substring(API.length()), false);
            SpecValidator.Result check = validator.validate(method, apiPath, request.query(), request.body());
            if (!check.known()) {
                return AsanaError.envelope(404, check.errors());
            }
            if (!check.errors().isEmpty()) {
                return invalid(check.errors());
            }
            if (operation == null || !check.operationId().equals(operationId)) {
                return AsanaError.envelope(501, List.of(check.operationId() + " is not implemented by the simulator"));
            }
            SimResponse answer = operation.handle(request, caller, check.pathParameters());
            checkAnswer(operationId, request, answer);
            return answer;
        } catch (AsanaError e) {
            return e.response();
        } catch (Exception e) {
            return AsanaError.envelope(500, List.of("Server Error: " + e));
        } finally {
            if (!request.nested()) {
                limits.release(caller.token(), write);
            }
        }
    }

    /** The bearer token's owner; null (counted) when the token is missing, unknown or expired. */
    Caller caller(SimRequest request) {
        String authorization = request.header("Authorization");
        Caller caller = authorization != null && authorization.startsWith("Bearer ")
                ? tokens.get(authorization.substring(7)) : null;
        if (caller != null && caller.expiresAt() != null && !Instant.now().isBefore(caller.expiresAt())) {
            server.log().increment("asana.expired_tokens");
            return null;
        }
        return caller;
    }

    SimResponse unauthorized() {
        server.log().increment("asana.unauthorized");
        return AsanaError.envelope(401, List.of("Not Authorized"));
    }

    SimResponse invalid(List<String> errors) {
        server.log().increment("asana.invalid_requests");
        return AsanaError.envelope(400, errors);
    }

    SimResponse rateLimited(long retryAfter) {
        server.log().increment("asana.rate_limited");
        return AsanaError.envelope(429, List.of("You've made too many requests and hit a rate limit."
                + " Please retry after the given amount of time.")).header("Retry-After", String.valueOf(retryAfter));
    }
}
