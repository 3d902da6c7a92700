package io.nexchange.throttling.internal;

import io.nexchange.api.throttle.Permit;
import java.time.Duration;

/** A permit of {@link ThrottleController}. Its mutable fields are guarded by the key state's lock. */
final class ControllerPermit implements Permit {
    private final ThrottleController owner;
    final KeyState state;
    final int slots;
    final long admittedAt;
    final long epoch;
    boolean closed;
    boolean throttled;

    ControllerPermit(ThrottleController owner, KeyState state, int slots, long admittedAt, long epoch) {
        this.owner = owner;
        this.state = state;
        this.slots = slots;
        this.admittedAt = admittedAt;
        this.epoch = epoch;
    }

    @Override
    public void throttled(Duration retryAfter) {
        owner.throttled(this, retryAfter);
    }

    @Override
    public void close() {
        owner.release(this);
    }

    /** When the policy admitted this permit (policy nanos), for tests that check the window. */
    long admittedAtNanos() {
        return admittedAt;
    }

    @Override
    public String toString() {
        return "Permit[" + state.key + ", slots=" + slots + "]";
    }
}
