package io.mlconnector.infor;

/** A Mongoose IDO request answered {@code Success: false}. */
public final class IdoException extends IonException {

    private final String ido;

    public IdoException(String ido, String operation, String message) {
        super("IDO " + operation + " " + ido + " failed: " + message);
        this.ido = ido;
    }

    public String ido() {
        return ido;
    }
}
