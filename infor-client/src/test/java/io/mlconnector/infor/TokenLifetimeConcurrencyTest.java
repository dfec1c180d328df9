package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's acceptance test: 3-second tokens, 2 minutes, 50 concurrent users. No request may be answered 401,
 * and the provider logs in about once per token lifetime. Refresh tokens are off so every renewal is a password
 * grant (a login); each user makes a call about every 400 ms to keep the CPU cost modest.
 */
class TokenLifetimeConcurrencyTest {

    private static final int USERS = 50;
    // two minutes at full size (-Dmlconnector.size=full); the reliability suite runs 5 s tokens end to end in CI
    private static final long RUN_MILLIS = "full".equals(System.getProperty("mlconnector.size")) ? 120_000 : 30_000;
    private static final long LIFETIME_SECONDS = 3;

    @Test
    void threeSecondTokensWithFiftyUsersSeeNo401() throws Exception {
        IonSimulatorConfig config = IonSimulatorConfig.defaults().withVolumes(20, 5, 10)
                .withTokenLifetimeSeconds(LIFETIME_SECONDS).withIssueRefreshTokens(false).withLoginsPerMinute(1_000);
        try (IonSimulator sim = IonSimulator.start(config);
             IonClient ion = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson())).build()) {
            String puno = ion.m3().exportSelect("IAPUNO from MPHEAD", 1).get(0).get("IAPUNO");
            MiRequest call = MiRequest.builder("PPS200MI", "GetHead").set("PUNO", puno).build();
            AtomicLong calls = new AtomicLong();
            long loginsBefore = sim.log().counter("oauth.logins");
            long started = System.nanoTime();
            long deadline = started + RUN_MILLIS * 1_000_000;
            ExecutorService pool = Executors.newFixedThreadPool(USERS);
            List<Future<?>> users = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                long offset = u * 8L;
                users.add(pool.submit(() -> {
                    Thread.sleep(offset);
                    while (System.nanoTime() < deadline) {
                        ion.m3().execute(call);
                        calls.incrementAndGet();
                        Thread.sleep(400);
                    }
                    return null;
                }));
            }
            for (Future<?> f : users) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - started) / 1e9;
            long logins = sim.log().counter("oauth.logins") - loginsBefore;
            double lifetimes = seconds / LIFETIME_SECONDS;
            System.out.printf("token test: %d calls in %.1f s, %d logins over %.1f token lifetimes (%.2f per lifetime), 401s: %d%n",
                    calls.get(), seconds, logins, lifetimes, logins / lifetimes, sim.log().callsWithStatus(401));
            assertEquals(0, sim.log().callsWithStatus(401), "no request answered 401");
            assertEquals(0, sim.log().counter("unauthorized"));
            assertEquals(0, ion.tokens().unexpectedUnauthorized());
            assertTrue(logins >= lifetimes * 0.9 && logins <= lifetimes * 1.25,
                    logins + " logins for " + lifetimes + " lifetimes: about one per lifetime");
            // about 30 calls a second per core-starved user pool: 10,000 in two minutes, 2,500 in thirty seconds
            assertTrue(calls.get() > RUN_MILLIS / 12, "the users really were busy: " + calls.get());
        }
    }
}
