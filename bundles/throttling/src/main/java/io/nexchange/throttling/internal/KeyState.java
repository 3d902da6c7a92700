package io.nexchange.throttling.internal;

import io.nexchange.api.throttle.ThrottleKey;

/**
 * Everything the policy knows about one (registration, mailbox) key. Every field is guarded by the object's own
 * monitor; the monitor is also what {@code acquire} waits on.
 */
final class KeyState {
    final ThrottleKey key;
    final RegistrationCounters counters;

    ThrottleLimits applied;
    WindowBudget budget;
    int inFlight;
    /** Until when the server paused the key (policy nanos); in the past means no pause. */
    long pausedUntil;
    /** Throttling answers without hint since the last success, drives the exponential back-off. */
    int backoffAttempt;
    /** Incremented on each throttling answer: permits issued before it do not reset or escalate the back-off. */
    long throttleEpoch;
    long lastNow;
    /** Moving average of how long a permit is held, to estimate when a concurrency slot frees. */
    long holdEwmaNanos;
    int waiters;
    /** Removed from the map: a caller holding this instance must look the key up again. */
    boolean evicted;

    long requests;
    long throttled;
    long refused;
    long waitedNanos;

    KeyState(ThrottleKey key, RegistrationCounters counters, ThrottleLimits limits, long now) {
        this.key = key;
        this.counters = counters;
        this.applied = limits;
        this.budget = new WindowBudget(limits.bucketNanos(), limits.ringSize(), now);
        this.lastNow = now;
    }
}
