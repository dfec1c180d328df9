package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Timed out rather than hung, should a change make the inflate loop spin. */
@Timeout(60)
class MessagePayloadTest {

    private static final int MAX = 1 << 20;
    private static final byte[] BOD = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<SyncPurchaseOrder xmlns=\"http://schema.infor.com/InforOAGIS/2\"><DataArea>"
            + "<PurchaseOrder><PurchaseOrderHeader><DocumentID><ID variationID=\"5\">4000123</ID></DocumentID>"
            + "<Description>Stra\u00dfe</Description></PurchaseOrderHeader></PurchaseOrder></DataArea>"
            + "</SyncPurchaseOrder>").getBytes(StandardCharsets.UTF_8);

    @Test
    void noneReturnsTheBytesAsSent() throws ImsRefusal {
        assertSame(BOD, MessagePayload.decode(BOD, "NONE", MAX));
        assertSame(BOD, MessagePayload.decode(BOD, null, MAX));
        assertSame(BOD, MessagePayload.decode(BOD, "none", MAX));
    }

    @ParameterizedTest
    @CsvSource({"0,1", "1,1", "5,94", "6,156", "9,218"}) // zlib's header byte per level: 01, 5E, 9C, DA
    void deflateRoundTripsAtEveryLevelWithItsZlibHeader(int level, int secondHeaderByte) throws ImsRefusal {
        byte[] compressed = deflate(BOD, level);
        assertEquals(0x78, compressed[0] & 0xff);
        assertEquals(secondHeaderByte, compressed[1] & 0xff);

        assertArrayEquals(BOD, MessagePayload.decode(compressed, "DEFLATE", MAX));
        assertArrayEquals(BOD, MessagePayload.decode(compressed, "deflate", MAX));
    }

    @Test
    void aZlibStreamIsInflatedEvenWhenTheEncodingSaysNone() throws ImsRefusal {
        assertArrayEquals(BOD, MessagePayload.decode(deflate(BOD, 6), "NONE", MAX));
        assertArrayEquals(BOD, MessagePayload.decode(deflate(BOD, 9), null, MAX));
    }

    @Test
    void aLargeDocumentInflatesWholeAcrossManyBufferGrowths() throws ImsRefusal {
        byte[] document = new byte[3_000_000];
        new Random(11).nextBytes(document);
        for (int i = 0; i < document.length; i += 3) {
            document[i] = '<'; // compressible, but not trivially
        }
        assertArrayEquals(document, MessagePayload.decode(deflate(document, 6), "DEFLATE", 4_000_000));
    }

    @Test
    void aDocumentOfExactlyTheBoundIsAcceptedAndOneByteMoreIsNot() throws ImsRefusal {
        byte[] document = new byte[MAX];
        Arrays.fill(document, (byte) 'a');
        assertArrayEquals(document, MessagePayload.decode(deflate(document, 6), "DEFLATE", MAX));
        assertSame(document, MessagePayload.decode(document, "NONE", MAX));

        byte[] oneMore = Arrays.copyOf(document, MAX + 1);
        oneMore[MAX] = 'a';
        assertEquals(413, assertThrows(ImsRefusal.class,
                () -> MessagePayload.decode(deflate(oneMore, 6), "DEFLATE", MAX)).status());
        assertEquals(413, assertThrows(ImsRefusal.class,
                () -> MessagePayload.decode(oneMore, "NONE", MAX)).status());
    }

    @Test
    void aZipBombIsRefusedWithoutAllocatingWhatItInflatesTo() {
        byte[] bomb = deflate(new byte[50 * 1024 * 1024], 9);
        assertTrue(bomb.length < 100_000, "50 MB of zeros compresses to " + bomb.length + " bytes");
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(allocations.isThreadAllocatedMemorySupported() && allocations.isThreadAllocatedMemoryEnabled());

        long before = allocations.getThreadAllocatedBytes(Thread.currentThread().getId());
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> MessagePayload.decode(bomb, "DEFLATE", MAX));
        long allocated = allocations.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

        assertEquals(413, refusal.status());
        assertEquals(413, refusal.code());
        assertTrue(allocated < 4L * MAX, "allocated " + allocated + " bytes for a bound of " + MAX);
    }

    @Test
    void deflateWithoutAZlibHeaderIs412Code450() throws Exception {
        byte[] raw = rawDeflate(BOD);
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(BOD);
        }
        byte[] withDictionary = {0x78, (byte) 0xBB, 0, 0, 0, 0}; // FDICT set: not one of the four headers
        for (byte[] notZlib : new byte[][] {BOD, raw, gzip.toByteArray(), withDictionary, {0x78}, {}}) {
            ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> MessagePayload.decode(notZlib, "DEFLATE", MAX));
            assertEquals(412, refusal.status());
            assertEquals(450, refusal.code());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GZIP", "BASE64", ""})
    void anUnknownEncodingIs412Code450(String encoding) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> MessagePayload.decode(BOD, encoding, MAX));
        assertEquals(412, refusal.status());
        assertEquals(450, refusal.code());
    }

    @Test
    void aCorruptStreamIs400() {
        byte[] corrupt = deflate(BOD, 6);
        for (int i = 2; i < corrupt.length - 4; i++) {
            corrupt[i] = (byte) 0xFF;
        }
        assertMalformed(corrupt, "DEFLATE");
        assertMalformed(corrupt, "NONE"); // sniffed as zlib, and then it is not
    }

    @Test
    void aWrongAdlerChecksumIs400() {
        byte[] compressed = deflate(BOD, 6);
        compressed[compressed.length - 1] ^= 1;
        assertMalformed(compressed, "DEFLATE");
    }

    @Test
    void aTruncatedStreamIs400() {
        byte[] compressed = deflate(BOD, 6);
        assertMalformed(Arrays.copyOf(compressed, compressed.length - 6), "DEFLATE");
        assertMalformed(Arrays.copyOf(compressed, 2), "DEFLATE");
        assertMalformed(Arrays.copyOf(compressed, compressed.length - 1), "DEFLATE");
    }

    @Test
    void aTruncatedStreamIs400EvenWhenTheOutputIsExactlyFull() {
        byte[] compressed = deflate(BOD, 6);
        assertMalformed(Arrays.copyOf(compressed, compressed.length - 4), "DEFLATE", BOD.length);
    }

    @Test
    void bytesAfterTheStreamAre400() {
        byte[] compressed = deflate(BOD, 6);
        byte[] trailing = Arrays.copyOf(compressed, compressed.length + 3);
        assertMalformed(trailing, "DEFLATE");
    }

    @Test
    void theBoundMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> MessagePayload.decode(BOD, "NONE", 0));
    }

    private static void assertMalformed(byte[] payload, String encoding) {
        assertMalformed(payload, encoding, MAX);
    }

    private static void assertMalformed(byte[] payload, String encoding, int max) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> MessagePayload.decode(payload, encoding, max));
        assertEquals(400, refusal.status());
    }

    static byte[] deflate(byte[] data, int level) {
        Deflater deflater = new Deflater(level); // zlib-wrapped, as Infor's client writes
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] rawDeflate(byte[] data) {
        Deflater deflater = new Deflater(6, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] buffer = new byte[data.length + 64];
            int n = deflater.deflate(buffer);
            return Arrays.copyOf(buffer, n);
        } finally {
            deflater.end();
        }
    }
}
