package io.mlconnector.infor;

/** The .ionapi content is missing a key or has a malformed one. {@link #key()} names it; its value is never echoed. */
public final class IonApiFileException extends IonException {

    private final String key;

    public IonApiFileException(String key, String problem) {
        super(".ionapi key '" + key + "' " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
