package io.nexchange.engine.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The heartbeat of one mailbox run: renews the lease itself when a third of the lease time has passed since it was
 * last confirmed (by the fleet's heartbeat, normally every quarter, or by this run), checked between pages and actions
 * and right before every write ({@link #fresh}); reports the engine's stop. Once lost, the lease stays lost for the run.
 *
 * <p>The bound: a lease confirmed by a statement sent at local time t lasts until at least t + ttl (the database set
 * its expiry to its own now, at or after t, plus ttl), and a write starts only while the time since t is under ttl/3.
 * So a write that starts has at least two thirds of the lease left, and as long as no write takes longer than that (the
 * stores' timeouts: {@code leaseSeconds} must be at least 1.5 times the longest), it ends before the lease can run out
 * and be taken over, unless the process is paused between the check and the request. That last window is covered by
 * the conditional writes (If-Match / If-None-Match: the new holder's writes make a stale one fail) and by the fenced
 * commit (the stale run's status rows are refused, so the new holder re-reads what was written).
 */
final class LeaseHeartbeat implements Heartbeat {
    private final Fleet.Held lease;
    private final long renewAfterNanos;
    private final java.util.function.LongSupplier nanos;
    private final BooleanSupplier stopping;

    LeaseHeartbeat(Fleet.Held lease, Duration ttl, java.util.function.LongSupplier nanos, BooleanSupplier stopping) {
        this.lease = lease;
        this.renewAfterNanos = ttl.dividedBy(3).toNanos();
        this.nanos = nanos;
        this.stopping = stopping;
    }

    @Override
    public Pulse check() {
        if (lease.lost) {
            return Pulse.LEASE_LOST;
        }
        if (stopping.getAsBoolean()) {
            return Pulse.STOP;
        }
        return fresh() ? Pulse.GO : Pulse.LEASE_LOST;
    }

    /**
     * Whether a write may start now: the lease is held with at least two thirds of its time left, renewed here first if
     * it was confirmed longer ago than a third (one statement). A lease that cannot be renewed is lost.
     */
    boolean fresh() {
        if (lease.lost) {
            return false;
        }
        long now = nanos.getAsLong();
        if (now - lease.confirmedNanos() < renewAfterNanos) {
            return true;
        }
        if (lease.lease.renew()) {
            lease.confirmed(now);
            return true;
        }
        lease.lost = true;
        return false;
    }
}
