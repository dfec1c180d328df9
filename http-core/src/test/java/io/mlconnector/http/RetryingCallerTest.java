package io.mlconnector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared call loop against a real local HTTP server that answers from a script. */
class RetryingCallerTest {

    /** One scripted answer; {@code delayMillis} holds it back to make the client time out. */
    private record Scripted(int status, String body, String retryAfter, long delayMillis) {
        static Scripted of(int status, String body) {
            return new Scripted(status, body, null, 0);
        }
    }

    private static final RetryPolicy FAST = new RetryPolicy(3, 2, Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofSeconds(10));

    private final Deque<Scripted> script = new ArrayDeque<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer server;
    private OkHttpClient http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            Scripted next;
            synchronized (script) {
                next = script.isEmpty() ? Scripted.of(200, "{}") : script.poll();
            }
            try {
                Thread.sleep(next.delayMillis()); // holds the answer back so that the client's read times out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = next.body().getBytes(StandardCharsets.UTF_8);
            if (next.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", next.retryAfter());
            }
            try {
                exchange.sendResponseHeaders(next.status(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException clientGone) {
                exchange.close();
            }
        });
        server.setExecutor(handlers); // a held answer must not hold the next request
        server.start();
        http = HttpClients.root().newBuilder().readTimeout(Duration.ofMillis(300)).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void answer(Scripted... answers) {
        synchronized (script) {
            script.addAll(List.of(answers));
        }
    }

    private Request post() {
        return new Request.Builder().url("http://127.0.0.1:" + server.getAddress().getPort() + "/things")
                .post(RequestBody.create("{\"name\":\"x\"}", null)).build();
    }

    private static String text(HttpAnswer answer) {
        return answer.status() + " " + answer.text();
    }

    @Test
    void aServerFailureIsRepeatedOnlyWhenTheCallIsSafeToRepeat() throws Exception {
        List<Integer> repeated = new ArrayList<>();
        RetryingCaller caller = new RetryingCaller(http, FAST, (status, pause) -> repeated.add(status), Clock.systemUTC());
        answer(Scripted.of(503, ""), Scripted.of(200, "done"));
        assertEquals("200 done", caller.execute("read", post(), true, RetryingCallerTest::text));
        assertEquals(List.of(503), repeated);

        answer(Scripted.of(503, "busy"));
        assertEquals("503 busy", caller.execute("create", post(), false, RetryingCallerTest::text),
                "a create that may have run is not sent again");
        assertEquals(3, authorizations.size());

        answer(Scripted.of(502, ""), Scripted.of(502, ""), Scripted.of(502, "still"));
        assertEquals("502 still", caller.execute("read", post(), true, RetryingCallerTest::text),
                "maxAttempts calls, then the last answer");
        assertEquals(6, authorizations.size());
    }

    @Test
    void aRateLimitedCreateIsRepeatedAfterRetryAfterButNotPastTheCap() throws Exception {
        RetryingCaller caller = new RetryingCaller(http, FAST);
        answer(new Scripted(429, "", "1", 0), Scripted.of(201, "made"));
        long started = System.nanoTime();
        assertEquals("201 made", caller.execute("create", post(), false, RetryingCallerTest::text));
        assertTrue(System.nanoTime() - started >= 1_000_000_000L, "waited the second asked for");

        answer(new Scripted(429, "slow down", "3600", 0));
        assertEquals("429 slow down", caller.execute("create", post(), false, RetryingCallerTest::text));
        assertEquals(3, authorizations.size(), "an hour is not waited out");

        answer(new Scripted(429, "", "0", 0), new Scripted(429, "", "0", 0), new Scripted(429, "third", "0", 0));
        assertEquals("429 third", caller.execute("create", post(), false, RetryingCallerTest::text),
                "the rate-limited retries are counted apart and spent");
    }

    @Test
    void aTimeoutRepeatsAReadButNotACreate() throws Exception {
        RetryingCaller caller = new RetryingCaller(http, FAST);
        answer(new Scripted(200, "late", null, 1_000), Scripted.of(200, "on time"));
        assertEquals("200 on time", caller.execute("read", post(), true, RetryingCallerTest::text));

        answer(new Scripted(201, "late", null, 1_000));
        UnansweredCallException e = assertThrows(UnansweredCallException.class,
                () -> caller.execute("create", post(), false, RetryingCallerTest::text));
        assertTrue(e.mayHaveExecuted(), "the create may have run");
        assertTrue(e.getMessage().startsWith("create failed"), e.getMessage());
    }

    @Test
    void aRefusedConnectionIsRepeatedForAnyMethodAndSaidNeverToHaveRun() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        List<Integer> repeated = new ArrayList<>();
        RetryingCaller caller = new RetryingCaller(http, FAST, (status, pause) -> repeated.add(status), Clock.systemUTC());
        Request create = post().newBuilder().url("http://127.0.0.1:" + closedPort + "/things").build();
        UnansweredCallException e = assertThrows(UnansweredCallException.class,
                () -> caller.execute("create", create, false, RetryingCallerTest::text));
        assertFalse(e.mayHaveExecuted());
        assertEquals(List.of(0, 0), repeated, "three attempts in all");
    }

    @Test
    void anUnreadableSuccessIsRepeatedWhenSafe() throws Exception {
        RetryingCaller caller = new RetryingCaller(http, FAST);
        AnswerReader<String> json = answer -> {
            if (!answer.text().startsWith("{")) {
                throw new UnreadableAnswerException("not JSON", answer.status(), null);
            }
            return answer.text();
        };
        answer(Scripted.of(200, "<html>proxy</html>"), Scripted.of(200, "{\"ok\":true}"));
        assertEquals("{\"ok\":true}", caller.execute("read", post(), true, json));
        answer(Scripted.of(200, "<html>proxy</html>"));
        assertThrows(UnreadableAnswerException.class, () -> caller.execute("create", post(), false, json));
    }

    @Test
    void aRejectedTokenIsRenewedOnceAndTheRequestSentAgainWithTheNewOne() throws Exception {
        List<String> renewed = new ArrayList<>();
        BearerAuthentication auth = new BearerAuthentication(new BearerAuthentication.TokenSource() {
            private String current = "old";

            @Override
            public synchronized String token() {
                return current;
            }

            @Override
            public synchronized String renew(String rejected) {
                renewed.add(rejected);
                current = rejected.equals(current) ? current + "+" : current;
                return current;
            }
        });
        RetryingCaller caller = new RetryingCaller(auth.on(http), FAST);
        answer(Scripted.of(401, ""), Scripted.of(201, "made"));
        assertEquals("201 made", caller.execute("create", post(), false, RetryingCallerTest::text));
        assertEquals(List.of("Bearer old", "Bearer old+"), authorizations, "the body went again with the new token");

        answer(Scripted.of(401, ""), Scripted.of(401, "no"));
        assertEquals("401 no", caller.execute("read", post(), true, RetryingCallerTest::text),
                "refused after a renewal: the 401 stands");
        assertEquals(List.of("old", "old+"), renewed, "one renewal per call");
    }

    @Test
    void aTokenNeverFollowsARedirectToAnotherHost() throws Exception {
        HttpServer foreign = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> seenAbroad = new CopyOnWriteArrayList<>();
        foreign.createContext("/", exchange -> {
            seenAbroad.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(401, -1); // asks for credentials, hoping for a renewed token
            exchange.close();
        });
        foreign.start();
        try {
            List<String> renewed = new ArrayList<>();
            BearerAuthentication auth = new BearerAuthentication(new BearerAuthentication.TokenSource() {
                @Override
                public String token() {
                    return "secret";
                }

                @Override
                public String renew(String rejected) {
                    renewed.add(rejected);
                    return "secret+";
                }
            });
            // "localhost" and 127.0.0.1 are different hosts to OkHttp, as a foreign domain would be
            String elsewhere = "http://localhost:" + foreign.getAddress().getPort() + "/steal";
            server.createContext("/moved", exchange -> {
                exchange.getResponseHeaders().add("Location", elsewhere);
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            Request read = new Request.Builder().url("http://127.0.0.1:" + server.getAddress().getPort() + "/moved")
                    .get().build();
            assertEquals("401 ", new RetryingCaller(auth.on(http), FAST).execute("read", read, true,
                    RetryingCallerTest::text));
            assertEquals(List.of("null"), seenAbroad, "the other host saw no token, first or renewed");
            assertEquals(List.of(), renewed, "a 401 from another host renews nothing");
        } finally {
            foreign.stop(0);
        }
    }
}
