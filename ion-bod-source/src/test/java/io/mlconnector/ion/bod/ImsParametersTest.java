package io.mlconnector.ion.bod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImsParametersTest {

    /** The shape of Infor's sample client's MessageParameters.json (reference G2), values made up. */
    private static final String INFOR_SAMPLE = """
            {
              "fromLogicalId"    : "lid://infor.m3.m3",
              "messageId"        : "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
              "toLogicalId"      : "lid://default",
              "documentName"     : "Sync.PurchaseOrder",
              "encoding"         : "DEFLATE",
              "characterSet"     : "UTF-8",
              "accountingEntity" : "100_AA",
              "location"         : "WH1",
              "documentId"       : "4000123",
              "variationId"      : 7,
              "revisionId"       : "1",
              "batchId"          : "infor.SSJE:1",
              "batchSequence"    : 2,
              "batchSize"        : 1,
              "batchRevision"    : 1,
              "batchAbortIndicator" : true,
              "custom_OneIO"     : "1",
              "somethingNew"     : {"nested": [1, 2]}
            }
            """;

    @Test
    void readsInfor_sSampleAndIgnoresBatchCustomAndUnknownKeys() throws ImsRefusal {
        ImsParameters parameters = parse(INFOR_SAMPLE);

        assertEquals(new ImsParameters("Sync.PurchaseOrder", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "lid://infor.m3.m3",
                "lid://default", "DEFLATE", "UTF-8", "100_AA", "WH1", "4000123", 7L, "1"), parameters);
    }

    @Test
    void onlyTheThreeRequiredKeysAreNeededAndAbsenceMeansNoneAndUtf8() throws ImsRefusal {
        ImsParameters parameters = parse("{\"documentName\":\"Sync.SupplierInvoice\",\"messageId\":\"src:-ION-:abc\","
                + "\"fromLogicalId\":\"lid://infor.syteline.csi\",\"variationId\":null,\"location\":null}");

        assertEquals("NONE", parameters.encoding());
        assertEquals("UTF-8", parameters.characterSet());
        assertNull(parameters.variationId());
        assertNull(parameters.location());
        assertNull(parameters.toLogicalId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"documentName", "messageId", "fromLogicalId"})
    void refusesAMissingOrBlankRequiredKeyNamingIt(String key) {
        for (String replacement : new String[] {"\"" + key + "\":null", "\"" + key + "\":\"  \"", "\"x\":1"}) {
            String json = minimal().replaceFirst("\"" + key + "\":\"[^\"]*\"", replacement);
            ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(json), json);
            assertEquals(400, refusal.status());
            assertTrue(refusal.getMessage().contains(key), refusal.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({"messageId,250", "accountingEntity,22", "location,22", "documentId,100", "revisionId,22"})
    void enforcesTheReferenceLengthLimitsNamingTheKeyButNotTheValue(String key, int limit) throws ImsRefusal {
        String atLimit = "v".repeat(limit);
        assertEquals(atLimit, field(parse(with(key, "\"" + atLimit + "\"")), key));

        String overLimit = "w".repeat(limit + 1);
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(with(key, "\"" + overLimit + "\"")));
        assertEquals(400, refusal.status());
        assertEquals(400, refusal.code());
        assertTrue(refusal.getMessage().contains(key), refusal.getMessage());
        assertFalse(refusal.getMessage().contains(overLimit));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "7|7",
        "0|0",
        "9223372036854775807|9223372036854775807",
        "-3|-3",
        "\"42\"|42",
        "\"9223372036854775807\"|9223372036854775807",
    })
    void variationIdIsAnIntegerOrAStringOfDigitsThatFitsALong(String json, long expected) throws ImsRefusal {
        assertEquals(expected, parse(with("variationId", json)).variationId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "\"9223372036854775808\"", "1.5", "1.0", "1e3", "\"12a\"",
        "\"\"", "\" 1\"", "true", "[1]", "{}"})
    void refusesAVariationIdThatIsNotALong(String json) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(with("variationId", json)));
        assertEquals(400, refusal.status());
        assertTrue(refusal.getMessage().contains("variationId"), refusal.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"NONE,NONE", "none,NONE", "DEFLATE,DEFLATE", "Deflate,DEFLATE"})
    void encodingIsNoneOrDeflateInAnyCase(String sent, String expected) throws ImsRefusal {
        assertEquals(expected, parse(with("encoding", "\"" + sent + "\"")).encoding());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GZIP", "BASE64", "", "DEFLATE "})
    void refusesAnotherEncodingWith412Code450(String sent) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(with("encoding", "\"" + sent + "\"")));
        assertEquals(412, refusal.status());
        assertEquals(450, refusal.code());
    }

    @Test
    void characterSetIsUtf8InAnyCase() throws ImsRefusal {
        assertEquals("UTF-8", parse(with("characterSet", "\"utf-8\"")).characterSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISO-8859-1", "UTF8", "UTF-16", ""})
    void refusesAnotherCharacterSetWith412(String sent) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(with("characterSet", "\"" + sent + "\"")));
        assertEquals(412, refusal.status());
        assertEquals(412, refusal.code());
    }

    @Test
    void anEmptyParameterRequestIs412Code453() {
        for (String empty : new String[] {"", "  \r\n\t"}) {
            ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(empty));
            assertEquals(412, refusal.status());
            assertEquals(453, refusal.code());
        }
        assertEquals(453, assertThrows(ImsRefusal.class, () -> ImsParameters.parse(null)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "\"a string\"",
        "null",
        "{\"documentName\":\"a\"",                                         // truncated
        "{\"documentName\":\"a\",\"messageId\":\"b\",\"fromLogicalId\":\"c\"} {}", // trailing content
        "{\"documentName\":\"a\",\"documentName\":\"b\",\"messageId\":\"b\",\"fromLogicalId\":\"c\"}", // twice
    })
    void refusesWhatIsNotOneJsonObjectWith400(String json) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(json));
        assertEquals(400, refusal.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"documentName", "documentId", "toLogicalId", "encoding"})
    void refusesAStringKeyWithAnotherTypeNamingIt(String key) {
        ImsRefusal refusal = assertThrows(ImsRefusal.class, () -> parse(with(key, "123")));
        assertEquals(400, refusal.status());
        assertTrue(refusal.getMessage().contains(key), refusal.getMessage());
    }

    @Test
    void readsUtf16JsonToo() throws ImsRefusal {
        // Jackson detects the encoding of JSON bytes (RFC 4627); ION sends UTF-8, this only shows nothing breaks
        assertEquals("a", ImsParameters.parse(minimal().getBytes(StandardCharsets.UTF_16BE)).documentName());
    }

    private static String minimal() {
        return "{\"documentName\":\"a\",\"messageId\":\"b\",\"fromLogicalId\":\"c\"}";
    }

    private static String with(String key, String jsonValue) {
        String minimal = minimal();
        if (minimal.contains("\"" + key + "\"")) {
            return minimal.replaceFirst("\"" + key + "\":\"[^\"]*\"", "\"" + key + "\":" + jsonValue);
        }
        return minimal.substring(0, minimal.length() - 1) + ",\"" + key + "\":" + jsonValue + "}";
    }

    private static String field(ImsParameters parameters, String key) {
        return switch (key) {
            case "messageId" -> parameters.messageId();
            case "accountingEntity" -> parameters.accountingEntity();
            case "location" -> parameters.location();
            case "documentId" -> parameters.documentId();
            case "revisionId" -> parameters.revisionId();
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static ImsParameters parse(String json) throws ImsRefusal {
        return ImsParameters.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
