package io.mlconnector.simulators.asana;

import io.mlconnector.simulators.common.SimResponse;
import java.util.List;
import java.util.Map;

/** An error the simulator answers with Asana's {@code {"errors":[{"message":..}]}} envelope. */
final class AsanaError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    AsanaError(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    SimResponse response() {
        return envelope(status, List.of(getMessage()));
    }

    static SimResponse envelope(int status, List<String> messages) {
        List<Map<String, String>> errors = messages.stream().map(m -> status >= 500
                ? Map.of("message", m, "phrase", "6 sad squid snuggle softly")
                : Map.of("message", m)).toList();
        return SimResponse.json(status, Map.of("errors", errors));
    }

    static AsanaError notFound(String what) {
        return new AsanaError(404, what + ": Not Found");
    }

    static AsanaError badRequest(String message) {
        return new AsanaError(400, message);
    }
}
