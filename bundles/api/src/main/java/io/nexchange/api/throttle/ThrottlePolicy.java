package io.nexchange.api.throttle;

import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Admission control for outbound Microsoft calls, per {@link ThrottleKey}: a concurrency limit, a
 * request budget per window, and pauses after throttling answers. Every Graph and EWS request passes
 * through it.
 *
 * <p>Thread-safe: one service serves every worker and every client. {@link #tryAcquire} and {@link #delay} never
 * block; {@link #acquire} blocks at most {@code maxWait}. State (budgets, pauses) is kept in memory per key for the
 * life of the service. No checked exceptions: a policy never fails a request, it only delays it.
 */
@ProviderType
public interface ThrottlePolicy {

    /**
     * Admits a request now if the key allows it, without blocking.
     *
     * @return a permit, or empty if the caller must come back later (see {@link #delay(ThrottleKey)});
     *     a worker should then serve another mailbox instead of waiting
     */
    Optional<Permit> tryAcquire(ThrottleKey key);

    /** How long until {@link #tryAcquire(ThrottleKey)} may succeed for this key; zero if now. */
    Duration delay(ThrottleKey key);

    /**
     * Waits until the key admits a request, at most {@code maxWait}.
     *
     * @return a permit, or empty if the wait would exceed {@code maxWait}
     * @throws InterruptedException if interrupted while waiting
     */
    Optional<Permit> acquire(ThrottleKey key, Duration maxWait) throws InterruptedException;
}
