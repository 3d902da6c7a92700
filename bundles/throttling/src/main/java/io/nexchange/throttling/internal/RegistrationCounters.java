package io.nexchange.throttling.internal;

import java.util.concurrent.atomic.LongAdder;

/** Monotonic totals of one app registration; never evicted (there are only a few registrations). */
final class RegistrationCounters {
    final String registration;
    final LongAdder requests = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder waitedNanos = new LongAdder();

    RegistrationCounters(String registration) {
        this.registration = registration;
    }
}
