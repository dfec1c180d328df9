package io.mlconnector.asana.webhook;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.ForbiddenException;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.RateLimitedException;
import io.mlconnector.asana.ServerErrorException;
import io.mlconnector.asana.Webhook;
import io.mlconnector.asana.WebhookCreated;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one webhook alive for the resource and target: adopts the stored one when Asana still has it
 * and its secret opens, otherwise deletes any unverifiable leftover and registers anew (handshake
 * through the endpoint). A periodic {@link #check()} notices when Asana deleted it, and logs the
 * delivery failures Asana reports before it comes to that.
 */
final class WebhookKeeper {

    private static final Logger log = LoggerFactory.getLogger(WebhookKeeper.class);

    private final AsanaClient client;
    private final WebhookEndpoint endpoint;
    private final WebhookSecretStore secrets;
    private final RecordOutbox outbox;
    private final String workspaceGid;
    private final String resourceGid;
    private final String target;
    private final WebhookFilters filters;
    private String webhookGid;
    private Instant reportedFailure;
    final AtomicLong registrations = new AtomicLong();
    final AtomicLong reRegistrations = new AtomicLong();

    WebhookKeeper(AsanaClient client, WebhookEndpoint endpoint, WebhookSecretStore secrets, RecordOutbox outbox,
            String workspaceGid, String resourceGid, String target, WebhookFilters filters) {
        this.client = client;
        this.endpoint = endpoint;
        this.secrets = secrets;
        this.outbox = outbox;
        this.workspaceGid = workspaceGid;
        this.resourceGid = resourceGid;
        this.target = target;
        this.filters = filters;
    }

    /** At task start: the webhook from the offset if Asana still has it and its secret opens, else a new one. */
    void start(SourceOffset stored) {
        Optional<HandshakeSecret> secret = stored.webhookGid() == null || stored.secret() == null ? Optional.empty()
                : secrets.open(stored.webhookGid(), stored.secret());
        if (secret.isPresent() && stillRegistered(secret.get().webhookGid())) {
            webhookGid = secret.get().webhookGid();
            endpoint.useSecret(secret.get());
            if (secrets.needsResealing(stored.secret())) {
                outbox.webhookRegistered(webhookGid, secrets.seal(secret.get()));
            }
            log.info("Asana webhook {} for resource {} adopted from the source offset", webhookGid, resourceGid);
            return;
        }
        if (stored.webhookGid() != null && secret.isEmpty()) {
            log.warn("The stored secret of webhook {} cannot be opened with the configured keys; registering anew",
                    stored.webhookGid());
        }
        try {
            register();
        } catch (ServerErrorException | RateLimitedException | AsanaIOException e) {
            // A create is never resent blindly; the next check lists, cleans up and registers. Until then the
            // events catch-up recovers what no webhook delivers.
            log.warn("Could not register the Asana webhook for resource {} ({}); trying again at the next check",
                    resourceGid, e.getMessage());
        }
    }

    /**
     * Reads the webhook from Asana; registers again when it is gone. Returns true when it registered,
     * so the caller catches up on what the missing webhook did not deliver.
     */
    boolean check() {
        if (webhookGid == null) {
            return register();
        }
        Webhook webhook;
        try {
            webhook = client.getWebhook(webhookGid);
        } catch (NotFoundException e) {
            log.warn("Asana deleted webhook {} for resource {}; registering again", webhookGid, resourceGid);
            webhookGid = null;
            reRegistrations.incrementAndGet();
            return register();
        }
        Instant failure = webhook.lastFailureAt();
        if (failure != null && !failure.equals(reportedFailure)
                && (webhook.lastSuccessAt() == null || failure.isAfter(webhook.lastSuccessAt()))) {
            reportedFailure = failure;
            log.warn("Asana reports failed deliveries to webhook {}: {} retries, last at {} ({}); Asana deletes it at {} "
                    + "unless a delivery succeeds", webhookGid, webhook.deliveryRetryCount(), failure,
                    firstLine(webhook.lastFailureContent()), webhook.failureDeletionAt());
        }
        return false;
    }

    private boolean stillRegistered(String gid) {
        try {
            Webhook webhook = client.getWebhook(gid);
            return RegistrationTarget.sameTarget(webhook.target(), target);
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Registers the webhook; true when it now has one. The target Asana is given carries a fresh one-time token, and
     * the endpoint accepts only the first handshake that brings it: nobody else's secret can get in.
     */
    private boolean register() {
        // Asana refuses a second webhook with the same resource and target; one we hold no secret for is useless.
        for (Webhook stale : client.listWebhooks(workspaceGid, resourceGid)) {
            if (RegistrationTarget.sameTarget(stale.target(), target)) {
                log.info("Deleting webhook {}: its secret is not known to this connector", stale.gid());
                delete(stale.gid());
            }
        }
        WebhookEndpoint.Registration window = endpoint.openRegistration();
        WebhookCreated created;
        try {
            created = client.createWebhook(resourceGid, RegistrationTarget.withToken(target, window.token()),
                    filters.filters());
        } catch (ForbiddenException e) {
            throw new IllegalStateException("Asana refused the webhook for " + resourceGid + " at " + target
                    + " (a localhost target, or a duplicate made meanwhile): " + e.getMessage(), e);
        } finally {
            endpoint.closeRegistration(window);
        }
        String gid = created.webhook().gid();
        // Asana's answer came over our authenticated call: its secret is the one to trust.
        String value = created.secret() != null ? created.secret() : window.receivedSecret();
        if (value == null) {
            log.warn("The handshake of webhook {} did not reach this endpoint ({} handshakes refused meanwhile); is {} "
                    + "routed to listener.port? Deleting it and trying again at the next check", gid, window.refused(),
                    target);
            delete(gid);
            return false;
        }
        if (window.receivedSecret() != null && !window.receivedSecret().equals(value)) {
            log.warn("The handshake this endpoint accepted for webhook {} carried another secret than Asana's answer; "
                    + "the answer's is used", gid);
        }
        HandshakeSecret secret = new HandshakeSecret(gid, value);
        webhookGid = gid;
        endpoint.useSecret(secret);
        outbox.webhookRegistered(webhookGid, secrets.seal(secret));
        registrations.incrementAndGet();
        log.info("Registered Asana webhook {} for resource {} at {}", webhookGid, resourceGid, target);
        return true;
    }

    private void delete(String gid) {
        try {
            client.deleteWebhook(gid);
        } catch (NotFoundException alreadyGone) {
            // deleted meanwhile: what we wanted
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
