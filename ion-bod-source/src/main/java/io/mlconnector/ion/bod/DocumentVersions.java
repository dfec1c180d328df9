package io.mlconnector.ion.bod;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The newest version of each document this source wrote, to tell a new version from a redelivery or a stale one.
 * ION delivers at least once, in any order, and intermediate flow steps resend a document under a new message id
 * (ion-ims-bod.md 1.10); the IDG's rule is that a variation lower than one processed must not overwrite it (3.4).
 *
 * <p>What a record wrote is stored in the source offsets, one source partition per document, so it survives
 * restarts and commits with the record (under exactly-once, in the same transaction). Here are the versions
 * decided since start, read through to the stored offset the first time a document comes by; the least
 * recently used are forgotten beyond {@code capacity}, to be read back when seen again.
 *
 * <p>Callers decide and enqueue the record under {@link #lockFor}, so the records of one document reach Kafka in
 * the order they were decided.
 */
final class DocumentVersions {

    /** What to do with a message. */
    enum Verdict {
        /** A version newer than any written, or the first: write it. */
        NEW,
        /** The same version again (or, where no variation is known, the same message): nothing new. */
        DUPLICATE,
        /** A lower variation than one written: it must not overwrite the newer one. */
        STALE
    }

    /** A version written: its variation (null when the BOD gave none) and the message that carried it. */
    record Version(Long variation, String messageId) {

        static final String VARIATION = "variation";
        static final String MESSAGE_ID = "message_id";

        Map<String, Object> toOffset() {
            Map<String, Object> offset = new HashMap<>();
            offset.put(VARIATION, variation);
            offset.put(MESSAGE_ID, messageId);
            return offset;
        }

        /** Null for no stored offset; a value of a wrong type is treated as absent, it cannot order anything. */
        static Version fromOffset(Map<String, ?> offset) {
            if (offset == null) {
                return null;
            }
            Object variation = offset.get(VARIATION);
            Object messageId = offset.get(MESSAGE_ID);
            return new Version(variation instanceof Number n ? n.longValue() : null,
                    messageId instanceof String s ? s : null);
        }
    }

    /** The verdict, and the version the message was compared with (null for a document first seen). */
    record Decision(Verdict verdict, Version written) {
    }

    private static final int STRIPES = 64;

    private final Function<Map<String, Object>, Map<String, Object>> storedOffset;
    private final Map<Map<String, Object>, Version> versions;
    private final Object[] locks = new Object[STRIPES];

    /**
     * @param storedOffset the stored offset of a document's source partition, or null (the worker's offset reader)
     * @param capacity     documents kept in memory
     */
    DocumentVersions(Function<Map<String, Object>, Map<String, Object>> storedOffset, int capacity) {
        this.storedOffset = storedOffset;
        this.versions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Map<String, Object>, Version> eldest) {
                return size() > capacity;
            }
        };
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** The lock under which a document's message is decided and its record enqueued. */
    Object lockFor(Map<String, Object> document) {
        return locks[Math.floorMod(document.hashCode(), STRIPES)];
    }

    /**
     * Compares a message's version with the one written and, for a new one, records it as written. Call under
     * {@link #lockFor} the document.
     */
    Decision decide(Map<String, Object> document, Long variation, String messageId) {
        Version written = written(document);
        Verdict verdict = verdict(written, variation, messageId);
        if (verdict == Verdict.NEW) {
            // a version without a variation orders nothing: the one before it stays the bar for stale ones
            Long bar = variation != null ? variation : written == null ? null : written.variation();
            put(document, new Version(bar, messageId));
        }
        return new Decision(verdict, written);
    }

    /**
     * Takes back a new version whose record did not reach Kafka, so that ION's redelivery of it is new again;
     * a later version decided since stays. Call under {@link #lockFor} the document.
     */
    void undo(Map<String, Object> document, Decision decided, String messageId) {
        synchronized (versions) {
            Version current = versions.get(document);
            if (current != null && Objects.equals(current.messageId(), messageId)) {
                if (decided.written() == null) {
                    versions.remove(document);
                } else {
                    versions.put(document, decided.written());
                }
            }
        }
    }

    private static Verdict verdict(Version written, Long variation, String messageId) {
        if (written == null) {
            return Verdict.NEW;
        }
        if (variation != null && written.variation() != null) {
            int order = Long.compare(variation, written.variation());
            return order > 0 ? Verdict.NEW : order == 0 ? Verdict.DUPLICATE : Verdict.STALE;
        }
        return Objects.equals(messageId, written.messageId()) ? Verdict.DUPLICATE : Verdict.NEW;
    }

    private Version written(Map<String, Object> document) {
        synchronized (versions) {
            Version known = versions.get(document);
            if (known != null) {
                return known;
            }
        }
        // Read outside the map's lock: it may wait for the offsets topic. The document's own lock is held.
        Version stored = Version.fromOffset(storedOffset.apply(document));
        if (stored != null) {
            put(document, stored);
        }
        return stored;
    }

    private void put(Map<String, Object> document, Version version) {
        synchronized (versions) {
            versions.put(document, version);
        }
    }
}
