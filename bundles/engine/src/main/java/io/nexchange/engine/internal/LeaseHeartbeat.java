package io.nexchange.engine.internal;

import io.nexchange.api.state.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The heartbeat of one mailbox run: renews the lease every ttl/3 (checked between pages and actions, so reading a big
 * collection keeps it too) and reports the engine's stop. Once lost, the lease stays lost for the run.
 */
final class LeaseHeartbeat implements Heartbeat {
    private final Lease lease;
    private final Duration every;
    private final Clock clock;
    private final BooleanSupplier stopping;
    private Instant renewed;
    private boolean lost;

    LeaseHeartbeat(Lease lease, Duration ttl, Clock clock, BooleanSupplier stopping) {
        this.lease = lease;
        this.every = ttl.dividedBy(3);
        this.clock = clock;
        this.stopping = stopping;
        this.renewed = clock.instant();
    }

    @Override
    public Pulse check() {
        if (lost) {
            return Pulse.LEASE_LOST;
        }
        if (stopping.getAsBoolean()) {
            return Pulse.STOP;
        }
        Instant now = clock.instant();
        if (!now.isBefore(renewed.plus(every))) {
            return renew();
        }
        return Pulse.GO;
    }

    /** Renews now (between pairs). */
    Pulse renew() {
        if (lost) {
            return Pulse.LEASE_LOST;
        }
        renewed = clock.instant();
        if (!lease.renew()) {
            lost = true;
            return Pulse.LEASE_LOST;
        }
        return stopping.getAsBoolean() ? Pulse.STOP : Pulse.GO;
    }
}
