package io.mlconnector.simulators.ion.ims;

import static io.mlconnector.simulators.ion.ims.ImsTestSupport.ACCEPTED;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.Answer;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.FakeReceiver;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.Part;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.Received;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.inflate;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.oauthParams;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.parse;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.validSignature;
import static io.mlconnector.simulators.ion.ims.ImsTestSupport.xp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ImsSenderTest {

    static final String KEY = "ACME_TST~ims-consumer";
    static final String SECRET = "s3cr3t/with+special&chars=~";
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

    private FakeReceiver receiver;
    private ImsSender sender;
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    private final Sleeper recordingSleeper = slept::add;

    @BeforeEach
    void start() throws Exception {
        receiver = new FakeReceiver();
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        receiver.close();
        assertEquals(List.of(), receiver.errors, "the fake receiver's checks");
    }

    private ImsSenderSettings.Builder settings() {
        return ImsSenderSettings.builder(receiver.endpoint()).oauth1(KEY, SECRET).sleeper(recordingSleeper)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .retry(RetryPolicy.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(250), 2.0).withMaxAttempts(4));
    }

    private ImsSender sender(ImsSenderSettings.Builder b) {
        sender = new ImsSender(b.build());
        return sender;
    }

    static BodDocument po(int i, long variation, String supplierName) {
        PurchaseOrderVersion v = new PurchaseOrderVersion("ACME_TST", "100_AAA", "AAA1", "lid://infor.m3.m3",
                String.valueOf(4_000_000_000L + i), variation, variation == 1 ? ActionCode.Add : ActionCode.Replace, "20",
                "S00001", supplierName, LocalDate.parse("2026-12-05"), "EUR", new BigDecimal("10.00"), "BUYER01", NOW,
                List.of(new PurchaseOrderVersion.Line(1, "ITEM1", "Bolt", BigDecimal.ONE, "EA", new BigDecimal("10.00"),
                        new BigDecimal("10.00"))));
        return new BodFactory(Clock.fixed(NOW, ZoneOffset.UTC), "M3BE", "").purchaseOrder(v);
    }

    static List<ImsMessage> messages(int n) {
        List<ImsMessage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ImsMessage.of(String.format("%032x", i + 1), po(i, 1, "Supplier " + i), ImsMessage.Encoding.NONE));
        }
        return out;
    }

    /** Answers per message: the function gets the message id and how many times it arrived so far (1-based). */
    private void answerMessages(java.util.function.BiFunction<String, Integer, Answer> answer) {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        receiver.responder = r -> {
            if (!r.isMessage()) {
                return FakeReceiver.standard(r);
            }
            String id = r.messageId();
            return answer.apply(id, seen.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
        };
    }

    @Test
    void handshakeThenOneMultipartPostPerMessageInTheReferenceWireFormat() throws Exception {
        String nasty = "Nord & Söhne <GmbH> | \"Tief\"; ]]>\nZeile\r\n北京 𝄞";
        BodDocument plain = po(1, 3, nasty);
        BodDocument deflated = po(2, 4, "Supplier 2");
        String id1 = "0123456789abcdef0123456789abcdef";
        String id2 = "fedcba9876543210fedcba9876543210";
        DeliveryReport report = sender(settings()).deliver(List.of(ImsMessage.of(id1, plain, ImsMessage.Encoding.NONE),
                ImsMessage.of(id2, deflated, ImsMessage.Encoding.DEFLATE)));

        assertFalse(report.aborted(), report.toString());
        assertEquals(2, report.acknowledged());
        List<Received> all = receiver.requests;
        assertEquals(4, all.size());
        assertEquals("GET /ims/service/ping", all.get(0).method() + " " + all.get(0).path());
        assertEquals("GET /ims/service/protocol", all.get(1).method() + " " + all.get(1).path());
        assertEquals(Map.of("version", "v3", "messageMethod", "multipartMessage", "supportedEncoding", "DEFLATE",
                "supportedCharacterSet", "UTF-8", "hasDiscovery", false), report.handshake().protocol());
        for (Received r : all.subList(0, 2)) {
            assertNull(r.header("X-TenantId"), "ping and protocol carry auth only (reference 1.2)");
            assertTrue(validSignature("GET", receiver.endpoint() + r.path().substring("/ims/service".length()),
                    r.header("Authorization"), SECRET), r.header("Authorization"));
        }
        Set<String> nonces = new HashSet<>();
        for (Received r : all) {
            nonces.add(oauthParams(r.header("Authorization")).get("oauth_nonce"));
        }
        assertEquals(4, nonces.size(), "a fresh nonce per request");

        for (Received r : all.subList(2, 4)) {
            assertEquals("POST /ims/service/v3/multipartMessage", r.method() + " " + r.path());
            assertNull(r.query());
            assertEquals("ACME_TST", r.header("X-TenantId"));
            String contentType = r.header("Content-Type");
            assertTrue(Pattern.matches("multipart/form-data; boundary=" + UUID.pattern(), contentType), contentType);
            assertEquals(String.valueOf(r.body().length), r.header("Content-Length"));

            String auth = r.header("Authorization");
            Map<String, String> oauth = oauthParams(auth);
            assertEquals(List.of("realm", "oauth_consumer_key", "oauth_nonce", "oauth_signature_method", "oauth_timestamp",
                    "oauth_version", "oauth_signature"), List.copyOf(oauth.keySet()));
            assertTrue(auth.startsWith("OAuth realm=\"\", oauth_consumer_key=\"ACME_TST~ims-consumer\", "), auth);
            assertEquals("HMAC-SHA1", oauth.get("oauth_signature_method"));
            assertEquals("1.0", oauth.get("oauth_version"));
            assertEquals(String.valueOf(NOW.getEpochSecond()), oauth.get("oauth_timestamp"));
            assertFalse(oauth.containsKey("oauth_token"), "two-legged");
            assertTrue(validSignature("POST", receiver.endpoint() + "/v3/multipartMessage", auth, SECRET),
                    "signature over method, URL and oauth parameters only: " + auth);
            assertFalse(validSignature("POST", receiver.endpoint() + "/v3/multipartMessage", auth, SECRET + "x"));

            List<Part> parts = r.parts();
            assertEquals(2, parts.size());
            assertEquals(Map.of("Content-Disposition", "form-data; name=\"ParameterRequest\"", "Content-Type", "application/json"),
                    parts.get(0).headers());
            assertEquals(List.of("Content-Disposition", "Content-Type"), List.copyOf(parts.get(0).headers().keySet()));
            assertEquals(List.of("Content-Disposition", "Content-Type", "Content-Transfer-Encoding"),
                    List.copyOf(parts.get(1).headers().keySet()));
            assertEquals("form-data; name=\"MessagePayload\"", parts.get(1).disposition());
            assertEquals("application/octet-stream", parts.get(1).headers().get("Content-Type"));
            assertEquals("binary", parts.get(1).headers().get("Content-Transfer-Encoding"));
        }

        // the two messages are in flight together: find each by its id, not by arrival order
        Received first = all.get(2).messageId().equals(id1) ? all.get(2) : all.get(3);
        Received second = first == all.get(2) ? all.get(3) : all.get(2);
        Map<String, Object> p1 = first.parameters();
        assertEquals(List.of("documentName", "messageId", "fromLogicalId", "toLogicalId", "encoding", "characterSet",
                "accountingEntity", "location", "documentId", "variationId", "revisionId"), List.copyOf(p1.keySet()));
        assertEquals("Sync.PurchaseOrder", p1.get("documentName"));
        assertEquals(id1, p1.get("messageId"));
        assertTrue(HEX32.matcher((String) p1.get("messageId")).matches());
        assertEquals("lid://infor.m3.m3", p1.get("fromLogicalId"));
        assertEquals("lid://default", p1.get("toLogicalId"));
        assertEquals("NONE", p1.get("encoding"));
        assertEquals("UTF-8", p1.get("characterSet"));
        assertEquals("100_AAA", p1.get("accountingEntity"));
        assertEquals("AAA1", p1.get("location"));
        assertEquals("4000000001", p1.get("documentId"));
        assertTrue(p1.get("variationId") instanceof Number, "variationId is a JSON number");
        assertEquals(3L, ((Number) p1.get("variationId")).longValue());
        assertEquals("", p1.get("revisionId"));
        byte[] payload1 = first.parts().get(1).body();
        assertArrayEquals(plain.xml(), payload1, "NONE: the UTF-8 BOD bytes as they are");
        Document d = parse(payload1);
        assertEquals(nasty, xp(d, "//o:SupplierParty/o:Name"));

        assertEquals("DEFLATE", second.parameters().get("encoding"));
        assertEquals(4L, ((Number) second.parameters().get("variationId")).longValue());
        byte[] payload2 = second.parts().get(1).body();
        assertEquals(0x78, payload2[0] & 0xFF, "zlib header (RFC 1950)");
        assertTrue(Set.of(0x01, 0x5E, 0x9C, 0xDA).contains(payload2[1] & 0xFF));
        assertArrayEquals(deflated.xml(), inflate(payload2));
        assertEquals("4000000002", xp(parse(inflate(payload2)), "//o:PurchaseOrderHeader/o:DocumentID/o:ID"));

        assertEquals(2, report.count2xx());
        assertEquals(2, report.attempts());
        assertEquals(202, report.outcome(id1).finalStatus());
        assertEquals(1, report.outcome(id1).attempts());
    }

    @Test
    void protocolFailureCallsVersionsAndStrictHandshakeSendsNothing() {
        receiver.responder = r -> r.path().endsWith("/protocol") ? Answer.of(404, "{}") : FakeReceiver.standard(r);
        DeliveryReport report = sender(settings()).deliver(messages(3));
        assertTrue(report.aborted());
        assertTrue(report.abortReason().contains("protocol failed (404)"), report.abortReason());
        assertEquals(List.of("/ims/service/ping", "/ims/service/protocol", "/ims/service/versions"),
                receiver.requests.stream().map(Received::path).toList());
        assertEquals(0, report.messages());
        assertEquals(List.of(200, 404, 200), report.handshake().calls().stream().map(DeliveryReport.Call::status).toList());
    }

    @Test
    void aProtocolWithoutV3MultipartMessageOrAFailedPingStopsStrictButNotLenientDelivery() {
        receiver.responder = r -> r.path().endsWith("/protocol")
                ? Answer.of(200, "{\"version\":\"v3\",\"messageMethod\":\"message\",\"supportedEncoding\":\"NONE\"}")
                : FakeReceiver.standard(r);
        DeliveryReport strict = sender(settings()).deliver(messages(2));
        assertTrue(strict.aborted());
        assertTrue(strict.abortReason().contains("messageMethod message"), strict.abortReason());
        assertTrue(receiver.messages().isEmpty());
        assertEquals(2, receiver.requests.size(), "protocol answered, so no versions call");
        sender.close();

        receiver.requests.clear();
        receiver.responder = r -> r.path().endsWith("/ping") ? Answer.of(401, "{}") : FakeReceiver.standard(r);
        DeliveryReport pingFails = sender(settings()).deliver(messages(2));
        assertTrue(pingFails.aborted());
        assertTrue(pingFails.abortReason().startsWith("ping answered 401"), pingFails.abortReason());
        sender.close();

        receiver.requests.clear();
        DeliveryReport lenient = sender(settings().handshake(HandshakePolicy.LENIENT)).deliver(messages(2));
        assertFalse(lenient.aborted());
        assertFalse(lenient.handshake().ok());
        assertEquals(2, lenient.acknowledged());
        sender.close();

        receiver.requests.clear();
        DeliveryReport skipped = sender(settings().handshake(HandshakePolicy.SKIP)).deliver(messages(1));
        assertEquals(1, skipped.acknowledged());
        assertEquals(1, receiver.requests.size());
        assertTrue(receiver.requests.get(0).isMessage());
    }

    @Test
    void a503TwiceThen202IsRedeliveredWithBackoffAndTheSameBody() throws Exception {
        answerMessages((id, n) -> n <= 2 ? Answer.of(503, "{\"code\":503,\"status\":\"FAIL\"}") : ACCEPTED);
        List<ImsMessage> one = List.of(ImsMessage.of("a".repeat(32), po(1, 2, "S"), ImsMessage.Encoding.DEFLATE));
        DeliveryReport report = sender(settings()).deliver(one);

        DeliveryReport.MessageOutcome o = report.outcome("a".repeat(32));
        assertTrue(o.acknowledged());
        assertEquals(3, o.attempts());
        assertEquals(202, o.finalStatus());
        assertEquals(List.of(503, 503), o.failedAttempts().stream().map(DeliveryReport.Attempt::status).toList());
        assertEquals("{\"code\":503,\"status\":\"FAIL\"}", o.failedAttempts().get(0).responseBody());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), slept);
        assertEquals(Map.of(202, 1L, 503, 2L), report.statusCounts());
        assertEquals(2, report.count5xx());
        assertEquals(1, report.count2xx());
        assertEquals(3, report.attemptLog().size());

        List<Received> posts = receiver.messages();
        assertEquals(3, posts.size());
        for (Received r : posts) {
            assertArrayEquals(posts.get(0).body(), r.body(), "a redelivery is the same message");
            assertTrue(validSignature("POST", receiver.endpoint() + "/v3/multipartMessage", r.header("Authorization"), SECRET));
        }
        assertNotEquals(oauthParams(posts.get(0).header("Authorization")).get("oauth_nonce"),
                oauthParams(posts.get(1).header("Authorization")).get("oauth_nonce"), "each attempt freshly signed");
    }

    @Test
    void backoffGrowsToItsCapAndGivesUpAfterMaxAttempts() {
        answerMessages((id, n) -> Answer.of(500, "{}"));
        DeliveryReport report = sender(settings()).deliver(messages(1));
        DeliveryReport.MessageOutcome o = report.outcomes().get(0);
        assertFalse(o.acknowledged());
        assertEquals(4, o.attempts());
        assertEquals(500, o.finalStatus());
        assertEquals(4, o.failedAttempts().size());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250)), slept);
        assertNull(o.failedAttempts().get(3).retryAfter());
        assertEquals(1, report.failed());
    }

    @Test
    void statusesOutsideTheRetryListAreFinalUnlessAllNon2xxAreRetried() {
        answerMessages((id, n) -> Answer.of(id.endsWith("1") ? 400 : 412, "{\"code\":477,\"status\":\"FAIL\"}"));
        DeliveryReport report = sender(settings()).deliver(messages(2));
        assertEquals(List.of(1, 1), report.outcomes().stream().map(DeliveryReport.MessageOutcome::attempts).toList());
        assertEquals(List.of(400, 412), report.outcomes().stream().map(DeliveryReport.MessageOutcome::finalStatus).toList());
        assertEquals(2, report.count4xx());
        assertTrue(slept.isEmpty());
        sender.close();

        receiver.requests.clear();
        DeliveryReport all = sender(settings().retry(RetryPolicy.defaults().withRetryAllNon2xx(true)
                .withBackoff(Duration.ZERO, Duration.ZERO, 1).withMaxAttempts(3))).deliver(messages(1));
        assertEquals(3, all.outcomes().get(0).attempts());
        assertEquals(3, receiver.messages().size());
    }

    @Test
    void anyTwoHundredIsAnAcknowledgementAndIsNeverRetried() {
        answerMessages((id, n) -> Answer.of(id.endsWith("1") ? 200 : 204, ""));
        DeliveryReport report = sender(settings().retry(RetryPolicy.defaults().withRetryAllNon2xx(true))).deliver(messages(2));
        assertEquals(2, report.acknowledged());
        assertEquals(2, receiver.messages().size());
        assertEquals(List.of(200, 204), report.outcomes().stream().map(DeliveryReport.MessageOutcome::finalStatus).toList());
        assertTrue(slept.isEmpty());
        assertTrue(RetryPolicy.defaults().retryStatuses().containsAll(List.of(401, 403, 404, 406, 408, 415, 500, 502, 503, 504)));
        assertFalse(new RetryPolicy(Set.of(200, 202), true, true, Duration.ZERO, Duration.ZERO, 1, 3).retries(202));
    }

    @Test
    void aRequestTimeoutIsRetried() {
        // message 1 is answered at once (it warms the client up); message 2's first attempt is held past the request
        // timeout and released when its redelivery arrives
        String held = String.format("%032x", 2);
        CountDownLatch secondArrived = new CountDownLatch(1);
        answerMessages((id, n) -> !id.equals(held) ? ACCEPTED
                : n == 1 ? new Answer(202, "{}", () -> secondArrived.getCount() == 0) : countDownAndAccept(secondArrived));
        DeliveryReport report = sender(settings().concurrency(1).handshake(HandshakePolicy.SKIP)
                .requestTimeout(Duration.ofMillis(500))).deliver(messages(2));
        DeliveryReport.MessageOutcome o = report.outcome(held);
        assertTrue(o.acknowledged(), report.toString());
        assertEquals(2, o.attempts(), report.attemptLog().toString());
        assertEquals(DeliveryReport.Failure.TIMEOUT, o.failedAttempts().get(0).failure());
        assertEquals(1, report.timeouts());
        assertEquals(2, report.count2xx());
        assertEquals(List.of(Duration.ofMillis(100)), slept);
    }

    private static Answer countDownAndAccept(CountDownLatch latch) {
        latch.countDown();
        return ACCEPTED;
    }

    @Test
    void networkErrorsAreRetriedAndReported() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        ImsSender s = sender(ImsSenderSettings.builder("http://127.0.0.1:" + closedPort + "/ims/service")
                .sleeper(recordingSleeper).handshake(HandshakePolicy.SKIP)
                .retry(RetryPolicy.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(1), 1).withMaxAttempts(3)));
        DeliveryReport report = s.deliver(messages(1));
        DeliveryReport.MessageOutcome o = report.outcomes().get(0);
        assertFalse(o.acknowledged());
        assertEquals(3, o.attempts());
        assertEquals(DeliveryReport.Failure.NETWORK, o.finalFailure());
        assertEquals(0, o.finalStatus());
        assertEquals(3, report.networkErrors());
        sender.close();

        sender = null;
        ImsSender strict = new ImsSender(ImsSenderSettings.builder("http://127.0.0.1:" + closedPort + "/ims/service").build());
        try {
            DeliveryReport aborted = strict.deliver(messages(1));
            assertTrue(aborted.aborted());
            assertEquals(0, aborted.handshake().calls().get(0).status());
        } finally {
            strict.close();
        }
    }

    /** The receiver checks every message's signature and answers 401 when it is wrong. */
    private void verifySignatures() {
        receiver.responder = r -> {
            if (!r.isMessage()) {
                return FakeReceiver.standard(r);
            }
            return validSignature("POST", receiver.endpoint() + "/v3/multipartMessage", r.header("Authorization"), SECRET)
                    ? ACCEPTED : Answer.of(401, "{\"code\":401,\"status\":\"FAIL\"}");
        };
    }

    @Test
    void badSignaturesForChosenMessagesOnEveryAttempt() {
        verifySignatures();
        List<ImsMessage> list = messages(4);
        String bad = list.get(2).messageId();
        DeliveryReport report = sender(settings().badCredentials(BadCredentials.forMessages(Set.of(bad)))).deliver(list);
        assertEquals(3, report.acknowledged());
        DeliveryReport.MessageOutcome o = report.outcome(bad);
        assertFalse(o.acknowledged());
        assertEquals(4, o.attempts(), "401 is in the retry list");
        assertTrue(o.failedAttempts().stream().allMatch(a -> a.status() == 401 && a.wrongCredentials()));
        assertEquals(4, report.statusCounts().get(401));
        long badAtReceiver = receiver.messages().stream().filter(r -> r.messageId().equals(bad)).count();
        assertEquals(4, badAtReceiver);
        assertTrue(receiver.requests.stream().filter(r -> !r.isMessage()).allMatch(r -> validSignature("GET",
                receiver.endpoint() + r.path().substring("/ims/service".length()), r.header("Authorization"), SECRET)),
                "handshake calls are signed correctly");
    }

    @Test
    void badSignaturesForTheFirstMessagesOnTheirFirstAttemptThenGoodOnes() {
        verifySignatures();
        List<ImsMessage> list = messages(5);
        DeliveryReport report = sender(settings().concurrency(1)
                .badCredentials(BadCredentials.forFirst(2).withAttemptsPerMessage(1))).deliver(list);
        assertEquals(5, report.acknowledged());
        assertEquals(List.of(2, 2, 1, 1, 1), report.outcomes().stream().map(DeliveryReport.MessageOutcome::attempts).toList());
        assertEquals(2L, report.statusCounts().get(401));
        assertEquals(5L, report.statusCounts().get(202));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), slept);
    }

    @Test
    void basicAuthenticationAndItsWrongPassword() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("svc:pa:ss".getBytes(StandardCharsets.UTF_8));
        receiver.responder = r -> expected.equals(r.header("Authorization")) ? FakeReceiver.standard(r) : Answer.of(401, "{}");
        List<ImsMessage> list = messages(2);
        DeliveryReport report = sender(settings().basic("svc", "pa:ss").retry(RetryPolicy.none())
                .badCredentials(BadCredentials.forMessages(Set.of(list.get(1).messageId())))).deliver(list);
        assertTrue(report.outcomes().get(0).acknowledged());
        assertEquals(401, report.outcomes().get(1).finalStatus());
        assertEquals(expected, receiver.requests.get(0).header("Authorization"));
    }

    @Test
    void noAuthenticationSendsNoAuthorizationHeader() {
        DeliveryReport report = sender(settings().authentication(ImsAuthentication.none())).deliver(messages(1));
        assertEquals(1, report.acknowledged());
        assertTrue(receiver.requests.stream().allMatch(r -> r.header("Authorization") == null));
    }

    @Test
    void atMostConcurrencyMessagesAreInFlight() {
        for (int concurrency : new int[]{4, 1}) {
            receiver.maxInFlight.set(0);
            receiver.requests.clear();
            int target = concurrency;
            // the first wave is held until one more request than allowed shows up, or for 300 ms once the allowed
            // number is in flight (a sender that respects the bound sends no more meanwhile)
            java.util.concurrent.atomic.AtomicLong fullSince = new java.util.concurrent.atomic.AtomicLong();
            receiver.responder = r -> {
                if (!r.isMessage()) {
                    return FakeReceiver.standard(r);
                }
                if (receiver.messages().size() > target) {
                    return ACCEPTED;
                }
                return new Answer(202, "{}", () -> {
                    int now = receiver.inFlight.get();
                    if (now > target) {
                        return true;
                    }
                    if (now == target) {
                        fullSince.compareAndSet(0, System.nanoTime());
                    }
                    long since = fullSince.get();
                    return since != 0 && System.nanoTime() - since > 300_000_000L;
                });
            };
            DeliveryReport report = sender(settings().concurrency(concurrency)).deliver(messages(12));
            assertEquals(12, report.acknowledged());
            assertEquals(concurrency, receiver.maxInFlight.get(), "concurrency " + concurrency);
            sender.close();
        }
        sender = null;
    }

    @Test
    void shuffledOrderIsSeededAndAsGivenKeepsTheList() {
        List<ImsMessage> list = messages(20);
        List<String> given = list.stream().map(ImsMessage::messageId).toList();
        List<List<String>> orders = new ArrayList<>();
        for (ImsSenderSettings.Order order : List.of(ImsSenderSettings.Order.AS_GIVEN, ImsSenderSettings.Order.SHUFFLED,
                ImsSenderSettings.Order.SHUFFLED)) {
            receiver.requests.clear();
            sender(settings().concurrency(1).order(order).seed(7)).deliver(list);
            orders.add(receiver.messages().stream().map(Received::messageId).toList());
            sender.close();
        }
        sender = null;
        assertEquals(given, orders.get(0));
        assertNotEquals(given, orders.get(1));
        assertEquals(Set.copyOf(given), Set.copyOf(orders.get(1)));
        assertEquals(orders.get(1), orders.get(2), "same seed, same order");
    }

    @Test
    void hazardCopiesArriveInRoundOneAfterEveryOriginalIsAcknowledged() {
        List<BodDocument> docs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            docs.add(po(i, 1, "S"));
            docs.add(po(i, 2, "S"));
        }
        Hazards hazards = new Hazards(0.25, 0.25, 0.5, 0.5, 0);
        DeliveryReport report = sender(settings().hazards(hazards).seed(3).order(ImsSenderSettings.Order.SHUFFLED))
                .deliverDocuments(docs);
        assertEquals(12 + 3 + 3, report.messages());
        assertEquals(report.messages(), report.acknowledged());
        List<Received> posts = receiver.messages();
        assertEquals(18, posts.size());
        List<DeliveryReport.MessageOutcome> outcomes = report.outcomes();
        long roundZero = outcomes.stream().filter(o -> o.round() == 0).count();
        assertEquals(12 - 3, roundZero, "three of six documents have one older variation held back");
        for (int i = 0; i < posts.size(); i++) {
            assertEquals(i < roundZero ? 0 : 1, outcomes.get(i).round(), "dispatch order is round order");
        }
        Map<ImsMessage.Kind, Long> kinds = new java.util.EnumMap<>(ImsMessage.Kind.class);
        outcomes.forEach(o -> kinds.merge(o.kind(), 1L, Long::sum));
        assertEquals(Map.of(ImsMessage.Kind.ORIGINAL, 9L, ImsMessage.Kind.STALE, 3L, ImsMessage.Kind.DUPLICATE_SAME_ID, 3L,
                ImsMessage.Kind.DUPLICATE_NEW_ID, 3L), kinds);
        // stale: an older variation arrives after the newest variation of its document
        for (DeliveryReport.MessageOutcome stale : outcomes.stream().filter(o -> o.kind() == ImsMessage.Kind.STALE).toList()) {
            assertEquals(1, stale.variationId());
            int staleAt = indexOf(posts, stale.messageId());
            int newestAt = -1;
            for (int i = 0; i < posts.size(); i++) {
                Map<String, Object> p = posts.get(i).parameters();
                if (p.get("documentId").equals(stale.documentId()) && ((Number) p.get("variationId")).longValue() == 2) {
                    newestAt = i;
                    break;
                }
            }
            assertTrue(newestAt >= 0 && newestAt < staleAt);
        }
        // same-id duplicates: the same messageId and payload twice
        for (DeliveryReport.MessageOutcome dup : outcomes.stream().filter(o -> o.kind() == ImsMessage.Kind.DUPLICATE_SAME_ID).toList()) {
            List<Received> twice = posts.stream().filter(r -> r.messageId().equals(dup.messageId())).toList();
            assertEquals(2, twice.size());
            assertArrayEquals(twice.get(0).parts().get(1).body(), twice.get(1).parts().get(1).body());
            assertEquals(2, report.outcomes(dup.messageId()).size());
        }
        // new-id duplicates: same document and variation under an id seen nowhere else
        for (DeliveryReport.MessageOutcome dup : outcomes.stream().filter(o -> o.kind() == ImsMessage.Kind.DUPLICATE_NEW_ID).toList()) {
            assertEquals(1, posts.stream().filter(r -> r.messageId().equals(dup.messageId())).count());
            assertEquals(2, outcomes.stream().filter(o -> o.documentId().equals(dup.documentId())
                    && o.variationId() == dup.variationId() && o.kind() != ImsMessage.Kind.DUPLICATE_SAME_ID).count());
        }
        // half of the 12 originals (ORIGINAL or STALE) are DEFLATE; copies keep the encoding of what they copy
        assertEquals(6, outcomes.stream().filter(o -> (o.kind() == ImsMessage.Kind.ORIGINAL || o.kind() == ImsMessage.Kind.STALE)
                && o.encoding() == ImsMessage.Encoding.DEFLATE).count());
        for (Received r : posts) {
            assertEquals(r.parameters().get("encoding"), report.outcomes(r.messageId()).get(0).encoding().name());
        }
    }

    private static int indexOf(List<Received> posts, String messageId) {
        for (int i = 0; i < posts.size(); i++) {
            if (posts.get(i).messageId().equals(messageId)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void multipartSpellingVariantsStillParse() {
        sender(settings().multipart(new MultipartStyle(true, false, "ParameterRequest.json", "payload \"1\".xml")))
                .deliver(messages(1));
        Received r = receiver.messages().get(0);
        assertTrue(Pattern.matches("multipart/form-data; boundary=\"" + UUID.pattern() + "\"", r.header("Content-Type")));
        List<Part> parts = r.parts();
        assertEquals("form-data; name=ParameterRequest; filename=\"ParameterRequest.json\"", parts.get(0).disposition());
        assertEquals("form-data; name=MessagePayload; filename=\"payload \\\"1\\\".xml\"", parts.get(1).disposition());
        assertEquals("binary", parts.get(1).headers().get("Content-Transfer-Encoding"));
    }

    @Test
    void parameterOverridesAndExtendedIdsReachTheWire() {
        ImsMessage m = ImsMessage.of("M3-src-1:-ION-:" + "b".repeat(32), po(1, 1, "S"), ImsMessage.Encoding.NONE)
                .withParameter("variationId", null).withParameter("documentId", "other");
        sender(settings()).deliver(List.of(m));
        Map<String, Object> p = receiver.messages().get(0).parameters();
        assertFalse(p.containsKey("variationId"));
        assertEquals("other", p.get("documentId"));
        assertEquals("M3-src-1:-ION-:" + "b".repeat(32), p.get("messageId"));
    }

    @Test
    void methodPathsAreAppendedToTheEndpointPath() {
        ImsSenderSettings s = ImsSenderSettings.builder("https://h.example/api/ion/messaging/service/").build();
        assertEquals("https://h.example/api/ion/messaging/service/v3/multipartMessage", s.method(ImsSender.MULTIPART_MESSAGE).toString());
        ImsSenderSettings q = ImsSenderSettings.builder("https://h.example/ims?key=1").build();
        assertEquals("https://h.example/ims/ping?key=1", q.method(ImsSender.PING).toString());
    }

    @Test
    void theAttemptLogIsBounded() {
        DeliveryReport report = sender(settings().attemptLogCapacity(3)).deliver(messages(10));
        assertEquals(10, report.acknowledged());
        assertEquals(3, report.attemptLog().size());
        assertEquals(10, report.attempts());
    }
}
