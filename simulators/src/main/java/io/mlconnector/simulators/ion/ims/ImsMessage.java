package io.mlconnector.simulators.ion.ims;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message ION delivers: a {@link BodDocument}, the message id, the payload encoding and the delivery round.
 *
 * <p>The ParameterRequest (reference 1.5) is {@link #parameters()}: {@code documentName}, {@code messageId},
 * {@code fromLogicalId}, {@code toLogicalId}, {@code encoding}, {@code characterSet} ({@code UTF-8}),
 * {@code accountingEntity}, {@code location}, {@code documentId}, {@code variationId} (a JSON number) and
 * {@code revisionId}, in that order, then any {@link #withParameter overrides}.
 *
 * @param messageId   32 lower-case hex digits, or {@code <sourceId>:-ION-:<32 hex>} (reference 1.5, [C I6])
 * @param toLogicalId {@value #DEFAULT_TO_LOGICAL_ID} unless changed (reference 1.5)
 * @param round       delivery round: the sender finishes every message of round {@code r} (acknowledged or given
 *                    up) before it starts round {@code r + 1}. Originals are round 0; the hazard copies made by
 *                    {@link Hazards} are round 1, so they are guaranteed to arrive after what they copy.
 * @param kind        why this message exists (an original, or which hazard produced it)
 * @param overrides   ParameterRequest keys replaced ({@code null} value: key removed) for non-conforming tests
 */
public record ImsMessage(String messageId, BodDocument document, Encoding encoding, String toLogicalId, int round,
                         Kind kind, Map<String, Object> overrides) {

    public static final String DEFAULT_TO_LOGICAL_ID = "lid://default";
    public static final String CHARACTER_SET = "UTF-8";

    /** The ParameterRequest {@code encoding} (reference 1.5): the payload as UTF-8 bytes, or zlib-deflated. */
    public enum Encoding {
        NONE, DEFLATE
    }

    /** How a message came to be in the delivery list. */
    public enum Kind {
        /** The first delivery of a document version. */
        ORIGINAL,
        /** The same message again: same messageId (at-least-once redelivery, reference 1.1). */
        DUPLICATE_SAME_ID,
        /** The same document and variation under a new messageId, as intermediate flow steps produce (1.10, [C I27]). */
        DUPLICATE_NEW_ID,
        /** An older variation held back until after the newest variation of its document (1.1, 3.4, [C I8]). */
        STALE
    }

    public ImsMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(kind, "kind");
        toLogicalId = toLogicalId == null ? DEFAULT_TO_LOGICAL_ID : toLogicalId;
        overrides = overrides == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** An original, round-0 message to {@value #DEFAULT_TO_LOGICAL_ID}. */
    public static ImsMessage of(String messageId, BodDocument document, Encoding encoding) {
        return new ImsMessage(messageId, document, encoding, DEFAULT_TO_LOGICAL_ID, 0, Kind.ORIGINAL, Map.of());
    }

    /** The ParameterRequest JSON object, keys in the order above. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("documentName", document.documentName());
        p.put("messageId", messageId);
        p.put("fromLogicalId", document.fromLogicalId());
        p.put("toLogicalId", toLogicalId);
        p.put("encoding", encoding.name());
        p.put("characterSet", CHARACTER_SET);
        p.put("accountingEntity", document.accountingEntity());
        p.put("location", document.location());
        p.put("documentId", document.documentId());
        p.put("variationId", document.variationId());
        p.put("revisionId", document.revisionId());
        overrides.forEach((k, v) -> {
            if (v == null) {
                p.remove(k);
            } else {
                p.put(k, v);
            }
        });
        return p;
    }

    /** A copy whose ParameterRequest has {@code key} set to {@code value} ({@code null} removes the key). */
    public ImsMessage withParameter(String key, Object value) {
        Map<String, Object> o = new LinkedHashMap<>(overrides);
        o.put(key, value);
        return new ImsMessage(messageId, document, encoding, toLogicalId, round, kind, o);
    }

    public ImsMessage withRound(int value) {
        return new ImsMessage(messageId, document, encoding, toLogicalId, value, kind, overrides);
    }

    public ImsMessage with(String newMessageId, int newRound, Kind newKind) {
        return new ImsMessage(newMessageId, document, encoding, toLogicalId, newRound, newKind, overrides);
    }

    public ImsMessage withEncoding(Encoding value) {
        return new ImsMessage(messageId, document, value, toLogicalId, round, kind, overrides);
    }

    @Override
    public String toString() {
        return "ImsMessage[" + messageId + " " + kind + " round " + round + " " + encoding + " " + document + "]";
    }
}
