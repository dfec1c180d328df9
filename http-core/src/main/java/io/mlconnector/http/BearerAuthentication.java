package io.mlconnector.http;

import java.io.IOException;
import okhttp3.Authenticator;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Puts a bearer token on every request and, as the client's {@link Authenticator}, renews it once when a request is
 * answered 401. Install with {@link #on(OkHttpClient)}; the token endpoint must be called through a client without it.
 */
public final class BearerAuthentication implements Interceptor, Authenticator {

    /** Where tokens come from. */
    public interface TokenSource {
        /** A token believed valid now. @throws NotSentException when none can be had; the request did not leave */
        String token() throws IOException;

        /**
         * Called when {@code rejected} was answered 401: the token to try instead, or null when there is none (a
         * token that cannot be renewed). Several callers may report one token; renew it once.
         */
        String renew(String rejected) throws IOException;
    }

    private static final String PREFIX = "Bearer ";

    private final TokenSource tokens;

    public BearerAuthentication(TokenSource tokens) {
        this.tokens = tokens;
    }

    /** {@code root} derived with this as interceptor and authenticator. */
    public OkHttpClient on(OkHttpClient root) {
        return root.newBuilder().addInterceptor(this).authenticator(this).build();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return chain.proceed(chain.request().newBuilder().header("Authorization", PREFIX + tokens.token()).build());
    }

    @Override
    public Request authenticate(Route route, Response response) throws IOException {
        String sent = response.request().header("Authorization");
        if (response.priorResponse() != null || sent == null || !sent.startsWith(PREFIX)) {
            return null; // refused after a renewal already: the 401 stands
        }
        String rejected = sent.substring(PREFIX.length());
        String renewed = tokens.renew(rejected);
        if (renewed == null || renewed.equals(rejected)) {
            return null;
        }
        return response.request().newBuilder().header("Authorization", PREFIX + renewed).build();
    }
}
