package io.mlconnector.asana.webhook;

import java.util.Objects;

/**
 * The secret Asana sent in the X-Hook-Secret handshake of one webhook; every delivery of that webhook
 * is signed with it. A credential: {@link #toString()} never shows it.
 */
public record HandshakeSecret(String webhookGid, String value) {

    public HandshakeSecret {
        Objects.requireNonNull(webhookGid, "webhookGid");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "HandshakeSecret[webhook=" + webhookGid + ", value=<redacted>]";
    }
}
