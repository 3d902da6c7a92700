package io.nexchange.throttling;

import java.time.Instant;
import java.util.List;

/**
 * What the throttling policy knows at one moment.
 *
 * @param takenAt when the snapshot was taken
 * @param limits the limits in force
 * @param registrations totals per app registration, sorted by name
 * @param throttledNow keys that cannot be served now because the server paused them or their own budget is
 *     spent, longest wait first
 */
public record ThrottleStats(Instant takenAt, LimitsView limits, List<RegistrationStats> registrations,
        List<KeyStats> throttledNow) {

    public ThrottleStats {
        registrations = List.copyOf(registrations);
        throttledNow = List.copyOf(throttledNow);
    }

    /**
     * The configured limits.
     *
     * @param maxConcurrent concurrent requests per key
     * @param requestsPerWindow the server's documented budget per window
     * @param effectiveBudget what the policy admits per window after the safety margin
     * @param windowSeconds the window's length
     */
    public record LimitsView(int maxConcurrent, int requestsPerWindow, int effectiveBudget, long windowSeconds) {
    }
}
