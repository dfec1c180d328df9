package io.mlconnector.asana;

import java.util.List;

/**
 * 412 from the events API: the sync token was missing, invalid or too old. Events since the old
 * token may be lost, so the caller re-crawls the resource and continues from {@link #freshToken()}.
 */
public final class SyncTokenExpiredException extends AsanaException {
    private static final long serialVersionUID = 1L;

    private final transient SyncToken freshToken;

    public SyncTokenExpiredException(List<String> messages, SyncToken freshToken) {
        super(412, messages, null);
        this.freshToken = freshToken;
    }

    public SyncToken freshToken() {
        return freshToken;
    }
}
