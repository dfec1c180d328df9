package io.mlconnector.infor;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.http.BearerAuthentication;
import io.mlconnector.http.HttpAnswer;
import io.mlconnector.http.Json;
import io.mlconnector.http.RetryPolicy;
import io.mlconnector.http.RetryingCaller;
import io.mlconnector.http.UnansweredCallException;
import io.mlconnector.http.UnreadableAnswerException;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Runs one ION API call through the shared {@link RetryingCaller}, with the tenant's bearer token renewed once on an
 * unexpected 401. Answers the parsed JSON and the status for every status the policy does not repeat.
 */
final class IonCall {

    record Answer(int status, JsonNode body) {
    }

    private final RetryingCaller caller;

    IonCall(OkHttpClient http, IonTokenProvider tokens, RetryPolicy retry) {
        OkHttpClient authenticated = new BearerAuthentication(new BearerAuthentication.TokenSource() {
            @Override
            public String token() {
                return tokens.accessToken();
            }

            @Override
            public String renew(String rejected) {
                tokens.unauthorized(rejected);
                return tokens.accessToken();
            }
        }).on(http);
        this.caller = new RetryingCaller(authenticated, retry);
    }

    /**
     * @param operation  names the call in errors, e.g. {@code M3 PPS200MI/GetHead}; must not contain input values
     * @param idempotent false when repeating after an ambiguous failure (5xx, timeout) could do the work twice
     */
    Answer execute(String operation, Request request, boolean idempotent) {
        try {
            return caller.execute(operation, request, idempotent, answer -> read(operation, answer));
        } catch (UnreadableAnswerException e) {
            throw new IonHttpException(operation, e.status(), e.getMessage(), e.getCause());
        } catch (UnansweredCallException e) {
            throw new IonHttpException(operation, 0, e.getCause().getClass().getSimpleName()
                    + (idempotent || !e.mayHaveExecuted() ? "" : " (the call may have been executed; not repeated)"),
                    e.getCause());
        }
    }

    private static Answer read(String operation, HttpAnswer answer) {
        int status = answer.status();
        if (answer.successful()) {
            return new Answer(status, parse(operation, answer));
        }
        if (status == 401) {
            throw new IonHttpException(operation, status, "token refused twice", null);
        }
        if (status == 429 || RetryPolicy.mayRepeat(status, true)) {
            throw new IonHttpException(operation, status, null, null);
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(answer.body());
        } catch (IOException notJson) {
            parsed = null;
        }
        return new Answer(status, parsed == null ? Json.MAPPER.createObjectNode() : parsed);
    }

    /** A successful answer's JSON; a body that is not JSON is unreadable, repeated when the call allows. */
    static JsonNode parse(String operation, HttpAnswer answer) {
        try {
            JsonNode node = Json.MAPPER.readTree(answer.body());
            if (node == null || node.isMissingNode()) {
                throw new UnreadableAnswerException(operation + ": empty response body", answer.status(), null);
            }
            return node;
        } catch (IOException e) {
            throw new UnreadableAnswerException(operation + ": response body is not valid JSON", answer.status(), e);
        }
    }
}
