package io.mlconnector.ion.bod;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code multipart/form-data} body that ION posts to {@code v3/multipartMessage} (reference 1.5: the parts
 * {@code ParameterRequest} and {@code MessagePayload}, the latter binary). It only splits the body into parts; which
 * parts must be there is the caller's rule.
 *
 * <p>It is strict and bounded, because the body comes from the network: RFC 2046 framing with CRLF line ends only
 * (LF-only framing is refused: in binary content a bare LF cannot be told from a line end, and Infor's client, .NET
 * {@code MultipartContent}, writes CRLF), at most {@link #MAX_PARTS} parts, at most {@link #MAX_PART_HEAD_BYTES} of
 * headers per part, no header folding, and {@code Content-Transfer-Encoding} absent or {@code binary} (what Infor's
 * client sends). A delimiter is {@code CRLF "--" boundary} wherever it occurs, as RFC 2046 5.1.1 says; it must be
 * followed by optional spaces and CRLF, or by {@code "--"} at the end, otherwise the body is refused. A preamble
 * before the first delimiter and an epilogue after the last are ignored.
 *
 * <p>Every refusal is 412 with IMS code 477, the code of Infor's sample for a body without the expected parts
 * (reference table 1.6).
 *
 * <p>Over 400 lines: one bounded RFC 2046 parser, its refusals beside the framing rules they enforce.
 */
final class MultipartForm {

    /** ION sends two parts; a few more are tolerated so that the caller, not the parser, names what is wrong. */
    static final int MAX_PARTS = 8;
    /** Headers of one part, up to and including the blank line that ends them. */
    static final int MAX_PART_HEAD_BYTES = 8 * 1024;
    /** RFC 2046 5.1.1: a boundary is 1 to 70 characters. */
    static final int MAX_BOUNDARY_LENGTH = 70;

    static final int MALFORMED_CODE = 477;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DASH = '-';

    /**
     * One body part, in the order sent.
     *
     * @param name the {@code name} of its {@code Content-Disposition}
     * @param fileName the {@code filename} (or decoded {@code filename*}), or null for a plain field
     * @param contentType the part's {@code Content-Type} as sent, or null when absent
     * @param content the part's bytes, exactly as sent (not copied again on access)
     */
    record Part(String name, String fileName, String contentType, byte[] content) {
        /** Does not print the content: it is a whole document. */
        @Override
        public String toString() {
            return "Part[name=" + name + ", fileName=" + fileName + ", contentType=" + contentType + ", "
                    + content.length + " bytes]";
        }
    }

    private MultipartForm() {
    }

    /**
     * @param contentTypeHeader the request's {@code Content-Type} value, e.g. {@code multipart/form-data; boundary=x}
     * @param body the whole request body
     * @return the parts in order, at least one
     */
    static List<Part> parse(String contentTypeHeader, byte[] body) throws ImsRefusal {
        byte[] boundary = boundary(contentTypeHeader).getBytes(StandardCharsets.US_ASCII);
        if (body == null || body.length == 0) {
            throw refusal("the request has no body");
        }
        byte[] delimiter = new byte[boundary.length + 4];
        delimiter[0] = CR;
        delimiter[1] = LF;
        delimiter[2] = DASH;
        delimiter[3] = DASH;
        System.arraycopy(boundary, 0, delimiter, 4, boundary.length);

        // the first dash-boundary may open the body; otherwise it follows a preamble and a CRLF
        int position;
        if (startsWith(body, 0, delimiter, 2)) {
            position = delimiter.length - 2;
        } else {
            int first = indexOf(body, delimiter, 0);
            if (first < 0) {
                throw refusal("the body has no multipart boundary delimiter");
            }
            position = first + delimiter.length;
        }

        List<Part> parts = new ArrayList<>();
        while (true) {
            if (startsWith(body, position, new byte[] {DASH, DASH}, 0)) {
                if (parts.isEmpty()) {
                    throw refusal("the multipart body has no parts");
                }
                requireCloseDelimiterEnd(body, position + 2);
                return List.copyOf(parts);
            }
            position = skipPaddingAndCrlf(body, position);
            if (parts.size() == MAX_PARTS) {
                throw refusal("the multipart body has more than " + MAX_PARTS + " parts");
            }
            int contentStart;
            Map<String, String> headers;
            if (startsWith(body, position, new byte[] {CR, LF}, 0)) {
                headers = Map.of();
                contentStart = position + 2;
            } else {
                int headEnd = indexOf(body, new byte[] {CR, LF, CR, LF}, position,
                        position + Math.min(body.length - position, MAX_PART_HEAD_BYTES));
                if (headEnd < 0) {
                    if (body.length - position >= MAX_PART_HEAD_BYTES) {
                        throw refusal("a part's headers are longer than " + MAX_PART_HEAD_BYTES + " bytes");
                    }
                    throw refusal("the multipart body ends inside a part's headers");
                }
                headers = headers(body, position, headEnd + 2);
                contentStart = headEnd + 4;
            }
            int contentEnd = indexOf(body, delimiter, contentStart);
            if (contentEnd < 0) {
                throw refusal("the multipart body ends without a closing delimiter");
            }
            parts.add(part(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
            position = contentEnd + delimiter.length;
        }
    }

    /** The boundary parameter of a {@code multipart/form-data} media type, checked against RFC 2046's bchars. */
    static String boundary(String contentTypeHeader) throws ImsRefusal {
        if (contentTypeHeader == null || contentTypeHeader.isBlank()) {
            throw refusal("the request has no Content-Type");
        }
        HeaderValue value = HeaderValue.parse(contentTypeHeader);
        if (!"multipart/form-data".equals(value.type)) {
            throw refusal("the request's Content-Type is not multipart/form-data");
        }
        String boundary = value.parameters.get("boundary");
        if (boundary == null) {
            throw refusal("the request's Content-Type has no boundary");
        }
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw refusal("the multipart boundary must be 1 to " + MAX_BOUNDARY_LENGTH + " characters");
        }
        for (int i = 0; i < boundary.length(); i++) {
            if (!isBoundaryChar(boundary.charAt(i))) {
                throw refusal("the multipart boundary has a character RFC 2046 does not allow");
            }
        }
        if (boundary.endsWith(" ")) {
            throw refusal("the multipart boundary ends with a space");
        }
        return boundary;
    }

    private static Part part(Map<String, String> headers, byte[] content) throws ImsRefusal {
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw refusal("a part has no Content-Disposition");
        }
        HeaderValue value = HeaderValue.parse(disposition);
        if (!"form-data".equals(value.type)) {
            throw refusal("a part's Content-Disposition is not form-data");
        }
        String name = value.parameters.get("name");
        if (name == null || name.isEmpty()) {
            throw refusal("a part's Content-Disposition has no name");
        }
        String fileName = value.parameters.containsKey("filename*")
                ? extendedValue(value.parameters.get("filename*"))
                : value.parameters.get("filename");
        String transferEncoding = headers.get("content-transfer-encoding");
        if (transferEncoding != null && !"binary".equalsIgnoreCase(transferEncoding)) {
            throw refusal("a part's Content-Transfer-Encoding is not binary");
        }
        return new Part(name, fileName, headers.get("content-type"), content);
    }

    /** The header fields of one part, names lower-cased; {@code end} is just after the last field's CRLF. */
    private static Map<String, String> headers(byte[] body, int start, int end) throws ImsRefusal {
        String head;
        try {
            head = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refusal("a part's headers are not UTF-8");
        }
        Map<String, String> headers = new HashMap<>();
        int lineStart = 0;
        while (lineStart < head.length()) {
            int lineEnd = head.indexOf("\r\n", lineStart);
            String line = head.substring(lineStart, lineEnd);
            lineStart = lineEnd + 2;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw refusal(line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                        ? "a part's headers are folded or blank" : "a part's header line has no field name");
            }
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) {
                    throw refusal("a part's header field name is not a token");
                }
            }
            String fieldValue = line.substring(colon + 1).strip();
            for (int i = 0; i < fieldValue.length(); i++) {
                char c = fieldValue.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw refusal("a part's header has a control character");
                }
            }
            if (headers.put(name.toLowerCase(Locale.ROOT), fieldValue) != null) {
                throw refusal("a part repeats its " + name + " header");
            }
        }
        return headers;
    }

    /** RFC 5987 {@code ext-value}: {@code charset'language'percent-encoded}, charset UTF-8 or ISO-8859-1. */
    private static String extendedValue(String value) throws ImsRefusal {
        int firstQuote = value.indexOf('\'');
        int secondQuote = firstQuote < 0 ? -1 : value.indexOf('\'', firstQuote + 1);
        if (secondQuote < 0) {
            throw refusal("a part's filename* is not an RFC 5987 value");
        }
        String charset = value.substring(0, firstQuote).toUpperCase(Locale.ROOT);
        if (!charset.equals("UTF-8") && !charset.equals("ISO-8859-1")) {
            throw refusal("a part's filename* has an unsupported charset");
        }
        String encoded = value.substring(secondQuote + 1);
        byte[] bytes = new byte[encoded.length()];
        int length = 0;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0
                    && hex(encoded.charAt(i + 2)) >= 0) {
                bytes[length++] = (byte) (hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80 && isTokenChar(c) && c != '%' && c != '*' && c != '\'') {
                bytes[length++] = (byte) c;
            } else {
                throw refusal("a part's filename* is not an RFC 5987 value");
            }
        }
        if (charset.equals("ISO-8859-1")) {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refusal("a part's filename* is not UTF-8");
        }
    }

    /** After a close delimiter: transport padding, then the end or a CRLF and an ignored epilogue. */
    private static void requireCloseDelimiterEnd(byte[] body, int position) throws ImsRefusal {
        int p = position;
        while (p < body.length && (body[p] == ' ' || body[p] == '\t')) {
            p++;
        }
        if (p < body.length && !startsWith(body, p, new byte[] {CR, LF}, 0)) {
            throw refusal("the closing multipart delimiter is followed by other text on its line");
        }
    }

    /** After a delimiter: transport padding and the CRLF that ends the delimiter line. */
    private static int skipPaddingAndCrlf(byte[] body, int position) throws ImsRefusal {
        int p = position;
        while (p < body.length && (body[p] == ' ' || body[p] == '\t')) {
            p++;
        }
        if (!startsWith(body, p, new byte[] {CR, LF}, 0)) {
            throw refusal(p >= body.length ? "the multipart body ends after a delimiter"
                    : "a multipart delimiter is not followed by CRLF");
        }
        return p + 2;
    }

    private static boolean startsWith(byte[] body, int at, byte[] pattern, int patternFrom) {
        int length = pattern.length - patternFrom;
        if (at < 0 || at + length > body.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (body[at + i] != pattern[patternFrom + i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] pattern, int from) {
        return indexOf(body, pattern, from, body.length);
    }

    /**
     * The first index at or after {@code from} where {@code pattern} lies wholly before {@code limit}. The delimiter
     * starts with the only CR it holds (a boundary has none), so the bytes a failed comparison matched can hold no
     * later candidate: the search for it is linear in the body, whatever the content.
     */
    private static int indexOf(byte[] body, byte[] pattern, int from, int limit) {
        byte first = pattern[0];
        for (int i = from; i <= limit - pattern.length; i++) {
            if (body[i] == first && startsWith(body, i, pattern, 0)) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 2046 bchars: DIGIT / ALPHA / ' ( ) + _ , - . / : = ? and space (not last). */
    private static boolean isBoundaryChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || "'()+_,-./:=? ".indexOf(c) >= 0;
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static int hex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static ImsRefusal refusal(String message) {
        return ImsRefusal.mismatch(MALFORMED_CODE, message);
    }

    /**
     * A header value of the form {@code type *( OWS ";" OWS name "=" ( token / quoted-string ) )}, as both
     * {@code Content-Type} (RFC 9110 8.3.1) and {@code Content-Disposition} (RFC 6266) are. The type and parameter
     * names are lower-cased; a parameter named twice is refused.
     */
    private static final class HeaderValue {
        final String type;
        final Map<String, String> parameters = new HashMap<>();

        private HeaderValue(String type) {
            this.type = type;
        }

        static HeaderValue parse(String text) throws ImsRefusal {
            int[] at = {0};
            skipSpace(text, at);
            String type = token(text, at, true);
            if (type.isEmpty()) {
                throw refusal("a header value has no type");
            }
            HeaderValue value = new HeaderValue(type.toLowerCase(Locale.ROOT));
            while (true) {
                skipSpace(text, at);
                if (at[0] == text.length()) {
                    return value;
                }
                if (text.charAt(at[0]) != ';') {
                    throw refusal("a header value has text where a parameter should begin");
                }
                at[0]++;
                skipSpace(text, at);
                if (at[0] == text.length()) {
                    return value; // a trailing ";" is tolerated
                }
                String name = token(text, at, false).toLowerCase(Locale.ROOT);
                skipSpace(text, at);
                if (name.isEmpty() || at[0] == text.length() || text.charAt(at[0]) != '=') {
                    throw refusal("a header parameter has no value");
                }
                at[0]++;
                skipSpace(text, at);
                String parameterValue;
                if (at[0] < text.length() && text.charAt(at[0]) == '"') {
                    parameterValue = quoted(text, at); // may be empty: ""
                } else {
                    parameterValue = token(text, at, false);
                    if (parameterValue.isEmpty()) {
                        throw refusal("a header parameter has no value");
                    }
                }
                if (value.parameters.put(name, parameterValue) != null) {
                    throw refusal("a header repeats its " + name + " parameter");
                }
            }
        }

        /** A token; a type token may contain one {@code /} (type/subtype). */
        private static String token(String text, int[] at, boolean type) {
            int start = at[0];
            while (at[0] < text.length() && (isTokenChar(text.charAt(at[0])) || (type && text.charAt(at[0]) == '/'))) {
                at[0]++;
            }
            return text.substring(start, at[0]);
        }

        private static String quoted(String text, int[] at) throws ImsRefusal {
            StringBuilder out = new StringBuilder();
            at[0]++;
            while (at[0] < text.length()) {
                char c = text.charAt(at[0]++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (at[0] == text.length()) {
                        break;
                    }
                    c = text.charAt(at[0]++);
                }
                out.append(c);
            }
            throw refusal("a header parameter has an unterminated quoted string");
        }

        private static void skipSpace(String text, int[] at) {
            while (at[0] < text.length() && (text.charAt(at[0]) == ' ' || text.charAt(at[0]) == '\t')) {
                at[0]++;
            }
        }
    }
}
