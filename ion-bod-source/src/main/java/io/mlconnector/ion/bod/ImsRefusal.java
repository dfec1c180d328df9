package io.mlconnector.ion.bod;

/**
 * Why the IMS endpoint turns a request away: the HTTP status to answer, the IMS {@code code} for the JSON body
 * {@code {"code":..,"status":"FAIL","message":..}} that Infor's sample receiver returns (reference 1.6), and a message
 * that is safe to send back to the caller. Messages name the check that failed, never a secret, an expected value or a
 * payload.
 *
 * <p>Public because {@link ImsAuthentication} is. It carries no stack trace: it is an answer, not a fault.
 */
public final class ImsRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int code;

    /**
     * @param status the HTTP status to answer
     * @param code the IMS code of reference table 1.6, or {@code status} where that table has none
     * @param message what to tell the caller; must not contain secrets or payloads
     */
    public ImsRefusal(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 400: the request is malformed (ION's own split: 400 for a malformed message, reference 1.6). */
    public static ImsRefusal malformed(String message) {
        return new ImsRefusal(400, 400, message);
    }

    /** 412 with the given IMS code: the request does not match the protocol or this connection point's configuration. */
    public static ImsRefusal mismatch(int code, String message) {
        return new ImsRefusal(412, code, message);
    }

    /** 401: the caller did not authenticate. */
    public static ImsRefusal unauthorized(String message) {
        return new ImsRefusal(401, 401, message);
    }

    /** 413: the body or the inflated document is larger than this endpoint accepts (reference 1.9). */
    public static ImsRefusal tooLarge(String message) {
        return new ImsRefusal(413, 413, message);
    }

    /** The HTTP status to answer. */
    public int status() {
        return status;
    }

    /** The IMS code for the response body. */
    public int code() {
        return code;
    }
}
