package io.mlconnector.infor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The one Jackson setup of the client: lenient about unknown keys, decimals as BigDecimal. */
final class IonJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);

    private IonJson() {
    }

    /** Parses a response body; a body that is not JSON is a failed call named by {@code operation}. */
    static JsonNode parse(String operation, int status, byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new IonHttpException(operation, status, "empty response body", null);
            }
            return node;
        } catch (IOException e) {
            throw new IonHttpException(operation, status, "response body is not valid JSON", e);
        }
    }
}
