package io.mlconnector.connect.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 request, strictly and within limits: the request line and headers together at most
 * {@value #MAX_HEAD_BYTES} bytes and {@value #MAX_HEADERS} headers (else 431); a body framed by one
 * Content-Length or by {@code Transfer-Encoding: chunked}, never both (a request another hop could frame
 * differently is how requests are smuggled: 400); no folded header lines. How long reading may take is the
 * caller's business (see {@link DeadlineInput}).
 */
public final class HttpRequestReader {

    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 100;
    /** A chunk-size line: hex size and any extensions. */
    private static final int MAX_CHUNK_LINE = 1024;
    /** More hex digits than this could not be a body we accept; refusing them also keeps the size in a long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 8;

    /** The request must be answered {@code status} and the connection closed: it cannot be read further. */
    public static final class Refused extends Exception {
        public final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    /** The request line and headers; header names in lower case. {@code contentLength} is -1 when chunked. */
    public record Head(String method, String path, String rawQuery, boolean http11, Map<String, List<String>> headers,
            long contentLength) {

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        /** The first value of the header, or null. */
        public String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.get(0);
        }

        public boolean chunked() {
            return contentLength < 0;
        }

        public boolean hasBody() {
            return contentLength != 0;
        }

        public boolean expectsContinue() {
            return http11 && "100-continue".equalsIgnoreCase(header("Expect"));
        }

        /** HTTP/1.1 keeps the connection unless the client says close; HTTP/1.0 clients get one request. */
        public boolean keepAlive() {
            return http11 && headers("Connection").stream().flatMap(value -> List.of(value.split(",")).stream())
                    .noneMatch(token -> token.trim().equalsIgnoreCase("close"));
        }

        /** The values of a query parameter, decoded. */
        public List<String> queryParameter(String name) {
            List<String> values = new ArrayList<>();
            if (rawQuery == null) {
                return values;
            }
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                if (decode(key).equals(name)) {
                    values.add(equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
            }
            return values;
        }

        private static String decode(String text) {
            try {
                return URLDecoder.decode(text, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // a broken escape matches no name or token we look for
                return "\u0000";
            }
        }
    }

    private final InputStream in;
    private int headBudget = MAX_HEAD_BYTES;

    public HttpRequestReader(InputStream in) {
        this.in = in;
    }

    public Head head() throws IOException, Refused {
        String requestLine = headLine();
        while (requestLine.isEmpty()) {
            // a stray CRLF before a request is allowed (RFC 9112 2.2); the budget bounds how many
            requestLine = headLine();
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || !parts[1].startsWith("/")) {
            throw new Refused(400, "malformed request line");
        }
        boolean http11 = parts[2].equals("HTTP/1.1");
        if (!http11 && !parts[2].equals("HTTP/1.0")) {
            throw new Refused(parts[2].matches("HTTP/\\d\\.\\d") ? 505 : 400, "unsupported version");
        }
        URI target;
        try {
            target = URI.create(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "malformed request target");
        }
        // Origin form only ("/path?query"): "//host/path" would otherwise be read as a host and a path.
        if (!parts[1].startsWith("/") || target.getRawAuthority() != null || target.getScheme() != null) {
            throw new Refused(400, "a request target that is not a path");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int count = 0;
        for (String line = headLine(); !line.isEmpty(); line = headLine()) {
            if (++count > MAX_HEADERS) {
                throw new Refused(431, "too many headers");
            }
            int colon = line.indexOf(':');
            // no whitespace before the colon and no folded lines: both are ways to smuggle a header past a proxy
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new Refused(400, "malformed header line");
            }
            String value = trim(line.substring(colon + 1));
            if (!isFieldValue(value)) {
                throw new Refused(400, "control character in a header value");
            }
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(value);
        }
        return new Head(parts[0], target.getRawPath(), target.getRawQuery(), http11, headers, contentLength(headers));
    }

    /** The body in full, or null when it is larger than {@code maxBytes} (the rest is left unread). */
    public byte[] body(Head head, int maxBytes) throws IOException, Refused {
        if (!head.chunked()) {
            if (head.contentLength() > maxBytes) {
                return null;
            }
            byte[] body = in.readNBytes((int) head.contentLength());
            if (body.length < head.contentLength()) {
                throw new EOFException("the client closed the connection inside the body");
            }
            return body;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(MAX_CHUNK_LINE, 400);
            int extension = sizeLine.indexOf(';');
            String hex = trim(extension < 0 ? sizeLine : sizeLine.substring(0, extension));
            if (hex.isEmpty() || hex.length() > MAX_CHUNK_SIZE_DIGITS || !hex.chars().allMatch(HttpRequestReader::isHex)) {
                throw new Refused(400, "malformed chunk size");
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                break;
            }
            if (body.size() + size > maxBytes) {
                return null;
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw new EOFException("the client closed the connection inside a chunk");
            }
            body.writeBytes(chunk);
            if (!line(1, 400).isEmpty()) {
                throw new Refused(400, "a chunk longer than its size");
            }
        }
        // Trailer fields are read past (within the head's limits) and ignored.
        headBudget = MAX_HEAD_BYTES;
        int trailers = 0;
        while (!headLine().isEmpty()) {
            if (++trailers > MAX_HEADERS) {
                throw new Refused(431, "too many trailer fields");
            }
        }
        return body.toByteArray();
    }

    private static long contentLength(Map<String, List<String>> headers) throws Refused {
        List<String> encodings = headers.getOrDefault("transfer-encoding", List.of());
        List<String> lengths = headers.getOrDefault("content-length", List.of());
        if (!encodings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw new Refused(400, "both Transfer-Encoding and Content-Length");
            }
            if (encodings.size() != 1 || !encodings.get(0).equalsIgnoreCase("chunked")) {
                throw new Refused(501, "a transfer coding other than chunked");
            }
            return -1;
        }
        if (lengths.isEmpty()) {
            return 0;
        }
        String length = lengths.get(0);
        if (lengths.stream().anyMatch(other -> !other.equals(length)) || length.isEmpty()
                || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Refused(400, "malformed Content-Length");
        }
        // More digits than a long holds is more than any body limit: refused as too large, not as malformed.
        return length.length() > 18 ? Long.MAX_VALUE : Long.parseLong(length);
    }

    /** A line of the request head or trailer, within what is left of their budget. */
    private String headLine() throws IOException, Refused {
        String line = line(headBudget, 431);
        headBudget -= line.length() + 1;
        return line;
    }

    /**
     * One line without its CRLF (a bare LF ends one too); more than {@code limit} bytes before it are refused with
     * {@code status}. Bytes are Latin-1, as HTTP's header bytes are.
     */
    private String line(int limit, int status) throws IOException, Refused {
        StringBuilder line = new StringBuilder();
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("the client closed the connection inside a request");
            }
            if (next == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= limit) {
                throw new Refused(status, "line too long");
            }
            line.append((char) next);
        }
    }

    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(start, end);
    }

    /** RFC 9110 token characters: method and header names. */
    private static boolean isToken(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
    }

    /** Visible characters, spaces and tabs: no CR, LF, NUL or other controls. */
    private static boolean isFieldValue(String text) {
        return text.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f));
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
