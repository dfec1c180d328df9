package io.mlconnector.infor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.http.RetryPolicy;
import io.mlconnector.simulators.common.FaultRule;
import io.mlconnector.simulators.ion.IonSimulator;
import io.mlconnector.simulators.ion.IonSimulatorConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The retry policy end to end: timeouts, Retry-After, statuses that are not retried, and Add transactions. */
class RetryBehaviourTest {

    private static final MiRequest READ = MiRequest.builder("CRS620MI", "GetBasicData").set("SUNO", "S00001").build();
    private static final MiRequest ADD = MiRequest.builder("APS450MI", "AddHead").set("SUNO", "S00001")
            .set("IVDT", LocalDate.of(2024, 5, 2)).set("SINO", "RETRY-1").build();
    private static IonSimulator sim;
    private static IonClient ion;

    @BeforeAll
    static void start() throws Exception {
        sim = IonSimulator.start(IonSimulatorConfig.defaults().withVolumes(5, 5, 5));
        ion = IonClient.builder(IonApiCredentials.parse(sim.ionApiJson()))
                .okHttpClient(new OkHttpClient.Builder().readTimeout(Duration.ofMillis(400)).build())
                .retryPolicy(new RetryPolicy(4, 10, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)))
                .build();
        ion.m3().execute(READ);
    }

    @AfterAll
    static void stop() {
        ion.close();
        sim.close();
    }

    @AfterEach
    void reset() {
        sim.faults().clear();
        sim.log().clear();
    }

    @Test
    void aTimedOutReadIsRepeated() {
        sim.faults().add(new FaultRule("m3.CRS620MI.GetBasicData", FaultRule.Kind.TIMEOUT, null, null, 1_500, 1, 100));
        assertEquals("S00001", ion.m3().execute(READ).single().get("SUNO"));
        assertEquals(1, sim.log().calls("m3.CRS620MI.GetBasicData", 200), "answered by the retry");
        assertTrue(sim.faults().rules().isEmpty(), "the held call used up the one timeout fault");
        awaitRecorded("m3.CRS620MI.GetBasicData", 504);
    }

    /** A held call is logged when the simulator lets go of it; wait so it cannot land in the next test's log. */
    private static void awaitRecorded(String route, int status) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sim.log().calls(route, status) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, sim.log().calls(route, status));
    }

    @Test
    void aTimedOutAddIsNotRepeatedAndSaysSo() {
        sim.faults().add(new FaultRule("m3.APS450MI.AddHead", FaultRule.Kind.TIMEOUT, null, null, 1_000, 1, 100));
        IonHttpException e = assertThrows(IonHttpException.class, () -> ion.m3().execute(ADD));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("may have been executed"), e.getMessage());
        awaitRecorded("m3.APS450MI.AddHead", 504);
        assertEquals(1, sim.log().calls("m3.APS450MI.AddHead"), "sent once");
    }

    @Test
    void a503OnAnAddIsNotRepeatedButA429Is() {
        sim.faults().add(FaultRule.status("m3.APS450MI.AddHead", 503, 1));
        assertEquals(503, assertThrows(IonHttpException.class, () -> ion.m3().execute(ADD)).status());
        assertEquals(1, sim.log().calls("m3.APS450MI.AddHead"));
        sim.faults().add(FaultRule.status("m3.APS450MI.AddHead", 429, 2));
        ion.m3().execute(ADD);
        assertEquals(1, sim.log().calls("m3.APS450MI.AddHead", 200), "the gateway refused twice, M3 ran it once");
        assertEquals(2, sim.log().calls("m3.APS450MI.AddHead", 429));
    }

    @Test
    void a500IsRepeatedForAReadButNotForAnAdd() {
        sim.faults().add(FaultRule.status("m3.*", 500, 1));
        assertEquals("S00001", ion.m3().execute(READ).single().get("SUNO"));
        assertEquals(1, sim.log().calls("m3.CRS620MI.GetBasicData", 500));
        sim.faults().add(FaultRule.status("m3.APS450MI.AddHead", 500, 1));
        assertEquals(500, assertThrows(IonHttpException.class, () -> ion.m3().execute(ADD)).status());
        assertEquals(1, sim.log().calls("m3.APS450MI.AddHead"));
    }

    @Test
    void retryAfterIsHonoured() {
        sim.faults().add(new FaultRule("m3.*", FaultRule.Kind.STATUS, List.of(429), 1, 0, 1, 100));
        long t0 = System.nanoTime();
        ion.m3().execute(READ);
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "waited the 1 s the gateway asked for");
    }

    @Test
    void otherStatusesAreNotRetriedAndPersistentFailuresGiveUp() {
        sim.faults().add(FaultRule.status("m3.*", 501, 1));
        assertEquals(501, assertThrows(IonHttpException.class, () -> ion.m3().execute(READ)).status());
        assertEquals(1, sim.log().calls("m3.CRS620MI.GetBasicData"));
        sim.log().clear();
        sim.faults().add(FaultRule.status("m3.*", 502, -1));
        IonHttpException gaveUp = assertThrows(IonHttpException.class, () -> ion.m3().execute(READ));
        assertEquals(502, gaveUp.status());
        assertEquals(4, sim.log().calls("m3.CRS620MI.GetBasicData"), "maxAttempts calls, then the error");
    }
}
