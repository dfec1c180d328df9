package io.mlconnector.http;

import java.nio.charset.StandardCharsets;
import okhttp3.Headers;

/** A whole answer, its body read: what {@link RetryingCaller} hands an {@link AnswerReader}. */
public record HttpAnswer(int status, Headers headers, byte[] body) {

    public String header(String name) {
        return headers.get(name);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }
}
