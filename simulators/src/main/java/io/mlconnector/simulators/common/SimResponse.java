package io.mlconnector.simulators.common;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers. Immutable apart from {@link #header}, which returns {@code this} for chaining. */
public final class SimResponse {

    private final int status;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private SimResponse(int status, byte[] body, String contentType) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public static SimResponse json(int status, Object body) {
        return new SimResponse(status, Json.write(body), "application/json");
    }

    public static SimResponse text(int status, String body) {
        return new SimResponse(status, body.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** A body sent as-is with the given content type, e.g. a deliberately broken JSON document. */
    public static SimResponse raw(int status, String contentType, String body) {
        return new SimResponse(status, body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    public static SimResponse empty(int status) {
        return new SimResponse(status, new byte[0], null);
    }

    public SimResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
