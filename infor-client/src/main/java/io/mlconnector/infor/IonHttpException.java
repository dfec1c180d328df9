package io.mlconnector.infor;

/**
 * An ION call answered with an HTTP status the client does not retry, or still failing after the retry policy
 * gave up. {@code status} is 0 when no answer arrived (timeout, connection failure).
 */
public final class IonHttpException extends IonException {

    private final int status;
    private final String operation;

    public IonHttpException(String operation, int status, String detail, Throwable cause) {
        super(operation + " failed" + (status > 0 ? " with HTTP " + status : "") + (detail == null || detail.isEmpty() ? "" : ": " + detail), cause);
        this.status = status;
        this.operation = operation;
    }

    public int status() {
        return status;
    }

    /** What was called, e.g. {@code M3 PPS200MI/GetHead} or {@code IDO load SLPos}; never contains input values. */
    public String operation() {
        return operation;
    }
}
