package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.mlconnector.http.RetryPolicy;
import io.mlconnector.simulators.common.FaultRule;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** No call waits without bound: Retry-After is honoured up to the policy's cap, and every call has a call timeout. */
class BoundedWaitsTest {

    private static FaultRule rateLimited(long retryAfterSeconds) {
        return new FaultRule("asana.getTask", FaultRule.Kind.STATUS, List.of(429), (int) retryAfterSeconds, 0, 1, 100);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsTheCallAtOnceAndHoldsNoOneBack() throws Exception {
        try (SimFixture fx = new SimFixture(); AsanaClient client = fx.client()) {
            String task = client.createTask(TaskRequest.builder("t").project(fx.project).build()).gid();
            fx.sim.server().faults().add(rateLimited(3_600));

            long started = System.nanoTime();
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> client.getTask(task));
            assertTrue(millisSince(started) < 1_000, "failed at once, after " + millisSince(started) + " ms");
            assertEquals(Duration.ofHours(1), e.retryAfter());
            assertEquals(1, fx.calls("getTask"), "not repeated");

            started = System.nanoTime();
            client.getTask(task);
            assertTrue(millisSince(started) < 1_000, "the token's other calls were not paused: " + millisSince(started));
        }
    }

    @Test
    void aRetryAfterUpToTheCapIsWaitedOut() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            RetryPolicy capAtOneSecond = new RetryPolicy(3, 5, Duration.ofMillis(50), Duration.ofMillis(200),
                    Duration.ofSeconds(1));
            try (AsanaClient client = AsanaClient.builder(AsanaCredentials.personalAccessToken(fx.token))
                    .baseUrl(fx.sim.apiUrl()).budget(100_000, Duration.ofMinutes(1)).retryPolicy(capAtOneSecond).build()) {
                String task = client.createTask(TaskRequest.builder("t").project(fx.project).build()).gid();
                fx.sim.server().faults().add(rateLimited(1));
                long started = System.nanoTime();
                assertEquals(task, client.getTask(task).gid());
                assertTrue(millisSince(started) >= 1_000, "waited " + millisSince(started) + " ms");

                fx.sim.server().faults().add(rateLimited(2));
                assertThrows(RateLimitedException.class, () -> client.getTask(task));
                assertEquals(3, fx.calls("getTask"));
            }
        }
        assertEquals(Duration.ofSeconds(60), AsanaClient.DEFAULT_RETRY.maxRetryAfter());
    }

    /** A server that answers 200 and then sends its body a byte every 100 ms for 20 s: no read ever times out. */
    @Test
    void aBodyTricklingInIsCutByTheCallTimeout() throws Exception {
        HttpServer trickle = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        trickle.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 200; i++) {
                    body.write(' ');
                    body.flush();
                    Thread.sleep(100);
                }
                body.write("{\"data\":{\"gid\":\"1\"}}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException clientGaveUp) {
                // expected: the client hangs up
            }
        });
        trickle.start();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofMillis(200)).readTimeout(Duration.ofMillis(400)).build();
        try (AsanaClient client = AsanaClient.builder(AsanaCredentials.personalAccessToken("pat-" + System.nanoTime()))
                .baseUrl("http://127.0.0.1:" + trickle.getAddress().getPort() + "/api/1.0").httpClient(http)
                .retryPolicy(new RetryPolicy(1, 0, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(60))).build()) {
            long started = System.nanoTime();
            assertThrows(AsanaIOException.class, client::currentUserGid);
            long millis = millisSince(started);
            assertTrue(millis >= 900 && millis < 3_000, "cut after the 1 s call timeout (200 ms + 2 x 400 ms): " + millis);
            assertEquals(1, requests.get());
        } finally {
            trickle.stop(0);
        }
    }

    @Test
    void theCallTimeoutIsTheConnectTimeoutPlusTwiceTheRequestTimeout() {
        assertEquals(Duration.ofSeconds(130), AsanaClient.Builder.callTimeout(new OkHttpClient.Builder()
                .connectTimeout(AsanaClient.CONNECT_TIMEOUT).readTimeout(AsanaClient.DEFAULT_REQUEST_TIMEOUT).build()));
        assertEquals(Duration.ofSeconds(50), AsanaClient.Builder.callTimeout(new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(20)).build()));
        assertEquals(Duration.ofSeconds(130), AsanaClient.Builder.callTimeout(new OkHttpClient.Builder()
                .connectTimeout(Duration.ZERO).readTimeout(Duration.ZERO).build()), "no timeout set: the defaults bound it");
    }
}
