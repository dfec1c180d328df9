package io.mlconnector.asana;

import java.util.List;

/** Missing or malformed input (400). */
public final class BadRequestException extends AsanaException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(List<String> messages) {
        super(400, messages, null);
    }
}
