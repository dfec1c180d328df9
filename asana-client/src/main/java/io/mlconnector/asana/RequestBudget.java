package io.mlconnector.asana;

import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The outermost interceptor: spends the token's {@link RateLimiter} budget. A request takes its permit before it
 * takes a connection, so that a call waiting for budget never holds a connection the server may close meanwhile, and
 * keeps it until its answer is read, because Asana counts the request until then. The resend after a token renewal
 * rides on the same permit; renewals are rare (an OAuth token lives an hour).
 */
final class RequestBudget implements Interceptor {

    /** What a request costs; a request without this tag is one read. */
    record Cost(boolean write, int requests) {
        static final Cost READ = new Cost(false, 1);
        static final Cost WRITE = new Cost(true, 1);
    }

    private final RateLimiter limiter;

    RequestBudget(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Cost tagged = request.tag(Cost.class);
        Cost cost = tagged != null ? tagged : Cost.READ;
        try (RateLimiter.Permit permit = acquire(cost)) {
            Response response = chain.proceed(request);
            ResponseBody body = response.body();
            byte[] bytes = body.bytes();
            if (response.code() == 429) {
                limiter.recordRateLimited();
            }
            return response.newBuilder().body(ResponseBody.create(bytes, body.contentType())).build();
        }
    }

    private RateLimiter.Permit acquire(Cost cost) throws InterruptedIOException {
        try {
            return limiter.acquire(cost.write(), cost.requests());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the Asana budget");
        }
    }
}
