package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MultipartFormTest {

    private static final String BOUNDARY = "5f1c3a2e-8d4b-4c3a-9f00-0a1b2c3d4e5f";
    private static final String CONTENT_TYPE = "multipart/form-data; boundary=\"" + BOUNDARY + "\"";
    private static final String PARAMETERS = "{\"documentName\":\"Sync.PurchaseOrder\",\"messageId\":\"m1\"}";

    /** The body .NET {@code MultipartContent("form-data", guid)} writes for Infor's sample client (reference G2). */
    private static byte[] inforClientBody(byte[] payload) {
        return new Body()
                .text("--" + BOUNDARY + "\r\n")
                .text("Content-Type: application/json\r\n")
                .text("Content-Disposition: form-data; name=ParameterRequest\r\n\r\n")
                .text(PARAMETERS)
                .text("\r\n--" + BOUNDARY + "\r\n")
                .text("Content-Type: application/octet-stream\r\n")
                .text("Content-Transfer-Encoding: binary\r\n")
                .text("Content-Disposition: form-data; name=MessagePayload\r\n\r\n")
                .bytes(payload)
                .text("\r\n--" + BOUNDARY + "--\r\n")
                .build();
    }

    @Test
    void readsTheTwoPartsInfor_sClientSends() throws ImsRefusal {
        byte[] payload = "<SyncPurchaseOrder/>".getBytes(StandardCharsets.UTF_8);
        List<MultipartForm.Part> parts = MultipartForm.parse(CONTENT_TYPE, inforClientBody(payload));

        assertEquals(2, parts.size());
        assertEquals("ParameterRequest", parts.get(0).name());
        assertNull(parts.get(0).fileName());
        assertEquals("application/json", parts.get(0).contentType());
        assertEquals(PARAMETERS, new String(parts.get(0).content(), StandardCharsets.UTF_8));
        assertEquals("MessagePayload", parts.get(1).name());
        assertEquals("application/octet-stream", parts.get(1).contentType());
        assertArrayEquals(payload, parts.get(1).content());
    }

    @Test
    void binaryContentKeepsEveryByteIncludingThingsThatLookLikeDelimiters() throws ImsRefusal {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < 256; i++) {
            payload.write(i);
        }
        // near misses: no CRLF before the dashes, a CRLF and a boundary prefix, bare LF, a boundary's tail
        byte[] nearMisses = ("--" + BOUNDARY + "\r\n" + "\r\n--" + BOUNDARY.substring(0, 10) + "\r\n"
                + "\n--" + BOUNDARY + "\r\n" + "\r--" + BOUNDARY + "--\r\n" + "\r\n-" + BOUNDARY + "\r\n\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        payload.writeBytes(nearMisses);
        payload.writeBytes(new byte[] {'\r', '\n', '\r'}); // the content may end in CR LF CR
        byte[] content = payload.toByteArray();

        List<MultipartForm.Part> parts = MultipartForm.parse(CONTENT_TYPE, inforClientBody(content));

        assertArrayEquals(content, parts.get(1).content());
    }

    @Test
    void emptyContentIsAPartWithNoBytes() throws ImsRefusal {
        List<MultipartForm.Part> parts = MultipartForm.parse(CONTENT_TYPE, inforClientBody(new byte[0]));
        assertEquals(0, parts.get(1).content().length);
    }

    @Test
    void toleratesAPreambleAnEpilogueAndTransportPadding() throws ImsRefusal {
        byte[] body = new Body()
                .text("This is a preamble.\r\nIt is ignored.\r\n")
                .text("--" + BOUNDARY + " \t\r\n")
                .text("Content-Disposition: form-data; name=\"a\"\r\n\r\n")
                .text("one")
                .text("\r\n--" + BOUNDARY + "--  \r\n")
                .text("This is an epilogue, with a --" + BOUNDARY + " in it.\r\n")
                .build();

        List<MultipartForm.Part> parts = MultipartForm.parse(CONTENT_TYPE, body);

        assertEquals(1, parts.size());
        assertEquals("one", new String(parts.get(0).content(), StandardCharsets.US_ASCII));
    }

    @Test
    void aCloseDelimiterMayEndTheBodyWithoutCrlf() throws ImsRefusal {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=a\r\n\r\none\r\n--" + BOUNDARY + "--")
                .build();
        assertEquals(1, MultipartForm.parse(CONTENT_TYPE, body).size());
    }

    @Test
    void readsUnquotedBoundariesAndQuotedOnesWithRfc2046Specials() throws ImsRefusal {
        String special = "'()+_,-./:=? x";
        byte[] body = new Body()
                .text("--" + special + "\r\ncontent-disposition: FORM-DATA; NAME=\"a\"\r\n\r\none\r\n--" + special
                        + "--\r\n")
                .build();
        assertEquals(1, MultipartForm.parse("Multipart/Form-Data ; charset=utf-8;boundary=\"" + special + "\"",
                body).size());
        assertEquals("simple", MultipartForm.boundary("multipart/form-data;boundary=simple"));
        assertEquals("a".repeat(70), MultipartForm.boundary("multipart/form-data; boundary=" + "a".repeat(70)));
    }

    @Test
    void filePartsKeepTheirFileNameAndFileNameStarWins() throws ImsRefusal {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\n")
                .text("Content-Disposition: form-data; name=\"MessagePayload\"; filename=\"bod.xml\"\r\n\r\nx")
                .text("\r\n--" + BOUNDARY + "\r\n")
                .text("Content-Disposition: form-data; name=MessagePayload; filename=bod.xml; "
                        + "filename*=utf-8''b%C3%B6d.xml\r\n\r\ny")
                .text("\r\n--" + BOUNDARY + "--\r\n")
                .build();

        List<MultipartForm.Part> parts = MultipartForm.parse(CONTENT_TYPE, body);

        assertEquals("bod.xml", parts.get(0).fileName());
        assertEquals("b\u00f6d.xml", parts.get(1).fileName());
    }

    @Test
    void acceptsExactlyTheMaximumNumberOfParts() throws ImsRefusal {
        assertEquals(MultipartForm.MAX_PARTS, MultipartForm.parse(CONTENT_TYPE, parts(MultipartForm.MAX_PARTS)).size());
    }

    @Test
    void refusesOneMorePartThanTheMaximum() {
        assertRefused(CONTENT_TYPE, parts(MultipartForm.MAX_PARTS + 1));
    }

    @Test
    void refusesAPartHeadLongerThanTheBoundEvenIfItEndsLater() {
        String filler = "X-Filler: " + "a".repeat(MultipartForm.MAX_PART_HEAD_BYTES) + "\r\n";
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=a\r\n" + filler + "\r\none")
                .text("\r\n--" + BOUNDARY + "--\r\n")
                .build();
        ImsRefusal refusal = assertRefused(CONTENT_TYPE, body);
        assertTrue(refusal.getMessage().contains("longer than"), refusal.getMessage());
    }

    @Test
    void acceptsAPartHeadJustWithinTheBound() throws ImsRefusal {
        String disposition = "Content-Disposition: form-data; name=a\r\n";
        int fillerValue = MultipartForm.MAX_PART_HEAD_BYTES - disposition.length() - "X-F: \r\n\r\n".length();
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\n" + disposition + "X-F: " + "a".repeat(fillerValue) + "\r\n\r\none")
                .text("\r\n--" + BOUNDARY + "--\r\n")
                .build();
        assertEquals(1, MultipartForm.parse(CONTENT_TYPE, body).size());
    }

    @Test
    void refusesLfOnlyFraming() {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\nContent-Disposition: form-data; name=a\n\none\n--" + BOUNDARY + "--\n")
                .build();
        assertRefused(CONTENT_TYPE, body);
    }

    @Test
    void refusesLfOnlyHeaderLinesInsideCrlfFraming() {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=a\nContent-Type: text/plain\r\n\r\n")
                .text("one\r\n--" + BOUNDARY + "--\r\n")
                .build();
        assertRefused(CONTENT_TYPE, body);
    }

    @Test
    void refusesABoundaryLineInTheContentThatIsNotADelimiter() {
        // RFC 2046: CRLF--boundary is a delimiter wherever it occurs; here it is followed by other text
        byte[] payload = ("abc\r\n--" + BOUNDARY + "X\r\ndef").getBytes(StandardCharsets.US_ASCII);
        assertRefused(CONTENT_TYPE, inforClientBody(payload));
    }

    @Test
    void aDelimiterInTheContentEndsThePartEarlyAndTheRestMustBeAPart() {
        byte[] payload = ("abc\r\n--" + BOUNDARY + "\r\ndef").getBytes(StandardCharsets.US_ASCII);
        // "def" then sits where part headers should be: no blank line ending them before the next delimiter's
        // content, so the parser cannot make a part of it
        assertRefused(CONTENT_TYPE, inforClientBody(payload));
    }

    @Test
    void refusesTruncatedBodies() {
        byte[] whole = inforClientBody("<SyncPurchaseOrder/>".getBytes(StandardCharsets.UTF_8));
        String text = new String(whole, StandardCharsets.ISO_8859_1);
        int[] cuts = {
            1,                                            // inside the first delimiter
            ("--" + BOUNDARY).length(),                   // right after it
            text.indexOf("Content-Disposition") + 5,      // inside the first head
            text.indexOf(PARAMETERS) + 3,                 // inside the first content
            text.lastIndexOf("--" + BOUNDARY) + 4,        // inside the close delimiter
            text.lastIndexOf("--" + BOUNDARY) + 2 + BOUNDARY.length(), // boundary without its closing dashes
        };
        for (int cut : cuts) {
            byte[] truncated = java.util.Arrays.copyOf(whole, cut);
            assertRefused(CONTENT_TYPE, truncated);
        }
    }

    @Test
    void refusesAnEmptyOrMissingBody() {
        assertRefused(CONTENT_TYPE, new byte[0]);
        assertRefused(CONTENT_TYPE, null);
    }

    @Test
    void refusesABodyWithNoParts() {
        assertRefused(CONTENT_TYPE, ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void refusesABodyThatNeverMentionsTheBoundary() {
        assertRefused(CONTENT_TYPE, "just some text\r\n--other--\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "application/json",
        "multipart/mixed; boundary=abc",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc",
        "multipart/form-data; boundary=abc; boundary=abc",
        "multipart/form-data; boundary=\"ends in space \"",
        "multipart/form-data; boundary=\"semi;colon\"",
        "multipart/form-data; boundary=a*b",
        "multipart/form-data; boundary=abc junk",
        "multipart/form-data; charset",
    })
    void refusesContentTypesWithoutAUsableBoundary(String contentType) {
        // the header alone decides: the body is never looked at
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> MultipartForm.boundary(contentType));
        assertEquals(412, refusal.status());
        assertEquals(477, refusal.code());
    }

    @Test
    void refusesAMissingContentType() {
        assertRefused(null, inforClientBody(new byte[] {1}));
    }

    @Test
    void aBoundaryOfSeventyCharactersIsReadAndOneOfSeventyOneIsRefused() throws ImsRefusal {
        for (int length : new int[] {70, 71}) {
            String boundary = "b".repeat(length);
            byte[] body = new Body()
                    .text("--" + boundary + "\r\nContent-Disposition: form-data; name=a\r\n\r\none\r\n--" + boundary
                            + "--\r\n")
                    .build();
            String contentType = "multipart/form-data; boundary=" + boundary;
            if (length == 70) {
                assertEquals(1, MultipartForm.parse(contentType, body).size());
            } else {
                assertTrue(assertRefused(contentType, body).getMessage().contains("1 to 70"));
            }
        }
    }

    @Test
    void aBoundaryWithACharacterOutsideRfc2046IsRefusedEvenIfTheBodyUsesIt() {
        for (String boundary : new String[] {"a*b", "a\"b", "a@b", "a\u00e9b"}) {
            byte[] body = new Body()
                    .text("--" + boundary + "\r\nContent-Disposition: form-data; name=a\r\n\r\none\r\n--" + boundary
                            + "--\r\n")
                    .build();
            String quoted = boundary.replace("\"", "\\\"");
            ImsRefusal refusal = assertRefused("multipart/form-data; boundary=\"" + quoted + "\"", body);
            assertTrue(refusal.getMessage().contains("RFC 2046"), boundary + ": " + refusal.getMessage());
        }
    }

    @Test
    void refusesTextAfterTheCloseDelimiterOnItsLine() {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=a\r\n\r\none\r\n--" + BOUNDARY
                        + "--junk\r\n")
                .build();
        assertTrue(assertRefused(CONTENT_TYPE, body).getMessage().contains("closing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Type: text/plain\r\n",                                                 // no disposition
        "Content-Disposition: attachment; name=a\r\n",                                  // not form-data
        "Content-Disposition: form-data\r\n",                                           // no name
        "Content-Disposition: form-data; name=\"\"\r\n",                                // empty name
        "Content-Disposition: form-data; name=a; name=b\r\n",                           // name twice
        "Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n", // header twice
        "Content-Disposition: form-data;\r\n name=a\r\n",                               // folded
        "Content-Disposition: form-data; name=a\r\nno colon here\r\n",                  // not a header
        "Content-Disposition: form-data; name=a\r\nBad Name: x\r\n",                    // name not a token
        "Content-Disposition: form-data; name=a\r\nX-Nul: a\u0000b\r\n",                // control character
        "Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64\r\n",
        "Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: quoted-printable\r\n",
        "Content-Disposition: form-data; name=a; filename*=utf-8''%ZZ\r\n",             // bad ext-value
        "Content-Disposition: form-data; name=a; filename*=koi8-r''x\r\n",              // unsupported charset
    })
    void refusesMalformedPartHeaders(String head) {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\n" + head + "\r\none\r\n--" + BOUNDARY + "--\r\n")
                .build();
        assertRefused(CONTENT_TYPE, body);
    }

    @Test
    void refusesAPartWithNoHeadersAtAll() {
        byte[] body = new Body().text("--" + BOUNDARY + "\r\n\r\none\r\n--" + BOUNDARY + "--\r\n").build();
        assertRefused(CONTENT_TYPE, body);
    }

    @Test
    void refusesPartHeadersThatAreNotUtf8() {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"")
                .bytes(new byte[] {(byte) 0xC3, (byte) 0x28})
                .text("\"\r\n\r\none\r\n--" + BOUNDARY + "--\r\n")
                .build();
        assertRefused(CONTENT_TYPE, body);
    }

    @Test
    void acceptsBinaryTransferEncodingInAnyCaseAndIgnoresUnknownHeaders() throws ImsRefusal {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=a\r\n"
                        + "content-transfer-encoding: BINARY\r\nContent-Length: 3\r\n\r\none\r\n--" + BOUNDARY + "--\r\n")
                .build();
        assertEquals("a", MultipartForm.parse(CONTENT_TYPE, body).get(0).name());
    }

    @Test
    void aQuotedNameMayHoldEscapesAndSemicolons() throws ImsRefusal {
        byte[] body = new Body()
                .text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a;\\\"b\"\r\n\r\none\r\n--"
                        + BOUNDARY + "--\r\n")
                .build();
        assertEquals("a;\"b", MultipartForm.parse(CONTENT_TYPE, body).get(0).name());
    }

    @Test
    void everyRefusalIs412WithCode477AndNeverEchoesTheContent() {
        byte[] payload = "SECRET-PAYLOAD\r\n--".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new Body().text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=a\r\n\r\n")
                .bytes(payload).build();
        ImsRefusal refusal = assertRefused(CONTENT_TYPE, body);
        assertFalse(refusal.getMessage().contains("SECRET"));
    }

    @Test
    void aPartPrintsItsSizeNotItsContent() {
        MultipartForm.Part part = new MultipartForm.Part("MessagePayload", null, "application/octet-stream",
                "SECRET".getBytes(StandardCharsets.US_ASCII));
        assertFalse(part.toString().contains("SECRET"));
        assertTrue(part.toString().contains("6 bytes"));
    }

    @Test
    void aBodyFullOfNearDelimitersIsReadWhole() throws ImsRefusal {
        // 4 MB of near-delimiters: each is CRLF--boundary minus its last character
        String nearMiss = "\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] chunk = nearMiss.repeat(1000).getBytes(StandardCharsets.US_ASCII);
        while (content.size() < 4_000_000) {
            content.writeBytes(chunk);
        }
        byte[] payload = content.toByteArray();
        assertArrayEquals(payload, MultipartForm.parse(CONTENT_TYPE, inforClientBody(payload)).get(1).content());
    }

    private static byte[] parts(int count) {
        Body body = new Body();
        for (int i = 0; i < count; i++) {
            body.text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=p" + i + "\r\n\r\nv" + i + "\r\n");
        }
        return body.text("--" + BOUNDARY + "--\r\n").build();
    }

    private static ImsRefusal assertRefused(String contentType, byte[] body) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> MultipartForm.parse(contentType, body));
        assertEquals(412, refusal.status());
        assertEquals(477, refusal.code());
        return refusal;
    }

    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body text(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Body bytes(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }
}
