package io.mlconnector.http;

import java.io.IOException;

/** A call that got no answer the policy would stop at: the last I/O failure, and whether the work may have been done. */
public class UnansweredCallException extends IOException {
    private final boolean mayHaveExecuted;

    public UnansweredCallException(String message, IOException cause, boolean mayHaveExecuted) {
        super(message, cause);
        this.mayHaveExecuted = mayHaveExecuted;
    }

    /** False when the request surely never reached the service (refused connection, unknown host, no token). */
    public boolean mayHaveExecuted() {
        return mayHaveExecuted;
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
