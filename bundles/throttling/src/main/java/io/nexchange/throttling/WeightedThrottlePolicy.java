package io.nexchange.throttling;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.api.throttle.ThrottlePolicy;
import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link ThrottlePolicy} that can charge several requests at once: a Graph {@code $batch} envelope is one
 * HTTP request, but Outlook counts every inner request against its mailbox and runs up to four of them at a
 * time. A weighted permit takes {@code requests} units of the key's budget and
 * {@code min(requests, maxConcurrent)} of its concurrency slots, all or nothing.
 */
@ProviderType
public interface WeightedThrottlePolicy extends ThrottlePolicy {

    /** Like {@link #tryAcquire(ThrottleKey)}, charging {@code requests} requests (at least 1). */
    Optional<Permit> tryAcquire(ThrottleKey key, int requests);

    /** Like {@link #acquire(ThrottleKey, Duration)}, charging {@code requests} requests (at least 1). */
    Optional<Permit> acquire(ThrottleKey key, int requests, Duration maxWait) throws InterruptedException;

    /** Like {@link #delay(ThrottleKey)}, for a permit charging {@code requests} requests. */
    Duration delay(ThrottleKey key, int requests);
}
