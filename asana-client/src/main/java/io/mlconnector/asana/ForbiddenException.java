package io.mlconnector.asana;

import java.util.List;

/** Authenticated but not allowed, or a duplicated webhook (403). */
public final class ForbiddenException extends AsanaException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(List<String> messages) {
        super(403, messages, null);
    }
}
