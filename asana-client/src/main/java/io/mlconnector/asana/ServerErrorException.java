package io.mlconnector.asana;

import java.util.List;

/** An Asana-side failure (5xx). {@link #phrase()} is the handle to quote to Asana support. */
public final class ServerErrorException extends AsanaException {
    private static final long serialVersionUID = 1L;

    public ServerErrorException(int status, List<String> messages, String phrase) {
        super(status, messages, phrase);
    }
}
