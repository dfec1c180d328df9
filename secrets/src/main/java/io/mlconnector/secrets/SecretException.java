package io.mlconnector.secrets;

/** A key or ciphertext problem. Messages name key ids, files and variables, never key or plaintext bytes. */
public final class SecretException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SecretException(String message) {
        super(message);
    }
}
