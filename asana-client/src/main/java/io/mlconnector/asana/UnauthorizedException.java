package io.mlconnector.asana;

import java.util.List;

/** No valid token, or the app is disabled in the workspace (401). */
public final class UnauthorizedException extends AsanaException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(List<String> messages) {
        super(401, messages, null);
    }
}
