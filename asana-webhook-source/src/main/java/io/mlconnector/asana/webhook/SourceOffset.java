package io.mlconnector.asana.webhook;

import io.mlconnector.asana.SyncToken;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the task keeps in Connect's offsets for its resource: the events-API sync token and when it
 * was taken, the webhook and its sealed handshake secret, and the identities of the latest events
 * produced (the dedupe window) with its {@link ReplayHorizon}. Connect offsets hold primitives only, so the window
 * is one string.
 */
record SourceOffset(SyncToken sync, Instant syncedAt, String webhookGid, WebhookSecretStore.Sealed secret,
        String seen, ReplayHorizon horizon) {

    static final SourceOffset EMPTY = new SourceOffset(null, null, null, null, "", ReplayHorizon.NONE);

    static Map<String, Object> partition(String resourceGid) {
        return Map.of("resource", resourceGid);
    }

    static SourceOffset from(Map<String, Object> offset) {
        if (offset == null) {
            return EMPTY;
        }
        String sync = (String) offset.get("sync");
        String syncedAt = (String) offset.get("synced_at");
        String keyId = (String) offset.get("secret_key_id");
        String blob = (String) offset.get("secret");
        String seen = (String) offset.getOrDefault("seen", "");
        return new SourceOffset(sync == null ? null : new SyncToken(sync), syncedAt == null ? null : Instant.parse(syncedAt),
                (String) offset.get("webhook"), keyId == null || blob == null ? null : new WebhookSecretStore.Sealed(keyId, blob),
                seen, new ReplayHorizon(instant(offset.get("seen_newest")), instant(offset.get("forgotten_up_to"))));
    }

    private static Instant instant(Object text) {
        return text == null ? null : Instant.parse((String) text);
    }

    /** Absent values are left out: nothing to store. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (sync != null) {
            map.put("sync", sync.value());
            map.put("synced_at", syncedAt.toString());
        }
        if (webhookGid != null) {
            map.put("webhook", webhookGid);
        }
        if (secret != null) {
            map.put("secret_key_id", secret.keyId());
            map.put("secret", secret.blob());
        }
        map.put("seen", seen);
        if (horizon.newestSeen() != null) {
            map.put("seen_newest", horizon.newestSeen().toString());
        }
        if (horizon.forgottenUpTo() != null) {
            map.put("forgotten_up_to", horizon.forgottenUpTo().toString());
        }
        return map;
    }

    SourceOffset withSync(SyncToken token, Instant at) {
        return new SourceOffset(token, at, webhookGid, secret, seen, horizon);
    }

    SourceOffset withWebhook(String gid, WebhookSecretStore.Sealed sealed) {
        return new SourceOffset(sync, syncedAt, gid, sealed, seen, horizon);
    }

    /** @param joined the identities, oldest first, joined by spaces */
    SourceOffset withSeen(String joined, ReplayHorizon times) {
        return new SourceOffset(sync, syncedAt, webhookGid, secret, joined, times);
    }

    List<String> seenIds() {
        return seen.isEmpty() ? List.of() : Arrays.asList(seen.split(" "));
    }
}
