package io.nexchange.throttling.internal;

import java.util.concurrent.TimeUnit;

/**
 * Monotonic time and timed waiting, injectable so that tests run on a fake clock without sleeping.
 */
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; never goes backwards. */
    long nanoTime();

    /**
     * Waits on {@code monitor} (whose lock the caller holds) for at most {@code nanos}, or until notified.
     * A fake ticker advances its time instead of sleeping.
     */
    default void await(Object monitor, long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.timedWait(monitor, Math.max(1, nanos));
    }

    /** The system's {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;
}
