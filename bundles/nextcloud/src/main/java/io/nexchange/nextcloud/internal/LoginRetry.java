package io.nexchange.nextcloud.internal;

import java.time.Duration;

/**
 * How an account whose credentials the server rejected is retried (see {@link LoginGuard}).
 *
 * @param first the wait after the first rejection
 * @param max the longest wait (the delay doubles with each further rejection of the same credentials)
 * @param budget retries of rejected credentials allowed while the connector caused this many rejections in the
 *     last 30 minutes (Nextcloud blocks the address after more than 10)
 */
record LoginRetry(Duration first, Duration max, int budget) {
    /** 5 minutes, doubling up to 6 hours, 5 rejections per 30 minutes. */
    static final LoginRetry DEFAULTS = new LoginRetry(Duration.ofMinutes(5), Duration.ofHours(6), 5);

    LoginRetry {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || budget < 1) {
            throw new IllegalArgumentException("rejectedLoginRetryMinutes must be at least 1, rejectedLoginRetryMaxMinutes at least"
                    + " rejectedLoginRetryMinutes, and rejectedLoginRetryBudget at least 1 (io.nexchange.nextcloud)");
        }
    }
}
