package io.mlconnector.http;

import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The root OkHttp client every client of a plugin derives from with {@code newBuilder()}, so they share one
 * dispatcher and thread pool. Connect loads each plugin in its own class loader, so each plugin has its own root.
 */
public final class HttpClients {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final OkHttpClient ROOT = new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT)
            // OkHttp would silently resend a POST on some connection failures; the RetryPolicy decides instead.
            .retryOnConnectionFailure(false)
            .build();

    private HttpClients() {
    }

    public static OkHttpClient root() {
        return ROOT;
    }

    /**
     * The longest a whole call may take: the connect timeout plus twice the read timeout. The read timeout bounds
     * each silence only, so without this a body trickling in a byte at a time would hold the caller without end.
     */
    public static Duration callTimeout(OkHttpClient http, Duration readTimeoutWhenNone) {
        Duration connect = http.connectTimeoutMillis() > 0 ? Duration.ofMillis(http.connectTimeoutMillis())
                : CONNECT_TIMEOUT;
        Duration read = http.readTimeoutMillis() > 0 ? Duration.ofMillis(http.readTimeoutMillis())
                : readTimeoutWhenNone;
        return connect.plus(read.multipliedBy(2));
    }
}
