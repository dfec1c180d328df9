package io.mlconnector.infor;

import io.mlconnector.simulators.common.SimResponse;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A gateway that answers every API call with one canned response, for parser and error-path tests. */
final class CannedGateway implements AutoCloseable {

    final SimulatorHttpServer server;
    final AtomicReference<SimResponse> next = new AtomicReference<>();
    final AtomicReference<String> lastUrl = new AtomicReference<>();

    CannedGateway() throws IOException {
        server = SimulatorHttpServer.start(0);
        server.route("POST", "/T/as/token\\.oauth2", "token",
                req -> SimResponse.json(200, Map.of("access_token", "canned-token", "token_type", "Bearer", "expires_in", 3600)));
        server.route("POST", "/T/as/revoke_token\\.oauth2", "revoke", req -> SimResponse.empty(200));
        for (String method : new String[]{"GET", "POST"}) {
            server.route(method, "/T/(M3|CSI)/.*", "api", req -> {
                lastUrl.set(req.rawPath() + "?" + req.rawQuery() + " config=" + req.header("X-Infor-MongooseConfig")
                        + " auth=" + req.header("Authorization"));
                return next.get();
            });
        }
    }

    void respond(int status, String json) {
        next.set(SimResponse.raw(status, "application/json", json));
    }

    String ionapi() {
        return "{\"ti\":\"T\",\"ci\":\"T~c\",\"cs\":\"client-secret-xyz\",\"iu\":\"" + server.baseUrl() + "\",\"pu\":\""
                + server.baseUrl() + "/T/as/\",\"ot\":\"token.oauth2\",\"or\":\"revoke_token.oauth2\","
                + "\"saak\":\"T#sa\",\"sask\":\"sa-secret-xyz\"}";
    }

    @Override
    public void close() {
        server.close();
    }
}
