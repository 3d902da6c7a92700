package io.nexchange.api.throttle;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Permission for one request. Close it when the response has arrived; report throttling answers
 * before closing so the policy can pause the key.
 *
 * <p>Used by the thread that acquired it; neither method blocks or throws.
 */
@ProviderType
public interface Permit extends AutoCloseable {

    /**
     * The server throttled this request (429, 503 with Retry-After, EWS ErrorServerBusy).
     *
     * @param retryAfter the server's hint, or {@code null} when it gave none (the policy backs off
     *     exponentially with jitter)
     */
    void throttled(Duration retryAfter);

    /** Releases the concurrency slot. Idempotent. */
    @Override
    void close();
}
