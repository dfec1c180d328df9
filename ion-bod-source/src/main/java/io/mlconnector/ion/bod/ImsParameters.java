package io.mlconnector.ion.bod;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.mlconnector.http.Json;
import java.io.IOException;

/**
 * The message parameters ION sends in the {@code ParameterRequest} part of {@code v3/multipartMessage}: the keys of
 * reference section 1.5 that this endpoint uses. Other keys (batch headers, {@code custom_*}, anything new) are
 * ignored, as the reference advises.
 *
 * <p>{@link #encoding} is {@code NONE} or {@code DEFLATE} and {@link #characterSet} is {@code UTF-8}: parsing
 * normalises case and fills in the value an absent key means.
 *
 * @param variationId the document's version sequence number, or null when not sent
 */
record ImsParameters(
        String documentName,
        String messageId,
        String fromLogicalId,
        String toLogicalId,
        String encoding,
        String characterSet,
        String accountingEntity,
        String location,
        String documentId,
        Long variationId,
        String revisionId) {

    static final String NONE = "NONE";
    static final String DEFLATE = "DEFLATE";
    static final String UTF_8 = "UTF-8";

    /** Limits of reference 1.5 (from Infor's identification headers). */
    static final int MAX_MESSAGE_ID = 250;
    static final int MAX_ACCOUNTING_ENTITY = 22;
    static final int MAX_LOCATION = 22;
    static final int MAX_DOCUMENT_ID = 100;
    static final int MAX_REVISION_ID = 22;

    /** IMS code for an empty {@code ParameterRequest} (reference table 1.6). */
    static final int EMPTY_PARAMETERS_CODE = 453;
    /**
     * IMS code for an encoding this endpoint cannot decode. Table 1.6 has 450 for "not in the specified encoding";
     * the nearest fit, since the reference has no code for an unknown encoding name.
     */
    static final int UNSUPPORTED_ENCODING_CODE = 450;
    /** The table has no code for a character set, so the HTTP status is the code. */
    static final int UNSUPPORTED_CHARACTER_SET_CODE = 412;

    /** Duplicate keys and trailing content are refused, so that no two readers can see different parameters. */
    private static final ObjectReader JSON = Json.STRICT_READER;

    /**
     * Reads and checks the {@code ParameterRequest} JSON.
     *
     * @throws ImsRefusal 412/453 when empty; 400 when not a JSON object, a required key is missing, a value has the
     *     wrong type or is too long; 412/450 for an encoding other than NONE or DEFLATE; 412/412 for a character set
     *     other than UTF-8
     */
    static ImsParameters parse(byte[] json) throws ImsRefusal {
        if (json == null || isBlank(json)) {
            throw ImsRefusal.mismatch(EMPTY_PARAMETERS_CODE, "ParameterRequest is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw ImsRefusal.malformed("ParameterRequest is not valid JSON");
        } catch (IOException e) {
            throw ImsRefusal.malformed("ParameterRequest could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ImsRefusal.malformed("ParameterRequest is not a JSON object");
        }
        String encoding = text(root, "encoding", Integer.MAX_VALUE);
        if (encoding == null || encoding.equalsIgnoreCase(NONE)) {
            encoding = NONE;
        } else if (encoding.equalsIgnoreCase(DEFLATE)) {
            encoding = DEFLATE;
        } else {
            throw ImsRefusal.mismatch(UNSUPPORTED_ENCODING_CODE, "encoding must be NONE or DEFLATE");
        }
        String characterSet = text(root, "characterSet", Integer.MAX_VALUE);
        if (characterSet != null && !characterSet.equalsIgnoreCase(UTF_8)) {
            throw ImsRefusal.mismatch(UNSUPPORTED_CHARACTER_SET_CODE, "characterSet must be UTF-8");
        }
        return new ImsParameters(
                required(root, "documentName", Integer.MAX_VALUE),
                required(root, "messageId", MAX_MESSAGE_ID),
                required(root, "fromLogicalId", Integer.MAX_VALUE),
                text(root, "toLogicalId", Integer.MAX_VALUE),
                encoding,
                UTF_8,
                text(root, "accountingEntity", MAX_ACCOUNTING_ENTITY),
                text(root, "location", MAX_LOCATION),
                text(root, "documentId", MAX_DOCUMENT_ID),
                variationId(root),
                text(root, "revisionId", MAX_REVISION_ID));
    }

    private static String required(JsonNode root, String key, int maxLength) throws ImsRefusal {
        String value = text(root, key, maxLength);
        if (value == null || value.isBlank()) {
            throw ImsRefusal.malformed("ParameterRequest has no " + key);
        }
        return value;
    }

    /** A string value, or null when the key is absent or null; the message never repeats the value. */
    private static String text(JsonNode root, String key, int maxLength) throws ImsRefusal {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ImsRefusal.malformed(key + " must be a string");
        }
        String value = node.textValue();
        if (value.length() > maxLength) {
            throw ImsRefusal.malformed(key + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    /** A JSON integer or a string of digits (optionally signed), that fits a Java long (reference 1.5). */
    private static Long variationId(JsonNode root) throws ImsRefusal {
        JsonNode node = root.get("variationId");
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw ImsRefusal.malformed("variationId does not fit a long");
            }
            return node.longValue();
        }
        if (node.isTextual() && node.textValue().matches("-?[0-9]{1,19}")) {
            try {
                return Long.parseLong(node.textValue());
            } catch (NumberFormatException e) {
                throw ImsRefusal.malformed("variationId does not fit a long");
            }
        }
        throw ImsRefusal.malformed("variationId must be an integer");
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
