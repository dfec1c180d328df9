package io.mlconnector.asana;

import java.util.List;

/** Blocked for legal reasons, usually the source IP (451). */
public final class LegalBlockException extends AsanaException {
    private static final long serialVersionUID = 1L;

    public LegalBlockException(List<String> messages) {
        super(451, messages, null);
    }
}
