package io.mlconnector.infor;

/** Base of every failure the Infor client reports. Messages never contain secrets. */
public class IonException extends RuntimeException {

    public IonException(String message) {
        super(message);
    }

    public IonException(String message, Throwable cause) {
        super(message, cause);
    }
}
