package io.mlconnector.simulators.ion;

/**
 * An M3 rejection. {@code requestLevel} errors (unknown transaction, unauthorised company) are answered in v2
 * as HTTP 400 with the error keys at the top level; the others as HTTP 200 with the keys inside the result.
 */
final class MiException extends RuntimeException {

    final String type;
    final String code;
    final String field;
    final boolean requestLevel;

    MiException(String type, String code, String field, String message, boolean requestLevel) {
        super(message);
        this.type = type;
        this.code = code;
        this.field = field;
        this.requestLevel = requestLevel;
    }

    static MiException nok(String code, String field, String message) {
        return new MiException("ServerReturnedNOK", code, field, message, false);
    }
}
