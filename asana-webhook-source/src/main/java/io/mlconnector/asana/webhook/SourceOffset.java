package io.mlconnector.asana.webhook;

import io.mlconnector.asana.SyncToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * What the task keeps in Connect's offsets for its resource: the events-API sync token and when it
 * was taken, the webhook and its sealed handshake secret, and the newest identities of the dedupe window (its head)
 * with its {@link ReplayHorizon}. The window's older identities are in sealed segments, each stored once under a
 * source partition of its own ({@link #segmentPartition}); the resource's offset names the head's generation, so a
 * restart knows which segments belong to it. Connect offsets hold primitives only, so id lists are strings.
 *
 * @param sealedIds the sealed segments' ids, oldest first, as {@link #restore} found them (not stored here)
 */
record SourceOffset(SyncToken sync, Instant syncedAt, String webhookGid, WebhookSecretStore.Sealed secret,
        String seen, ReplayHorizon horizon, long generation, List<Instant> slotNewest, List<String> sealedIds) {

    static final SourceOffset EMPTY = new SourceOffset(null, null, null, null, "", ReplayHorizon.NONE, 0, List.of(),
            List.of());

    static Map<String, Object> partition(String resourceGid) {
        return Map.of("resource", resourceGid);
    }

    /** The partition of one slot of sealed dedupe segments. */
    static Map<String, Object> segmentPartition(String resourceGid, int slot) {
        return Map.of("resource", resourceGid, "dedupe_slot", slot);
    }

    /** Whether a partition is one of this resource's: its own or a dedupe slot's. */
    static boolean isOwn(String resourceGid, Map<String, ?> partition) {
        Object slot = partition.get("dedupe_slot");
        return resourceGid.equals(partition.get("resource")) && (partition.size() == 1
                || partition.size() == 2 && slot instanceof Number n && n.intValue() >= 0
                && n.intValue() < DedupeWindow.SEGMENTS);
    }

    /**
     * The resource's offset with the sealed segments of its window. A segment whose slot holds another generation
     * (its record was not committed before a crash) is lost: its events are in Kafka, so the horizon moves past
     * the newest of them, and a delivery of one is refused rather than produced again.
     */
    static SourceOffset restore(OffsetStorageReader reader, String resourceGid) {
        SourceOffset main = from(reader.offset(partition(resourceGid)));
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int slot = 0; slot < DedupeWindow.SEGMENTS; slot++) {
            slots.add(segmentPartition(resourceGid, slot));
        }
        Map<Map<String, Object>, Map<String, Object>> stored = reader.offsets(slots);
        List<String> sealed = new ArrayList<>();
        ReplayHorizon horizon = main.horizon;
        for (long g = Math.max(0, main.generation - DedupeWindow.SEGMENTS); g < main.generation; g++) {
            int slot = DedupeWindow.slotOf(g);
            Map<String, Object> segment = stored.get(segmentPartition(resourceGid, slot));
            if (segment != null && segment.get("generation") instanceof Number n && n.longValue() == g) {
                sealed.addAll(split((String) segment.get("ids")));
            } else {
                Instant newest = slot < main.slotNewest.size() ? main.slotNewest.get(slot) : null;
                horizon = horizon.forgot(newest != null ? newest : horizon.newestSeen());
            }
        }
        return new SourceOffset(main.sync, main.syncedAt, main.webhookGid, main.secret, main.seen, horizon,
                main.generation, main.slotNewest, sealed);
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
        long generation = offset.get("seen_generation") instanceof Number n ? n.longValue() : 0;
        List<Instant> slotNewest = new ArrayList<>();
        for (String newest : split((String) offset.getOrDefault("slot_newest", ""))) {
            slotNewest.add(newest.equals("-") ? null : Instant.parse(newest));
        }
        return new SourceOffset(sync == null ? null : new SyncToken(sync), syncedAt == null ? null : Instant.parse(syncedAt),
                (String) offset.get("webhook"), keyId == null || blob == null ? null : new WebhookSecretStore.Sealed(keyId, blob),
                seen, new ReplayHorizon(instant(offset.get("seen_newest")), instant(offset.get("forgotten_up_to"))),
                generation, slotNewest, List.of());
    }

    private static Instant instant(Object text) {
        return text == null ? null : Instant.parse((String) text);
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(" "));
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
        if (generation > 0) {
            map.put("seen_generation", generation);
            map.put("slot_newest", String.join(" ", slotNewest.stream()
                    .map(t -> t == null ? "-" : t.toString()).toList()));
        }
        if (horizon.newestSeen() != null) {
            map.put("seen_newest", horizon.newestSeen().toString());
        }
        if (horizon.forgottenUpTo() != null) {
            map.put("forgotten_up_to", horizon.forgottenUpTo().toString());
        }
        return map;
    }

    SourceOffset withSync(SyncToken token, Instant at) {
        return new SourceOffset(token, at, webhookGid, secret, seen, horizon, generation, slotNewest, sealedIds);
    }

    SourceOffset withWebhook(String gid, WebhookSecretStore.Sealed sealed) {
        return new SourceOffset(sync, syncedAt, gid, sealed, seen, horizon, generation, slotNewest, sealedIds);
    }

    /** @param head the head's identities, oldest first, joined by spaces */
    SourceOffset withSeen(String head, ReplayHorizon times, long headGeneration, List<Instant> newestPerSlot) {
        return new SourceOffset(sync, syncedAt, webhookGid, secret, head, times, headGeneration, newestPerSlot,
                sealedIds);
    }

    /** The head's identities, oldest first. */
    List<String> headIds() {
        return split(seen);
    }

    /** Every restored identity, oldest first: the sealed segments', then the head's. */
    List<String> seenIds() {
        List<String> all = new ArrayList<>(sealedIds);
        all.addAll(headIds());
        return all;
    }
}
