package io.nexchange.throttling;

import io.nexchange.api.throttle.ThrottleKey;
import java.time.Duration;

/**
 * The state of one (registration, mailbox) key. Per-key counters start again when an idle key is evicted.
 *
 * @param key the key
 * @param inFlight requests in flight
 * @param windowRequests requests counted in the current window
 * @param windowBudget the effective budget per window
 * @param pausedFor how long the server's pause (or back-off) still lasts; zero if none
 * @param nextAdmission how long until a request may be admitted; zero if now
 * @param backoffAttempt throttling answers without hint since the last success
 * @param requests requests admitted since the key was created
 * @param throttled throttling answers since the key was created
 * @param refused refused {@code tryAcquire} calls since the key was created
 * @param waited time spent in {@code acquire} since the key was created
 */
public record KeyStats(ThrottleKey key, int inFlight, int windowRequests, int windowBudget, Duration pausedFor,
        Duration nextAdmission, int backoffAttempt, long requests, long throttled, long refused, Duration waited) {
}
