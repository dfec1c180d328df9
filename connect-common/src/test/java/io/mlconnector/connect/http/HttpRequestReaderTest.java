package io.mlconnector.connect.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request parser on its own, fed from memory: what it accepts, and the status of everything it refuses. */
class HttpRequestReaderTest {

    private static final int MAX_BODY = 1024;

    @Test
    void readsTheRequestLineHeadersAndABodyFramedByContentLength() throws Exception {
        HttpRequestReader reader = reader("POST /asana/webhook?registration=abc HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nX-Hook-Signature:   f00d  \r\nContent-Length: 5\r\n\r\nhello");

        HttpRequestReader.Head head = reader.head();
        assertEquals("POST", head.method());
        assertEquals("/asana/webhook", head.path());
        assertEquals("abc", head.queryParameter("registration").get(0));
        assertEquals("f00d", head.header("x-hook-signature"), "names are case-insensitive, values trimmed");
        assertEquals(5, head.contentLength());
        assertArrayEquals(bytes("hello"), reader.body(head, MAX_BODY));
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailersIntact() throws Exception {
        HttpRequestReader reader = reader("POST /asana/webhook HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;note=first\r\nhello\r\n" + "6\r\n world\r\n" + "0\r\nX-Trailer: ignored\r\n\r\n");

        HttpRequestReader.Head head = reader.head();
        assertTrue(head.chunked());
        assertArrayEquals(bytes("hello world"), reader.body(head, MAX_BODY));
    }

    @Test
    void readsExactlyOneRequestAndLeavesAPipelinedNextOneIntact() throws Exception {
        // Keep-alive relies on this: whatever follows a request's framing belongs to the next request.
        InputStream wire = stream("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
                + "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                + "POST /c HTTP/1.1\r\nContent-Length: 5\r\n\r\nthree");

        for (String[] expected : List.of(new String[] {"/a", "one"}, new String[] {"/b", "two"},
                new String[] {"/c", "three"})) {
            HttpRequestReader reader = new HttpRequestReader(wire);
            HttpRequestReader.Head head = reader.head();
            assertEquals(expected[0], head.path());
            assertArrayEquals(bytes(expected[1]), reader.body(head, MAX_BODY));
        }
        assertEquals(-1, wire.read(), "nothing left over, nothing over-read");
    }

    @Test
    void aStrayCrlfBeforeTheRequestLineIsSkipped() throws Exception {
        assertEquals("/x", reader("\r\n\r\nGET /x HTTP/1.1\r\n\r\n").head().path());
    }

    @Test
    void keepAliveIsTheHttp11DefaultUnlessTheClientSaysClose() throws Exception {
        assertTrue(reader("GET /x HTTP/1.1\r\n\r\n").head().keepAlive());
        assertFalse(reader("GET /x HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").head().keepAlive());
        assertFalse(reader("GET /x HTTP/1.0\r\n\r\n").head().keepAlive(), "HTTP/1.0 clients get one request");
    }

    @Test
    void contentLengthTogetherWithTransferEncodingIs400() {
        // Framing another hop could read differently is how requests are smuggled.
        assertRefused(400, "POST /x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertRefused(400, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
    }

    @Test
    void twoDifferentContentLengthsAre400ButEqualRepeatsAreOne() throws Exception {
        assertRefused(400, "POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        assertEquals(5, reader("POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello").head()
                .contentLength());
    }

    @ParameterizedTest(name = "Content-Length: \"{0}\"")
    @ValueSource(strings = {"", "-1", "+5", "5, 5", "0x10", "1 2"})
    void aMalformedContentLengthIs400(String value) {
        assertRefused(400, "POST /x HTTP/1.1\r\nContent-Length: " + value + "\r\n\r\n");
    }

    @Test
    void aContentLengthLongerThanALongIsTooLargeRatherThanMalformed() throws Exception {
        HttpRequestReader reader = reader("POST /x HTTP/1.1\r\nContent-Length: " + "9".repeat(30) + "\r\n\r\n");
        HttpRequestReader.Head head = reader.head();
        assertEquals(Long.MAX_VALUE, head.contentLength());
        assertNull(reader.body(head, MAX_BODY), "over the limit: the listener answers 413");
    }

    @Test
    void aTransferCodingOtherThanChunkedIs501() {
        assertRefused(501, "POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        assertRefused(501, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void aHeadOver16KiBIs431() {
        assertRefused(431, "POST /x HTTP/1.1\r\nX-Big: " + "a".repeat(HttpRequestReader.MAX_HEAD_BYTES) + "\r\n\r\n");
        // The limit is on the whole head, not per line: twenty lines of 1000 bytes are refused too.
        assertRefused(431, "POST /x HTTP/1.1\r\n" + ("X-Part: " + "a".repeat(1000) + "\r\n").repeat(20) + "\r\n");
        // And on the whole request line.
        assertRefused(431, "GET /" + "a".repeat(HttpRequestReader.MAX_HEAD_BYTES) + " HTTP/1.1\r\n\r\n");
    }

    @Test
    void endlessStrayCrlfsAreBoundedByTheHeadLimit() {
        assertRefused(431, "\r\n".repeat(HttpRequestReader.MAX_HEAD_BYTES + 1) + "GET /x HTTP/1.1\r\n\r\n");
    }

    @Test
    void moreThanAHundredHeadersAre431() {
        assertRefused(431, "POST /x HTTP/1.1\r\n" + "X-A: 1\r\n".repeat(HttpRequestReader.MAX_HEADERS + 1) + "\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET /x", "GET /x HTTP/1.1 extra", "GET  /x HTTP/1.1", "GET x HTTP/1.1",
            "GET http://elsewhere/x HTTP/1.1", "G(T /x HTTP/1.1", "GET /x FOO/1.1", "GET /%zz HTTP/1.1",
            "\u0000GET /x HTTP/1.1", "HELLO"})
    void aMalformedRequestLineIs400(String requestLine) {
        assertRefused(400, requestLine + "\r\nHost: x\r\n\r\n");
    }

    @Test
    void anUnsupportedHttpVersionIs505() {
        assertRefused(505, "GET /x HTTP/2.0\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length : 5", " X-Folded: onto the previous line", "X-Folded: a\r\n\tb",
            ": no name", "no colon", "X-Hook(Secret): x"})
    void aMalformedHeaderLineIs400(String line) {
        assertRefused(400, "POST /x HTTP/1.1\r\nHost: x\r\n" + line + "\r\n\r\n");
    }

    @ParameterizedTest(name = "value with U+{0}")
    @ValueSource(ints = {0x00, 0x0d, 0x1b, 0x7f})
    void aControlCharacterInAHeaderValueIs400(int control) {
        assertRefused(400, "POST /x HTTP/1.1\r\nX-Hook-Secret: a" + (char) control + "b\r\n\r\n");
    }

    @Test
    void bodiesOverTheLimitAreRefusedUnreadByLengthAndByChunks() throws Exception {
        HttpRequestReader byLength = reader("POST /x HTTP/1.1\r\nContent-Length: 1025\r\n\r\n" + "a".repeat(1025));
        assertNull(byLength.body(byLength.head(), MAX_BODY));

        // The chunked limit applies to the sum, as chunks arrive.
        String chunk = Integer.toHexString(600) + "\r\n" + "a".repeat(600) + "\r\n";
        HttpRequestReader byChunks = reader("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk + chunk + "0\r\n\r\n");
        assertNull(byChunks.body(byChunks.head(), MAX_BODY));

        HttpRequestReader exactly = reader("POST /x HTTP/1.1\r\nContent-Length: 1024\r\n\r\n" + "a".repeat(1024));
        assertEquals(MAX_BODY, exactly.body(exactly.head(), MAX_BODY).length, "the limit itself is allowed");
    }

    @Test
    void aChunkLongerThanItsSizeIs400() {
        assertBodyRefused(400, "3\r\nhello\r\n0\r\n\r\n");
    }

    @ParameterizedTest(name = "chunk size \"{0}\"")
    @ValueSource(strings = {"", "zz", "-1", "0x5", "123456789", "5 5"})
    void aMalformedChunkSizeIs400(String size) {
        assertBodyRefused(400, size + "\r\nhello\r\n0\r\n\r\n");
    }

    @Test
    void aBodyCutShortIsAnEndOfStreamNotARequest() throws Exception {
        HttpRequestReader byLength = reader("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello");
        HttpRequestReader.Head head = byLength.head();
        assertThrows(EOFException.class, () -> byLength.body(head, MAX_BODY));

        HttpRequestReader byChunks = reader("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\na\r\nhello");
        HttpRequestReader.Head chunked = byChunks.head();
        assertThrows(EOFException.class, () -> byChunks.body(chunked, MAX_BODY));

        assertThrows(EOFException.class, () -> reader("POST /x HTTP/1.1\r\nHost:").head());
    }

    @Test
    void aPathThatStartsWithTwoSlashesIsAPathNotAnAuthority() throws Exception {
        // Read as a URI reference, "//host/rest" would be authority "host" and path "/rest".
        HttpRequestReader.Head head;
        try {
            head = reader("POST //evil.example/asana/webhook HTTP/1.1\r\n\r\n").head();
        } catch (HttpRequestReader.Refused refused) {
            assertEquals(400, refused.status, "refusing such a target is a fix too");
            return;
        }
        assertEquals("//evil.example/asana/webhook", head.path());
    }

    private static void assertRefused(int status, String request) {
        assertRefusal(status, () -> reader(request).head());
    }

    /** A chunked POST whose head is fine and whose body is {@code chunkedBody}. */
    private static void assertBodyRefused(int status, String chunkedBody) {
        assertRefusal(status, () -> {
            HttpRequestReader reader = reader("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedBody);
            reader.body(reader.head(), MAX_BODY);
        });
    }

    private static void assertRefusal(int status, Executable reading) {
        HttpRequestReader.Refused refused = assertThrows(HttpRequestReader.Refused.class, reading);
        assertEquals(status, refused.status, refused.getMessage());
    }

    private static HttpRequestReader reader(String request) {
        return new HttpRequestReader(stream(request));
    }

    private static InputStream stream(String wire) {
        return new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
