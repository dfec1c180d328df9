package io.mlconnector.infor;

/** The authorization server refused the credentials (RFC 6749 {@code error} code kept, description never echoed verbatim with secrets). */
public final class IonAuthenticationException extends IonException {

    private final int status;
    private final String error;

    public IonAuthenticationException(int status, String error) {
        super("ION token request refused with HTTP " + status + (error == null ? "" : " (" + error + ")")
                + ": check that the .ionapi belongs to a Backend Service app with a service account");
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    /** The OAuth error code, e.g. {@code invalid_grant}; null when the body had none. */
    public String error() {
        return error;
    }
}
