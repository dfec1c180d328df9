package io.mlconnector.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one call loop of both clients: sends a request, repeats it as the {@link RetryPolicy} allows, and hands the
 * answer it stops at to an {@link AnswerReader}. Authentication and budgets are the OkHttp client's interceptors, so
 * this loop knows only statuses, Retry-After and I/O failures.
 */
public final class RetryingCaller {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);

    /** Told before each repeat, e.g. to pause every caller of a rate-limited token, or to count. */
    @FunctionalInterface
    public interface RetryListener {
        /** @param status the status repeated, 0 for an I/O failure or an unreadable answer */
        void repeating(int status, Duration pause);
    }

    private final OkHttpClient http;
    private final RetryPolicy policy;
    private final RetryListener listener;
    private final Clock clock;

    public RetryingCaller(OkHttpClient http, RetryPolicy policy) {
        this(http, policy, (status, pause) -> { }, Clock.systemUTC());
    }

    public RetryingCaller(OkHttpClient http, RetryPolicy policy, RetryListener listener, Clock clock) {
        this.http = http;
        this.policy = policy;
        this.listener = listener;
        this.clock = clock;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * @param operation    names the call in logs and errors, e.g. {@code GET /tasks/{gid}}; no input values
     * @param safeToRepeat false when doing the work twice would harm (a create): such a call is repeated only after
     *                     a 429 or when the request never left
     * @throws UnansweredCallException when the last attempt got no answer
     */
    public <T> T execute(String operation, Request request, boolean safeToRepeat, AnswerReader<T> reader)
            throws UnansweredCallException {
        int failures = 0;
        int rateLimited = 0;
        while (true) {
            Duration pause;
            int status = 0;
            try (Response response = http.newCall(request).execute()) {
                HttpAnswer answer = new HttpAnswer(response.code(), response.headers(), response.body().bytes());
                status = answer.status();
                if (status == 429) {
                    Optional<Duration> retryAfter = RetryAfter.parse(answer.header("Retry-After"), clock);
                    Optional<Duration> wait = policy.rateLimitedPause(++rateLimited, retryAfter);
                    if (wait.isEmpty()) {
                        LOG.warn("{} rate limited (Retry-After: {}); giving up after {} retries (the policy allows {},"
                                + " each after at most {} s)", operation, retryAfter.map(d -> d.toSeconds() + " s")
                                .orElse("none"), rateLimited - 1, policy.maxRateLimitedRetries(),
                                policy.maxRetryAfter().toSeconds());
                        return reader.read(answer);
                    }
                    pause = wait.get();
                } else if (RetryPolicy.mayRepeat(status, safeToRepeat) && ++failures < policy.maxAttempts()) {
                    pause = policy.backoff(failures);
                } else {
                    try {
                        return reader.read(answer);
                    } catch (UnreadableAnswerException e) {
                        if (!safeToRepeat || ++failures >= policy.maxAttempts()) {
                            throw e;
                        }
                        status = 0;
                        pause = policy.backoff(failures);
                    }
                }
            } catch (IOException e) {
                boolean neverSent = e instanceof ConnectException || e instanceof UnknownHostException
                        || e instanceof NotSentException;
                boolean interrupted = e instanceof InterruptedIOException && Thread.currentThread().isInterrupted();
                if (!(safeToRepeat || neverSent) || interrupted || ++failures >= policy.maxAttempts()) {
                    throw new UnansweredCallException(operation + " failed: " + e, e, !neverSent);
                }
                pause = policy.backoff(failures);
            }
            LOG.warn("{} {}; repeating in {} ms", operation, status == 429 ? "rate limited"
                    : status == 0 ? "failed" : "answered " + status, pause.toMillis());
            listener.repeating(status, pause);
            sleep(operation, pause);
        }
    }

    private static void sleep(String operation, Duration pause) throws UnansweredCallException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnansweredCallException(operation + " interrupted while waiting to repeat",
                    new InterruptedIOException(), true);
        }
    }
}
