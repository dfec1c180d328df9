package io.mlconnector.infor;

import io.mlconnector.http.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;

/**
 * ION access tokens for one (token URL, tenant, client id) and its secrets, from a JVM-wide cache: every provider
 * with the same credentials uses the same token, so the service account logs in once per token lifetime, not per
 * caller. See {@link SharedIonToken} for refreshing.
 *
 * <p>Two kinds of provider: the tasks' ({@link #shared}) log in whenever they need a token, and the last of them to
 * close revokes the grant. A validation's ({@link #forValidation}) uses any cached token still valid, logs in only
 * while fewer than {@link #VALIDATION_LOGINS_PER_MINUTE} logins for the service account (the tasks' included) were
 * made in the trailing minute, failing with {@link IonLoginLimitException} beyond that, and on close leaves the
 * token cached until it expires, for the next validation or the tasks. So repeated validations cannot lock the
 * account out, and never keep the tasks from logging in.
 */
public final class IonTokenProvider implements AutoCloseable {

    /** New logins a validation may cause per service account, counted over the trailing minute with every other login of the JVM. */
    public static final int VALIDATION_LOGINS_PER_MINUTE = 5;

    private final SharedIonToken token;
    private final boolean validation;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IonTokenProvider(SharedIonToken token, boolean validation) {
        this.token = token;
        this.validation = validation;
    }

    /**
     * A task's provider for these credentials' token, created on first use. {@link #close()} gives it back; the
     * last task's close revokes the grant. Settings of the first caller win.
     */
    public static IonTokenProvider shared(IonApiCredentials credentials, OkHttpClient http, RetryPolicy retry, Duration refreshMargin) {
        return new IonTokenProvider(SharedIonToken.acquire(credentials, http, retry, refreshMargin), false);
    }

    /**
     * A validation's provider for these credentials' token: reuses a cached token, and logs in only within
     * {@link #VALIDATION_LOGINS_PER_MINUTE}. {@link #close()} never revokes.
     */
    public static IonTokenProvider forValidation(IonApiCredentials credentials, OkHttpClient http, RetryPolicy retry,
            Duration refreshMargin) {
        return new IonTokenProvider(SharedIonToken.acquire(credentials, http, retry, refreshMargin), true);
    }

    /**
     * A token valid now; a task's provider refreshes it first when inside the refresh window or expired.
     *
     * @throws IonLoginLimitException when a validation's provider would exceed its logins
     */
    public String accessToken() {
        return token.accessToken(validation);
    }

    /**
     * Reports a 401 on {@code token}. If it is still the current token (believed valid), it is replaced once and
     * the event counted; a 401 on an older token just means the caller should use the new one.
     */
    public void unauthorized(String token) {
        this.token.unauthorized(token, validation);
    }

    /** Password (or client-credentials) grants made for this token. */
    public long logins() {
        return token.logins();
    }

    /** refresh_token grants made. */
    public long refreshes() {
        return token.refreshes();
    }

    /** 401s received for a token that had not expired by our clock. */
    public long unexpectedUnauthorized() {
        return token.unexpectedUnauthorized();
    }

    /** Gives this provider's share back, once; see the class comment for what the last one does. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            token.release(!validation);
        }
    }

    @Override
    public String toString() {
        return token.toString();
    }
}
