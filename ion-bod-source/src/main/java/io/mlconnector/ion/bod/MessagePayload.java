package io.mlconnector.ion.bod;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns the {@code MessagePayload} part into the document's bytes (reference 1.5). With {@code encoding=DEFLATE} the
 * part is zlib-wrapped deflate (RFC 1950), which Infor's sample recognises by its first two bytes {@code 0x78} and
 * one of {@code 0x01 0x5E 0x9C 0xDA}; the same bytes under {@code encoding=NONE} are inflated too, since M3 says a
 * message from ION may arrive deflated either way (reference 1.4, 6.1). A BOD is XML, which cannot start with
 * {@code 0x78 0x5E} etc., so the sniff does not misread a plain document.
 *
 * <p>The document is bounded, inflated or not, by the caller's {@code maxInflatedBytes}: inflation stops as soon as
 * the output would pass it, so a small bomb never allocates more than the bound.
 */
final class MessagePayload {

    /** IMS code for a payload that is not in the encoding it claims (reference table 1.6). */
    static final int NOT_IN_ENCODING_CODE = 450;

    private static final int CHUNK = 64 * 1024;

    private MessagePayload() {
    }

    /**
     * @param payload the part's bytes
     * @param encoding {@code NONE} (or null) or {@code DEFLATE}, case-insensitive, as in {@link ImsParameters}
     * @param maxInflatedBytes the largest document to return, whether inflated or sent as is
     * @return the document's bytes
     * @throws ImsRefusal 412/450 for DEFLATE without a zlib header or an unknown encoding; 413 when the document
     *     would be larger than the bound; 400 for a corrupt, truncated or over-long zlib stream
     */
    static byte[] decode(byte[] payload, String encoding, int maxInflatedBytes) throws ImsRefusal {
        if (maxInflatedBytes <= 0) {
            throw new IllegalArgumentException("maxInflatedBytes must be positive");
        }
        boolean deflate;
        if (encoding == null || encoding.equalsIgnoreCase(ImsParameters.NONE)) {
            deflate = false;
        } else if (encoding.equalsIgnoreCase(ImsParameters.DEFLATE)) {
            deflate = true;
        } else {
            throw ImsRefusal.mismatch(NOT_IN_ENCODING_CODE, "encoding must be NONE or DEFLATE");
        }
        if (deflate && !isZlibSigned(payload)) {
            throw ImsRefusal.mismatch(NOT_IN_ENCODING_CODE, "MessagePayload is not in the specified encoding DEFLATE");
        }
        if (deflate || isZlibSigned(payload)) {
            return inflate(payload, maxInflatedBytes);
        }
        if (payload.length > maxInflatedBytes) {
            throw ImsRefusal.tooLarge("MessagePayload is larger than " + maxInflatedBytes + " bytes");
        }
        return payload;
    }

    /** A zlib header with a 32 KiB window, no preset dictionary and any level: the four that Infor's sample accepts. */
    static boolean isZlibSigned(byte[] payload) {
        if (payload == null || payload.length < 2 || payload[0] != 0x78) {
            return false;
        }
        int flags = payload[1] & 0xff;
        return flags == 0x01 || flags == 0x5E || flags == 0x9C || flags == 0xDA;
    }

    private static byte[] inflate(byte[] payload, int maxInflatedBytes) throws ImsRefusal {
        Inflater inflater = new Inflater(); // nowrap=false: zlib header and Adler-32 trailer are checked
        try {
            inflater.setInput(payload);
            byte[] out = new byte[(int) Math.min(maxInflatedBytes, Math.max(CHUNK, 4L * payload.length))];
            int length = 0;
            byte[] excess = new byte[1];
            // every round either writes output (bounded), reads input (bounded) or ends: the loop terminates
            while (!inflater.finished()) {
                long readBefore = inflater.getBytesRead();
                int n;
                if (length == out.length && length == maxInflatedBytes) {
                    // full: one more byte means the document is over the bound
                    if (inflater.inflate(excess) > 0) {
                        throw ImsRefusal.tooLarge("MessagePayload inflates to more than "
                                + maxInflatedBytes + " bytes");
                    }
                    n = 0;
                } else {
                    if (length == out.length) {
                        out = Arrays.copyOf(out, (int) Math.min(maxInflatedBytes, 2L * out.length));
                    }
                    n = inflater.inflate(out, length, out.length - length);
                    length += n;
                }
                if (n == 0 && !inflater.finished()) {
                    if (inflater.needsDictionary()) {
                        throw ImsRefusal.malformed("MessagePayload needs a preset DEFLATE dictionary");
                    }
                    if (inflater.needsInput()) {
                        throw ImsRefusal.malformed("MessagePayload is a truncated DEFLATE stream");
                    }
                    if (inflater.getBytesRead() == readBefore) {
                        throw ImsRefusal.malformed("MessagePayload's DEFLATE stream makes no progress");
                    }
                }
            }
            if (inflater.getRemaining() > 0) {
                throw ImsRefusal.malformed("MessagePayload has bytes after its DEFLATE stream");
            }
            return length == out.length ? out : Arrays.copyOf(out, length);
        } catch (DataFormatException e) {
            throw ImsRefusal.malformed("MessagePayload is not a valid DEFLATE stream");
        } finally {
            inflater.end();
        }
    }
}
