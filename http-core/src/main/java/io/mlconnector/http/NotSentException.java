package io.mlconnector.http;

import java.io.IOException;

/** The request never left, e.g. because no token could be had; any method may be repeated after it. */
public class NotSentException extends IOException {
    public NotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
