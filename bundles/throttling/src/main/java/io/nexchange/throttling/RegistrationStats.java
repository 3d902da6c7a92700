package io.nexchange.throttling;

import java.time.Duration;

/**
 * Totals of one app registration since the policy started (counters survive idle-key eviction).
 *
 * @param registration the registration's name
 * @param requests requests admitted (a {@code $batch} counts its inner requests)
 * @param throttled throttling answers reported (429, 503 with Retry-After, EWS ErrorServerBusy)
 * @param refused {@code tryAcquire} calls that were turned away (the caller served another mailbox)
 * @param waited total time callers of {@code acquire} spent waiting
 * @param activeKeys keys (mailboxes) with state in memory now
 * @param inFlight requests in flight now
 * @param pausedKeys keys paused now by a server hint or back-off
 */
public record RegistrationStats(String registration, long requests, long throttled, long refused, Duration waited,
        int activeKeys, int inFlight, int pausedKeys) {
}
