package io.mlconnector.ion.bod;

import java.util.Objects;
import java.util.function.Function;

/**
 * How the IMS endpoint knows that a request comes from ION. ION calls a direct "Infor application (IMS)" connection
 * point with an OAuth 1.0a consumer key and secret; "IMS via API Gateway" calls it with whatever target-endpoint
 * security the gateway deployment names (OAuth 1.0a, Basic, API key, ...). Reference section 2; which one applies is
 * configuration.
 *
 * <p>Implementations are safe for concurrent use and never put a secret in a message or in {@code toString}.
 */
public interface ImsAuthentication {

    /**
     * Accepts the request or says why not.
     *
     * @throws ImsRefusal 401 with a message that names the failed check
     */
    void verify(Request request) throws ImsRefusal;

    /**
     * What authentication may look at: the request line and headers, never the body.
     *
     * @param method the HTTP method as received, e.g. {@code POST}
     * @param path the request path as received, still percent-encoded (a raw path, e.g. from
     *     {@code URI.getRawPath()}), e.g. {@code /ims/service/v3/multipartMessage}
     * @param rawQuery the query as received, still percent-encoded, without the {@code ?}; null or empty when none
     * @param headers the first value of a header by name, case-insensitively; null when absent
     */
    record Request(String method, String path, String rawQuery, Function<String, String> headers) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(headers, "headers");
        }

        /** The first value of the named header, or null. */
        public String header(String name) {
            return headers.apply(name);
        }

        /** Without the headers: they may hold credentials. */
        @Override
        public String toString() {
            return "Request[" + method + " " + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?...") + "]";
        }
    }
}
