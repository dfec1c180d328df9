package io.mlconnector.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listener against hostile clients on raw sockets: stalled and trickling heads, bodies that never come, too many
 * connections, idle keep-alive, smuggling-shaped framing, and a client that never reads. Deadlines are short so that
 * the suite stays fast; the time bounds asserted are generous, for they show isolation and cut-offs, not speed.
 */
class HttpListenerTest {

    private static final String PATH = "/asana/webhook";
    /** A second route, read-only, whose answer carries a body. */
    private static final String STATUS_PATH = "/status";
    private static final String STATUS_BODY = "{\"status\":\"OK\"}";
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(400);
    /** Well above header timeout + slack, so that a cut-off at the header deadline cannot be this one. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Long unless a test is about idleness: no connection leaves on its own during a test. */
    private static final Duration LONG_IDLE = Duration.ofSeconds(10);
    private static final int MAX_BODY = 1024;
    /** How late a cut-off may be seen on a busy machine; the watchdog itself allows 500 ms past a deadline. */
    private static final Duration SLACK = Duration.ofSeconds(1);
    /** How early a cut-off may be seen: the client starts its clock a little before the server does. */
    private static final Duration EARLY = Duration.ofMillis(50);
    /** A normal request must be answered within this, whatever the hostile clients do. */
    private static final Duration PROMPT = Duration.ofSeconds(1);
    /** No client read waits longer: a test fails rather than hangs. */
    private static final int CLIENT_READ_TIMEOUT_MS = 5000;
    private static final int TRICKLE_INTERVAL_MS = 100;

    /** Heads that never end: a header value that grows by a byte each trickle. */
    private static final String ENDLESS_HEAD = "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    /** A complete head announcing a body of 1000 bytes, of which the trickle sends one at a time. */
    private static final String HEAD_OF_1000 = "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n";

    private static final int CLOSED = 0;
    private static final int NEVER_CUT_OFF = -1;

    private final List<HttpListener.Request> handled = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    /** What the handler answers, after recording the request; a test may replace it. */
    private volatile HttpListener.Handler answer = request -> HttpListener.Response.of(200);
    private HttpListener listener;

    @AfterEach
    void stop() {
        clients.forEach(HttpListenerTest::closeQuietly);
        clientThreads.shutdownNow();
        if (listener != null) {
            listener.close();
        }
    }

    // ---- 1. slowloris ---------------------------------------------------------------------------------------------

    @Test
    void aNormalPostIsAnsweredPromptlyWhileFiftyClientsStallOrTrickle() throws Exception {
        start(64, LONG_IDLE);
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Socket socket = connect();
            send(socket, "POST " + PATH + " HT"); // half a request line, then nothing
            stalled.add(socket);
        }
        List<Future<CutOff>> trickling = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            trickling.add(trickle(ENDLESS_HEAD));
        }
        awaitWithin(SLACK, "the server holds all 50 slow connections", () -> listener.openConnections() == 50);

        long start = System.nanoTime();
        RawResponse normal = roundTrip(post("{\"n\":1}"));
        Duration took = since(start);

        assertEquals(200, normal.status());
        assertTrue(took.compareTo(PROMPT) < 0, "a stalled client holds only its own connection; answered in " + took);
        assertEquals(List.of("{\"n\":1}"), bodies(), "only the complete request reached the handler");

        // And every slow client is then cut off at its header deadline, and counted.
        for (Future<CutOff> trickler : trickling) {
            assertCutOffAt(HEADER_TIMEOUT, trickler.get(10, TimeUnit.SECONDS));
        }
        for (Socket socket : stalled) {
            int status = statusOrClosed(socket);
            assertTrue(status == 408 || status == CLOSED, "a stalled head is answered 408 or closed, not " + status);
        }
        awaitWithin(SLACK, "all 50 counted as timed out", () -> listener.requestsTimedOut.get() == 50);
        assertEquals(1, handled.size());
    }

    @Test
    void tricklingClientsAreCutOffAtTheHeaderDeadlineThoughTheyKeepSending() throws Exception {
        start(64, LONG_IDLE);
        List<Future<CutOff>> trickling = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            trickling.add(trickle(ENDLESS_HEAD));
        }
        for (Future<CutOff> trickler : trickling) {
            CutOff cutOff = trickler.get(10, TimeUnit.SECONDS);
            assertCutOffAt(HEADER_TIMEOUT, cutOff);
            // Each byte arrived well within any per-read timeout: only an absolute deadline stops them.
            assertTrue(cutOff.trickled() >= 2, "it kept sending until cut off: " + cutOff);
        }
        awaitWithin(SLACK, "all 10 counted as timed out", () -> listener.requestsTimedOut.get() == 10);
        assertTrue(handled.isEmpty());
    }

    // ---- 2. slow body ---------------------------------------------------------------------------------------------

    @Test
    void aBodyThatStopsShortIsCutOffAtTheRequestDeadlineUnseenByTheHandler() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        long start = System.nanoTime();
        send(socket, HEAD_OF_1000 + "x".repeat(10));

        int status = statusOrClosed(socket);
        Duration took = since(start);

        assertTrue(status == 408 || status == CLOSED, "answered 408 or closed, not " + status);
        assertBetween(REQUEST_TIMEOUT.minus(EARLY), REQUEST_TIMEOUT.plus(SLACK), took, "cut off at the request deadline");
        awaitWithin(SLACK, "counted as timed out", () -> listener.requestsTimedOut.get() == 1);
        assertTrue(handled.isEmpty(), "the handler never sees a partial body");
    }

    @Test
    void aBodyTrickledByteByByteIsCutOffAtTheRequestDeadline() throws Exception {
        start(64, LONG_IDLE);
        CutOff cutOff = trickle(HEAD_OF_1000).get(10, TimeUnit.SECONDS);

        assertCutOffAt(REQUEST_TIMEOUT, cutOff);
        assertTrue(cutOff.trickled() >= 10, "it kept sending until cut off: " + cutOff);
        awaitWithin(SLACK, "counted as timed out", () -> listener.requestsTimedOut.get() == 1);
        assertTrue(handled.isEmpty());
    }

    // ---- 3. connection cap ----------------------------------------------------------------------------------------

    @Test
    void aConnectionOverTheCapIsAnswered503AndClosedUntilOthersLeave() throws Exception {
        start(4, LONG_IDLE);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            idle.add(connect());
        }
        awaitWithin(SLACK, "the four idle connections are held", () -> listener.openConnections() == 4);

        Socket fifth = connect();
        RawResponse refused = readResponse(fifth.getInputStream());
        assertNotNull(refused, "the fifth connection is answered, not just dropped");
        assertEquals(503, refused.status());
        assertEquals("close", refused.header("connection"));
        assertEquals("1", refused.header("retry-after"));
        assertTrue(closedByServer(fifth), "and closed at once");
        assertEquals(1, listener.connectionsRefused.get());
        assertEquals(4, listener.openConnections(), "the refused one never counted as open");

        idle.forEach(HttpListenerTest::closeQuietly);
        // The server notices the departures on its own threads: poll until a request gets through again.
        awaitWithin(Duration.ofSeconds(3), "a request succeeds once the idle connections left",
                () -> statusOnFreshConnection(post("{}")) == 200);
        assertEquals(List.of("{}"), bodies(), "refused attempts never reached the handler");
    }

    // ---- 4. idle keep-alive ---------------------------------------------------------------------------------------

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        Duration idleTimeout = Duration.ofMillis(500);
        start(64, idleTimeout);
        Socket used = connect();
        send(used, post("{}"));
        RawResponse answered = readResponse(used.getInputStream());
        long answeredAt = System.nanoTime();
        Socket silent = connect();
        long connectedAt = System.nanoTime();

        assertEquals(200, answered.status());
        assertNull(answered.header("connection"), "kept alive");
        assertEquals(-1, used.getInputStream().read(), "a kept-alive connection left idle is closed");
        assertBetween(idleTimeout.minus(EARLY), idleTimeout.plus(SLACK), since(answeredAt), "closed after idle");
        assertEquals(-1, silent.getInputStream().read(), "a connection that never says anything is closed");
        assertBetween(idleTimeout.minus(EARLY), idleTimeout.plus(SLACK), since(connectedAt), "closed after idle");
        assertEquals(0, listener.requestsTimedOut.get(), "idleness is not a timed-out request");
    }

    // ---- 5. keep-alive, chunked, refused framing ------------------------------------------------------------------

    @Test
    void twoRequestsOnOneConnectionAreBothAnswered() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();

        send(socket, post("first"));
        RawResponse first = readResponse(socket.getInputStream());
        send(socket, post("second"));
        RawResponse second = readResponse(socket.getInputStream());

        assertEquals(200, first.status());
        assertNull(first.header("connection"), "kept alive");
        assertEquals(200, second.status());
        assertEquals(List.of("first", "second"), bodies());
    }

    @Test
    void aChunkedBodyReachesTheHandlerIntactAndTheConnectionStaysUsable() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        // Sent in pieces, as a streaming client would.
        send(socket, "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        send(socket, "5;note=first\r\nhello\r\n");
        send(socket, "6\r\n world\r\n");
        send(socket, "0\r\nX-Trailer: ignored\r\n\r\n");
        assertEquals(200, readResponse(socket.getInputStream()).status());

        send(socket, post("after"));
        assertEquals(200, readResponse(socket.getInputStream()).status(), "the chunked framing was read exactly");
        assertEquals(List.of("hello world", "after"), bodies());
    }

    static Stream<Arguments> refusedFraming() {
        String post = "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding", 400,
                        post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("two different Content-Lengths", 400,
                        post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("a head over 16 KiB", 431,
                        post + "X-Big: " + "a".repeat(17 * 1024) + "\r\nContent-Length: 2\r\n\r\n{}"),
                Arguments.of("a request line without a version", 400, "POST " + PATH + "\r\nHost: x\r\n\r\n"),
                Arguments.of("a request line that is not HTTP", 400, "HELLO THERE\r\n\r\n"),
                Arguments.of("a header with space before its colon", 400,
                        post + "Content-Length : 2\r\n\r\n{}"),
                Arguments.of("a chunk longer than its size", 400,
                        post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}}\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusedFraming")
    void refusedFramingIsAnswered4xxAndClosedWithoutReachingTheHandler(String what, int status, String request)
            throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        send(socket, request);

        RawResponse refused = readResponse(socket.getInputStream());
        assertNotNull(refused, what + " is answered before the connection closes");
        assertEquals(status, refused.status(), what);
        assertEquals("close", refused.header("connection"), "nothing after it can be framed safely");
        assertTrue(closedByServer(socket));
        assertTrue(handled.isEmpty(), "the handler is never called");
    }

    // ---- 6. path, method, body size -------------------------------------------------------------------------------

    @Test
    void aGetIs405WithAllowPostAndKeepsTheConnection() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        send(socket, "GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        RawResponse get = readResponse(socket.getInputStream());
        assertEquals(405, get.status());
        assertEquals("POST", get.header("allow"));
        assertNull(get.header("connection"), "no body was left unread: the connection may carry another request");

        send(socket, post("after"));
        assertEquals(200, readResponse(socket.getInputStream()).status());
        assertEquals(List.of("after"), bodies());
    }

    @Test
    void aRouteAnswersItsBodyWithItsLengthAndTheConnectionCarriesOn() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        send(socket, "GET " + STATUS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        RawResponse status = readResponse(socket.getInputStream());
        assertEquals(200, status.status());
        assertEquals(String.valueOf(STATUS_BODY.length()), status.header("content-length"));
        assertEquals("application/json; charset=utf-8", status.header("content-type"));
        assertEquals(STATUS_BODY, new String(socket.getInputStream().readNBytes(STATUS_BODY.length()),
                StandardCharsets.UTF_8));

        send(socket, "POST " + STATUS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        RawResponse post = readResponse(socket.getInputStream());
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("allow"), "the route's methods, sorted");
        send(socket, post("after"));
        assertEquals(200, readResponse(socket.getInputStream()).status());
        assertEquals(List.of("after"), bodies());
    }

    @Test
    void anotherPathIs404() throws Exception {
        start(64, LONG_IDLE);
        assertEquals(404, roundTrip("POST /elsewhere HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").status());
        assertEquals(404, roundTrip("POST " + PATH + "/deeper HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                .status());
        assertEquals(404, roundTrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status());
        assertTrue(handled.isEmpty());
    }

    @Test
    void aBodyOverTheLimitByContentLengthIs413AndClosed() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        send(socket, "POST " + PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + "a".repeat(2000));

        RawResponse tooLarge = readResponse(socket.getInputStream());
        assertEquals(413, tooLarge.status());
        assertEquals("close", tooLarge.header("connection"));
        // The server drains what we send for a moment before closing; once we are done it closes.
        socket.shutdownOutput();
        assertTrue(closedByServer(socket));
        assertTrue(handled.isEmpty());
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndClosed() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        String chunk = Integer.toHexString(600) + "\r\n" + "a".repeat(600) + "\r\n";
        send(socket, "POST " + PATH + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk
                + "0\r\n\r\n");

        RawResponse tooLarge = readResponse(socket.getInputStream());
        assertEquals(413, tooLarge.status());
        assertEquals("close", tooLarge.header("connection"));
        socket.shutdownOutput();
        assertTrue(closedByServer(socket));
        assertTrue(handled.isEmpty());
    }

    @Test
    void expectContinueIsAnsweredOnlyWhenTheBodyIsWanted() throws Exception {
        start(64, LONG_IDLE);
        Socket wanted = connect();
        send(wanted, "POST " + PATH + " HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        assertEquals(100, readResponse(wanted.getInputStream()).status());
        send(wanted, "hello");
        assertEquals(200, readResponse(wanted.getInputStream()).status());

        // Too large: refused at once, without asking for (or waiting on) the body.
        Socket unwanted = connect();
        send(unwanted, "POST " + PATH + " HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
        assertEquals(413, readResponse(unwanted.getInputStream()).status());
        assertEquals(List.of("hello"), bodies());
    }

    // ---- 8. pipelining and clients that do not read ---------------------------------------------------------------

    @Test
    void aPipelinedBurstIsAnsweredInOrder() throws Exception {
        start(64, LONG_IDLE);
        Socket socket = connect();
        List<String> sent = IntStream.range(0, 100).mapToObj(i -> "n" + i).toList();
        send(socket, String.join("", sent.stream().map(HttpListenerTest::post).toList()));

        for (int i = 0; i < sent.size(); i++) {
            assertEquals(200, readResponse(socket.getInputStream()).status(), "response " + i);
        }
        assertEquals(sent, bodies());
    }

    @Test
    void aClientThatNeverReadsItsAnswerHoldsOnlyItsOwnConnectionAndOnlyUntilTheDeadline() throws Exception {
        // An answer far larger than the socket buffers (at most 4 MiB here): its write blocks, which no read
        // timeout bounds; only the deadline watchdog does.
        String filler = "x".repeat(16 * 1024 * 1024);
        answer = request -> new String(request.body(), StandardCharsets.US_ASCII).equals("huge")
                ? new HttpListener.Response(200, Map.of("X-Filler", filler))
                : HttpListener.Response.of(200);
        start(64, LONG_IDLE);
        Socket greedy = new Socket();
        greedy.setReceiveBufferSize(4096);
        clients.add(greedy);
        greedy.connect(new InetSocketAddress("127.0.0.1", listener.port()));
        long sentAt = System.nanoTime();
        send(greedy, post("huge"));
        awaitWithin(SLACK, "the greedy request was handled", () -> handled.size() == 1);

        long start = System.nanoTime();
        RawResponse normal = roundTrip(post("normal"));
        Duration took = since(start);
        assertEquals(200, normal.status());
        assertTrue(took.compareTo(PROMPT) < 0, "others are served while a write is stuck; answered in " + took);

        // The stuck write is cut off by the watchdog a little after the request deadline, not before, not never.
        awaitWithin(REQUEST_TIMEOUT.plus(SLACK).plus(SLACK), "the stuck connection is closed",
                () -> listener.openConnections() == 0);
        assertBetween(REQUEST_TIMEOUT.minus(EARLY), REQUEST_TIMEOUT.plus(SLACK).plus(SLACK), since(sentAt),
                "the write to a non-reading client lasted until its deadline");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** How a hostile client's connection ended: the status answered (or CLOSED), after how long, having trickled how many bytes. */
    private record CutOff(int status, long afterMillis, int trickled) {
    }

    /** A response's status and headers (names in lower case). */
    private record RawResponse(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private void start(int maxConnections, Duration idleTimeout) throws IOException {
        ListenerLimits limits = new ListenerLimits(maxConnections, idleTimeout, HEADER_TIMEOUT, REQUEST_TIMEOUT,
                MAX_BODY, 2, 4);
        listener = new HttpListener("test", new InetSocketAddress("127.0.0.1", 0), null,
                Map.of(PATH, Set.of("POST"), STATUS_PATH, Set.of("GET", "HEAD")), limits, request -> {
                    if (request.head().path().equals(STATUS_PATH)) {
                        return HttpListener.Response.json(200, STATUS_BODY);
                    }
                    handled.add(request);
                    return answer.handle(request);
                });
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", listener.port()), CLIENT_READ_TIMEOUT_MS);
        socket.setSoTimeout(CLIENT_READ_TIMEOUT_MS);
        return socket;
    }

    /**
     * A hostile client: sends {@code opening} now, then one byte every {@value #TRICKLE_INTERVAL_MS} ms without ever
     * finishing, until the server answers or drops it. Its clock starts at its first byte, as the server's does.
     */
    private Future<CutOff> trickle(String opening) throws IOException {
        Socket socket = connect();
        send(socket, opening);
        long start = System.nanoTime();
        return clientThreads.submit(() -> {
            // The read timeout paces the trickle: the client waits for an answer between its bytes.
            socket.setSoTimeout(TRICKLE_INTERVAL_MS);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int trickled = 0;
            try {
                while (since(start).toSeconds() < 10) {
                    try {
                        int first = in.read();
                        int status = first < 0 ? CLOSED : statusAfter(first, in);
                        return new CutOff(status, since(start).toMillis(), trickled);
                    } catch (SocketTimeoutException stillHeld) {
                        out.write('a');
                        trickled++;
                    }
                }
                return new CutOff(NEVER_CUT_OFF, since(start).toMillis(), trickled);
            } catch (IOException reset) {
                return new CutOff(CLOSED, since(start).toMillis(), trickled);
            }
        });
    }

    /** Cut off (408 or closed) at {@code deadline} after its first byte: not before, and not long after. */
    private static void assertCutOffAt(Duration deadline, CutOff cutOff) {
        assertTrue(cutOff.status() == 408 || cutOff.status() == CLOSED, "answered 408 or closed: " + cutOff);
        assertBetween(deadline.minus(EARLY), deadline.plus(SLACK), Duration.ofMillis(cutOff.afterMillis()),
                "cut off at the deadline: " + cutOff);
    }

    private static void assertBetween(Duration min, Duration max, Duration actual, String what) {
        assertTrue(actual.compareTo(min) >= 0 && actual.compareTo(max) <= 0,
                what + ": took " + actual.toMillis() + " ms, expected " + min.toMillis() + "-" + max.toMillis() + " ms");
    }

    /** Waits for a condition by polling it; fails when it does not hold within {@code limit}. */
    private static void awaitWithin(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(10); // the polling interval
        }
    }

    private RawResponse roundTrip(String request) throws IOException {
        try (Socket socket = connect()) {
            send(socket, request);
            RawResponse response = readResponse(socket.getInputStream());
            assertNotNull(response, "answered");
            return response;
        }
    }

    /** The status of a request on a new connection, or -1 when it failed (the server is refusing connections). */
    private int statusOnFreshConnection(String request) {
        try {
            return roundTrip(request).status();
        } catch (IOException | AssertionError refused) {
            return -1;
        }
    }

    /** The status the server answered, or CLOSED when it closed (or reset) the connection without an answer. */
    private static int statusOrClosed(Socket socket) throws IOException {
        try {
            RawResponse response = readResponse(socket.getInputStream());
            return response == null ? CLOSED : response.status();
        } catch (SocketException | EOFException reset) {
            return CLOSED;
        }
    }

    /** True when the server closed the connection: end of stream, or a reset because it left our bytes unread. */
    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static int statusAfter(int first, InputStream in) {
        try {
            String statusLine = (char) first + readLine(in);
            return Integer.parseInt(statusLine.split(" ")[1]);
        } catch (IOException | RuntimeException cutShort) {
            return CLOSED;
        }
    }

    /** Status line and headers (our server's answers have no body); null when the stream ends first. */
    private static RawResponse readResponse(InputStream in) throws IOException {
        String statusLine = readLineOrNull(in);
        if (statusLine == null) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    /** One line without its CRLF, read byte by byte so that nothing of the next response is taken. */
    private static String readLine(InputStream in) throws IOException {
        String line = readLineOrNull(in);
        if (line == null) {
            throw new EOFException("the response ended inside its head");
        }
        return line;
    }

    /** Like {@link #readLine}, but null when the stream ends before the line begins. */
    private static String readLineOrNull(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0) {
                if (line.length() == 0) {
                    return null;
                }
                throw new EOFException("the response ended inside a line: " + line);
            }
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }

    private static void send(Socket socket, String data) throws IOException {
        socket.getOutputStream().write(data.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static String post(String body) {
        return "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private List<String> bodies() {
        return handled.stream().map(request -> new String(request.body(), StandardCharsets.ISO_8859_1)).toList();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
