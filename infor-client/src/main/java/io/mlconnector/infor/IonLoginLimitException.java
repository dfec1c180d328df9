package io.mlconnector.infor;

import java.time.Duration;

/**
 * A validation would have logged in to ION although {@link IonTokenProvider#VALIDATION_LOGINS_PER_MINUTE} logins
 * for its service account were made in the trailing minute; it did not, so that repeated validations cannot get
 * the account locked out. {@link #retryAfter()} is when a validation may log in again.
 */
public final class IonLoginLimitException extends IonException {

    private final int recentLogins;
    private final Duration retryAfter;

    public IonLoginLimitException(int recentLogins, Duration retryAfter) {
        super(recentLogins + " ION logins for this client were made in the last minute; try validate again in "
                + seconds(retryAfter) + " s (a validation logs in at most " + IonTokenProvider.VALIDATION_LOGINS_PER_MINUTE
                + " times a minute, so that repeated validations cannot get the service account locked out)");
        this.recentLogins = recentLogins;
        this.retryAfter = retryAfter;
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** Logins for the service account in the trailing minute. */
    public int recentLogins() {
        return recentLogins;
    }

    /** How long until a validation may log in again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
