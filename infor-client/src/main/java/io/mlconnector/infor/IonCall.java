package io.mlconnector.infor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Runs one ION API call: bearer token, one token renewal on an unexpected 401, and the {@link RetryPolicy}.
 * Answers the parsed JSON and the status for every status the policy does not retry.
 */
final class IonCall {

    record Answer(int status, JsonNode body) {
    }

    private final OkHttpClient http;
    private final IonTokenProvider tokens;
    private final RetryPolicy retry;

    IonCall(OkHttpClient http, IonTokenProvider tokens, RetryPolicy retry) {
        this.http = http;
        this.tokens = tokens;
        this.retry = retry;
    }

    /**
     * @param operation  names the call in errors, e.g. {@code M3 PPS200MI/GetHead}; must not contain input values
     * @param idempotent false when repeating after an ambiguous failure (5xx, timeout) could do the work twice
     */
    Answer execute(String operation, Request request, boolean idempotent) {
        boolean renewedToken = false;
        for (int attempt = 1; ; attempt++) {
            String token = tokens.accessToken();
            Request authorized = request.newBuilder().header("Authorization", "Bearer " + token).build();
            int status;
            String retryAfter;
            byte[] body;
            try (Response response = http.newCall(authorized).execute()) {
                status = response.code();
                retryAfter = response.header("Retry-After");
                body = response.body().bytes();
            } catch (IOException e) {
                if (!idempotent || attempt >= retry.maxAttempts()) {
                    throw new IonHttpException(operation, 0, e.getClass().getSimpleName()
                            + (idempotent ? "" : " (the call may have been executed; not repeated)"), e);
                }
                sleep(retry.delay(attempt, null));
                continue;
            }
            if (status == 401 && !renewedToken) {
                // A token we believe valid was refused: renew once, and do not count this as an attempt.
                tokens.unauthorized(token);
                renewedToken = true;
                attempt--;
                continue;
            }
            if (RetryPolicy.isRetryableStatus(status)) {
                if (!RetryPolicy.mayRepeat(status, idempotent) || attempt >= retry.maxAttempts()) {
                    throw new IonHttpException(operation, status, attempt > 1 ? "gave up after " + attempt + " attempts" : null, null);
                }
                sleep(retry.delay(attempt, retryAfter));
                continue;
            }
            if (status == 401) {
                throw new IonHttpException(operation, status, "token refused twice", null);
            }
            if (status >= 200 && status < 300) {
                try {
                    return new Answer(status, IonJson.parse(operation, status, body));
                } catch (IonHttpException malformed) {
                    if (!idempotent || attempt >= retry.maxAttempts()) {
                        throw malformed;
                    }
                    sleep(retry.delay(attempt, null));
                    continue;
                }
            }
            JsonNode parsed;
            try {
                parsed = IonJson.MAPPER.readTree(body);
            } catch (IOException notJson) {
                parsed = null;
            }
            return new Answer(status, parsed == null ? IonJson.MAPPER.createObjectNode() : parsed);
        }
    }

    /** The pause before a retry; interrupted, it gives up the call. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IonException("interrupted while waiting to retry", e);
        }
    }
}
