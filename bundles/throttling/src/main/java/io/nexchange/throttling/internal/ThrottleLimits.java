package io.nexchange.throttling.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits the policy applies to every key. Immutable; the policy swaps the whole object on reconfiguration.
 *
 * @param maxConcurrent concurrent requests per key (Outlook: 4)
 * @param requestsPerWindow the server's budget per window (Outlook: 10,000 per 10 minutes)
 * @param window the window's length
 * @param safetyMargin fraction of the budget left unused, for requests the same app makes elsewhere and for
 *     clock differences with the server (0.01 = admit at most 99 %)
 * @param buckets how finely the window is counted; the bucket length is also the slack by which a window may be
 *     longer than Microsoft's and still hold at most the effective budget
 * @param backoffBase first pause after a throttling answer without hint
 * @param backoffMax ceiling of the exponential back-off
 * @param jitter full jitter on back-off pauses (uniform in [0, ceiling])
 * @param maxPause ceiling on any server hint; larger hints are capped
 */
public record ThrottleLimits(int maxConcurrent, int requestsPerWindow, Duration window, double safetyMargin,
        int buckets, Duration backoffBase, Duration backoffMax, boolean jitter, Duration maxPause) {

    /** Outlook's documented limits, 1 % margin, 5 s buckets, back-off 1 s .. 2 min with jitter, hints capped at 15 min. */
    public static final ThrottleLimits OUTLOOK = new ThrottleLimits(4, 10_000, Duration.ofMinutes(10), 0.01, 120,
            Duration.ofSeconds(1), Duration.ofMinutes(2), true, Duration.ofMinutes(15));

    public ThrottleLimits {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(maxPause, "maxPause");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
        }
        if (requestsPerWindow < 1) {
            throw new IllegalArgumentException("requestsPerWindow must be at least 1, was " + requestsPerWindow);
        }
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("windowSeconds must be positive, was " + window);
        }
        if (!(safetyMargin >= 0 && safetyMargin < 1)) {
            throw new IllegalArgumentException("safetyMargin must be in [0, 1), was " + safetyMargin);
        }
        if (buckets < 1 || buckets > 3600) {
            throw new IllegalArgumentException("budgetBuckets must be in [1, 3600], was " + buckets);
        }
        if (backoffBase.isNegative() || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("need 0 <= backoffBase <= backoffMax, were " + backoffBase + ", " + backoffMax);
        }
        if (maxPause.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfterSeconds must not be negative, was " + maxPause);
        }
    }

    /** What the policy admits per window: the budget less the safety margin, at least 1. */
    public int effectiveBudget() {
        return Math.max(1, (int) Math.floor(requestsPerWindow * (1.0 - safetyMargin)));
    }

    long bucketNanos() {
        return Math.max(1, window.toNanos() / buckets);
    }

    /** Buckets kept: enough to cover any interval of window + one bucket (see {@link WindowBudget}). */
    int ringSize() {
        long bucket = bucketNanos();
        return (int) ((window.toNanos() + bucket - 1) / bucket) + 2;
    }

    public ThrottleLimits withMaxConcurrent(int v) {
        return new ThrottleLimits(v, requestsPerWindow, window, safetyMargin, buckets, backoffBase, backoffMax, jitter, maxPause);
    }

    public ThrottleLimits withBudget(int requests, Duration perWindow) {
        return new ThrottleLimits(maxConcurrent, requests, perWindow, safetyMargin, buckets, backoffBase, backoffMax, jitter, maxPause);
    }

    public ThrottleLimits withSafetyMargin(double v) {
        return new ThrottleLimits(maxConcurrent, requestsPerWindow, window, v, buckets, backoffBase, backoffMax, jitter, maxPause);
    }

    public ThrottleLimits withBuckets(int v) {
        return new ThrottleLimits(maxConcurrent, requestsPerWindow, window, safetyMargin, v, backoffBase, backoffMax, jitter, maxPause);
    }

    public ThrottleLimits withBackoff(Duration base, Duration max, boolean withJitter) {
        return new ThrottleLimits(maxConcurrent, requestsPerWindow, window, safetyMargin, buckets, base, max, withJitter, maxPause);
    }

    public ThrottleLimits withMaxPause(Duration v) {
        return new ThrottleLimits(maxConcurrent, requestsPerWindow, window, safetyMargin, buckets, backoffBase, backoffMax, jitter, v);
    }
}
