package io.mlconnector.http;

/**
 * A successful status with a body that cannot be read (cut off, not JSON): a proxy or a failing server. Repeated when
 * the call is safe to repeat, else thrown to the caller.
 */
public class UnreadableAnswerException extends RuntimeException {
    private final int status;

    public UnreadableAnswerException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
