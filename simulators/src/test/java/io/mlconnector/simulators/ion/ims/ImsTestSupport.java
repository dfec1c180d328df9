package io.mlconnector.simulators.ion.ims;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mlconnector.simulators.common.SimulatorHttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Test-side tools written independently of the sender: a fake IMS receiver on the JDK HTTP server (127.0.0.1
 * only), a hand-written multipart parser, an OAuth 1.0a verifier, zlib inflation and DOM/XPath helpers.
 */
final class ImsTestSupport {

    private ImsTestSupport() {
    }

    // ---- fake receiver -------------------------------------------------------------------------------------

    /** One request the fake receiver got. */
    record Received(int seq, String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        boolean isMessage() {
            return method.equals("POST") && path.endsWith("/v3/multipartMessage");
        }

        List<Part> parts() {
            return parseMultipart(header("Content-Type"), body);
        }

        Map<String, Object> parameters() {
            return json(parts().get(0).body());
        }

        String messageId() {
            return (String) parameters().get("messageId");
        }
    }

    /** An answer: status and JSON body; {@code hold} blocks the handler until the condition is true (bounded). */
    record Answer(int status, String body, BooleanSupplier hold) {
        static Answer of(int status, String body) {
            return new Answer(status, body, null);
        }
    }

    static final String PROTOCOL_V3 = "{\"version\":\"v3\",\"messageMethod\":\"multipartMessage\",\"supportedEncoding\":\"DEFLATE\","
            + "\"supportedCharacterSet\":\"UTF-8\",\"hasDiscovery\":false}";
    static final Answer PING_OK = Answer.of(200, "{\"code\":200,\"status\":\"OK\"}");
    static final Answer ACCEPTED = Answer.of(202, "{\"code\":202,\"status\":\"OK\",\"message\":\"processed successfully\"}");

    /** The IMS endpoint at {@code http://127.0.0.1:PORT/ims/service}; answers via a replaceable function. */
    static final class FakeReceiver implements AutoCloseable {
        final HttpServer server;
        final ExecutorService pool = Executors.newCachedThreadPool();
        final List<Received> requests = new CopyOnWriteArrayList<>();
        /** What the responder threw; the request was answered 400. */
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger seq = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile Function<Received, Answer> responder = FakeReceiver::standard;

        FakeReceiver() throws IOException {
            SimulatorHttpServer.configureJdkHttpServer();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(pool);
            server.start();
        }

        static Answer standard(Received r) {
            if (r.path().endsWith("/ping")) {
                return PING_OK;
            }
            if (r.path().endsWith("/protocol")) {
                return Answer.of(200, PROTOCOL_V3);
            }
            if (r.path().endsWith("/versions")) {
                return Answer.of(200, "{\"supportedVersions\":[\"v1\",\"v2\",\"v3\"]}");
            }
            if (r.isMessage()) {
                return ACCEPTED;
            }
            return Answer.of(404, "{}");
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/ims/service";
        }

        List<Received> messages() {
            return requests.stream().filter(Received::isMessage).toList();
        }

        private void handle(HttpExchange ex) throws IOException {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            boolean counted = true;
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                Map<String, List<String>> headers = new TreeMap<>();
                ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
                Received r = new Received(seq.incrementAndGet(), ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                        ex.getRequestURI().getRawQuery(), headers, body);
                requests.add(r);
                Answer a;
                try {
                    a = responder.apply(r);
                } catch (Throwable t) {
                    // a check in the responder failed (e.g. the multipart parser): answer at once, not never
                    errors.add(t);
                    a = Answer.of(400, "{\"code\":400,\"status\":\"FAIL\"}");
                }
                if (a.hold() != null) {
                    awaitCondition(a.hold(), Duration.ofSeconds(10));
                }
                // no longer in flight once the answer starts: the client may send its next request right after it
                inFlight.decrementAndGet();
                counted = false;
                byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(out);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the client gave up (e.g. its request timeout): nothing to answer
            } finally {
                if (counted) {
                    inFlight.decrementAndGet();
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Polls {@code condition} every few milliseconds until true or the deadline; returns its last value. */
    static boolean awaitCondition(BooleanSupplier condition, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    // ---- multipart, by hand ------------------------------------------------------------------------------------

    /** A part: its header lines as written (name -> value, in order) and its raw body. */
    record Part(Map<String, String> headers, byte[] body) {
        String disposition() {
            return headers.get("Content-Disposition");
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"([^\"]+)\"|([^;\\s]+))");

    static String boundary(String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new AssertionError("no boundary in " + contentType);
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    /** RFC 2046 parsing: parts between CRLF--boundary delimiters, headers up to the first empty line. */
    static List<Part> parseMultipart(String contentType, byte[] body) {
        byte[] delimiter = ("--" + boundary(contentType)).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at != 0) {
            throw new AssertionError("body does not start with the delimiter");
        }
        while (true) {
            int afterDelimiter = at + delimiter.length;
            if (body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                if (!(body.length == afterDelimiter + 4 && body[afterDelimiter + 2] == '\r' && body[afterDelimiter + 3] == '\n')) {
                    throw new AssertionError("close delimiter not followed by exactly CRLF");
                }
                return parts;
            }
            if (body[afterDelimiter] != '\r' || body[afterDelimiter + 1] != '\n') {
                throw new AssertionError("delimiter not followed by CRLF");
            }
            int headersStart = afterDelimiter + 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headersStart);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
            int contentStart = headersEnd + 4;
            byte[] next = new byte[delimiter.length + 2];
            next[0] = '\r';
            next[1] = '\n';
            System.arraycopy(delimiter, 0, next, 2, delimiter.length);
            int contentEnd = indexOf(body, next, contentStart);
            if (contentEnd < 0) {
                throw new AssertionError("unterminated part");
            }
            byte[] content = new byte[contentEnd - contentStart];
            System.arraycopy(body, contentStart, content, 0, content.length);
            parts.add(new Part(headers, content));
            at = contentEnd + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- OAuth 1.0a, independently ---------------------------------------------------------------------------

    private static final Pattern OAUTH_PARAM = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    /** The parameters of an {@code OAuth ...} header, percent-decoded, in header order. */
    static Map<String, String> oauthParams(String header) {
        if (header == null || !header.startsWith("OAuth ")) {
            throw new AssertionError("not an OAuth header: " + header);
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = OAUTH_PARAM.matcher(header.substring(6));
        while (m.find()) {
            params.put(m.group(1), java.net.URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** RFC 3986 percent-encoding via URLEncoder plus the usual three fix-ups. */
    static String rfc3986(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /**
     * Whether the header is a valid HMAC-SHA1 signature by {@code secret} for {@code method url} (the url as the
     * receiver sees it: http://127.0.0.1:PORT/path, no query). Nothing of the body enters the base string.
     */
    static boolean validSignature(String method, String url, String header, String secret) {
        Map<String, String> p = new TreeMap<>(oauthParams(header));
        String signature = p.remove("oauth_signature");
        p.remove("realm");
        StringBuilder normalised = new StringBuilder();
        p.forEach((k, v) -> normalised.append(normalised.length() == 0 ? "" : "&").append(rfc3986(k)).append('=').append(rfc3986(v)));
        String base = method + "&" + rfc3986(url) + "&" + rfc3986(normalised.toString());
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((rfc3986(secret) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
            return expected.equals(signature);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- payload and XML -------------------------------------------------------------------------------------

    static byte[] inflate(byte[] zlib) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(zlib);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new AssertionError("truncated zlib stream");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError("not zlib", e);
        } finally {
            inflater.end();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(byte[] bytes) {
        try {
            return io.mlconnector.simulators.common.Json.MAPPER.readValue(bytes, LinkedHashMap.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    /** Namespace-aware DOM parse with DOCTYPEs refused (XXE off, as reference 6.1 asks of a receiver). */
    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** Namespace-aware DOM parse that allows a DOCTYPE but never resolves external entities. */
    static Document parseAllowingDoctype(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setExpandEntityReferences(false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** XPath with prefix {@code o} bound to the InforOAGIS namespace. */
    static String xp(Document doc, String expression) throws Exception {
        return xpath().evaluate(expression, doc);
    }

    static int count(Document doc, String expression) throws Exception {
        return ((NodeList) xpath().evaluate(expression, doc, XPathConstants.NODESET)).getLength();
    }

    static List<String> childNames(Document doc, String expression) throws Exception {
        NodeList nodes = (NodeList) xpath().evaluate(expression + "/*", doc, XPathConstants.NODESET);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            names.add(nodes.item(i).getLocalName());
        }
        return names;
    }

    /** XPath objects are not thread-safe; the fake receiver parses on several threads. */
    private static final ThreadLocal<XPath> XPATHS = ThreadLocal.withInitial(ImsTestSupport::newXPath);

    private static XPath xpath() {
        return XPATHS.get();
    }

    private static XPath newXPath() {
        XPath x = XPathFactory.newInstance().newXPath();
        x.setNamespaceContext(new javax.xml.namespace.NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return "o".equals(prefix) ? "http://schema.infor.com/InforOAGIS/2" : XMLConstants.NULL_NS_URI;
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return null;
            }
        });
        return x;
    }
}
