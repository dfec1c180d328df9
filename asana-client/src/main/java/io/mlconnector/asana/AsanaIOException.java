package io.mlconnector.asana;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The request failed in transport (connection, timeout). When {@link #outcomeUnknown()} is true the
 * request was a create that may have reached Asana, so it was not repeated: look the object up
 * before creating it again.
 */
public final class AsanaIOException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    public AsanaIOException(String message, IOException cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
