package io.mlconnector.asana;

/**
 * A new webhook and the secret its events are signed with. Asana sends the secret only during the
 * handshake and in this answer: store it now.
 */
public record WebhookCreated(Webhook webhook, String secret) {
    @Override
    public String toString() {
        return "WebhookCreated[webhook=" + webhook + ", secret=<redacted>]";
    }
}
