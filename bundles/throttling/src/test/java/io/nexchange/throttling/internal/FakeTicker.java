package io.nexchange.throttling.internal;

import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when told to; timed waits advance it instead of sleeping. */
final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    void advanceNanos(long n) {
        nanos.addAndGet(n);
    }

    void advanceMillis(long ms) {
        advanceNanos(ms * 1_000_000L);
    }

    void advanceSeconds(long s) {
        advanceNanos(s * 1_000_000_000L);
    }

    @Override
    public void await(Object monitor, long waitNanos) throws InterruptedException {
        // time passes for the waiter as if it had slept; release the monitor briefly so others can proceed
        nanos.addAndGet(waitNanos);
        monitor.wait(1);
    }
}
