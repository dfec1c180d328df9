package io.mlconnector.asana;

import java.util.List;

/** The object does not exist or is not visible to this token (404). */
public final class NotFoundException extends AsanaException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(List<String> messages) {
        super(404, messages, null);
    }
}
