package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.http.RetryPolicy;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.simulators.common.SimResponse;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IonTokenProviderTest {

    private static final MiRequest CALL = MiRequest.builder("CRS620MI", "GetBasicData").set("SUNO", "S00001").build();

    private static IonSimulator sim(IonSimulatorConfig config) throws Exception {
        return IonSimulator.start(config.withVolumes(5, 5, 10));
    }

    private static void concurrently(int threads, Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    work.run();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Everything a client prints about itself. */
    private static String ok(IonApiCredentials credentials) {
        try (IonClient c = IonClient.builder(credentials).build()) {
            return c.tokens().toString() + c.credentials();
        }
    }

    @Test
    void tokenResponsesWithoutExpiryOrWithoutTokenAreHandled() throws Exception {
        try (SimulatorHttpServer server = SimulatorHttpServer.start(0)) {
            AtomicReference<String> tokenBody = new AtomicReference<>("{\"access_token\":\"a1\"}");
            server.route("POST", "/T/as/token\\.oauth2", "token", req -> SimResponse.raw(200, "application/json", tokenBody.get()));
            server.route("GET", "/T/M3/.*", "api", req -> SimResponse.raw(200, "application/json",
                    "{\"results\":[{\"transaction\":\"GetBasicData\",\"records\":[{\"SUNO\":\"S00001\"}]}],\"nrOfFailedTransactions\":0}"));
            String ionapi = "{\"ti\":\"T\",\"ci\":\"c\",\"cs\":\"s\",\"iu\":\"" + server.baseUrl() + "\",\"pu\":\"" + server.baseUrl()
                    + "/T/as/\",\"ot\":\"token.oauth2\",\"saak\":\"T#a\",\"sask\":\"b\"}";
            try (IonClient ion = IonClient.builder(IonApiCredentials.parse(ionapi)).build()) {
                ion.m3().execute(CALL);
                ion.m3().execute(CALL);
                assertEquals(1, server.log().calls("token"), "no expires_in: the 2-hour default applies");
            }
            tokenBody.set("{\"token_type\":\"Bearer\"}");
            try (IonClient ion = IonClient.builder(IonApiCredentials.parse(ionapi)).build()) {
                IonHttpException e = assertThrows(IonHttpException.class, () -> ion.m3().execute(CALL));
                assertTrue(e.getMessage().contains("no access_token"), e.getMessage());
            }
        }
    }

    @Test
    void fiftyConcurrentUsersAcrossClientsShareOneLogin() throws Exception {
        try (IonSimulator sim = sim(IonSimulatorConfig.defaults())) {
            IonApiCredentials credentials = IonApiCredentials.parse(sim.ionApiJson());
            List<IonClient> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(IonClient.builder(credentials).build());
            }
            concurrently(50, () -> clients.get((int) (Thread.currentThread().getId() % 5)).m3().execute(CALL));
            assertEquals(1, sim.log().counter("oauth.logins"));
            assertEquals(1, clients.get(0).tokens().logins());
            clients.forEach(IonClient::close);
            assertEquals(1, sim.log().counter("oauth.revokes"), "the last close revokes, once");
        }
    }

    @Test
    void refreshTokenGrantIsUsedAndA401OnAValidTokenForcesExactlyOneRenewal() throws Exception {
        try (IonSimulator sim = sim(IonSimulatorConfig.defaults().withTokenLifetimeSeconds(2));
             IonClient ion = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson())).build()) {
            ion.m3().execute(CALL);
            Thread.sleep(2_100);
            ion.m3().execute(CALL);
            assertEquals(1, sim.log().counter("oauth.logins"));
            assertEquals(1, sim.log().counter("oauth.refreshes"), "renewed with the refresh token, not a new login");

            sim.expireAccessTokens();
            concurrently(20, () -> ion.m3().execute(CALL));
            assertEquals(1, ion.tokens().unexpectedUnauthorized(), "20 callers saw 401 on one token: one renewal");
            assertEquals(2, sim.log().counter("oauth.refreshes"));
        }
    }

    @Test
    void tokenEndpointOutagesAreRetriedAndRefusalsAreTypedWithoutSecrets() throws Exception {
        try (IonSimulator sim = sim(IonSimulatorConfig.defaults())) {
            sim.faults().add(FaultRule.status("oauth.token", 503, 2));
            IonApiCredentials good = IonApiCredentials.parse(sim.ionApiJson());
            RetryPolicy fast = new RetryPolicy(4, 10, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(10));
            try (IonClient ion = IonClient.builder(good).retryPolicy(fast).build()) {
                ion.m3().execute(CALL);
                assertEquals(3, sim.log().calls("oauth.token"));
            }
            String wrongSecret = sim.ionApiJson().replace(sim.config().serviceAccountSecretKey(), "wrong-secret-value");
            PrintStream originalErr = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            IonAuthenticationException refused;
            try (IonClient bad = IonClient.builder(IonApiCredentials.parse(wrongSecret)).retryPolicy(fast).build();
                 IonClient ok = IonClient.builder(good).retryPolicy(fast).build()) {
                refused = assertThrows(IonAuthenticationException.class, () -> bad.m3().execute(CALL));
                ok.m3().execute(CALL);
                sim.expireAccessTokens();
                ok.m3().execute(CALL);
            } finally {
                System.setErr(originalErr);
            }
            assertEquals(400, refused.status());
            assertEquals("invalid_grant", refused.error());
            String logged = captured.toString(StandardCharsets.UTF_8);
            assertTrue(logged.contains("401"), "the renewal was logged, so the capture works: " + logged);
            String everything = refused.getMessage() + logged + good + ok(good);
            for (String secret : List.of("wrong-secret-value", sim.config().clientSecret(), sim.config().serviceAccountSecretKey())) {
                assertFalse(everything.contains(secret), "secret leaked: " + everything);
            }
        }
    }
}
