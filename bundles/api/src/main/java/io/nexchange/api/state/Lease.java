package io.nexchange.api.state;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Exclusive right of one instance to sync one mailbox until {@link #expiresAt()}; several instances
 * sharing a database split mailboxes by leases. A dead instance's leases expire and are taken over.
 *
 * <p>Used by the one worker that took it; {@link #renew()} and {@link #close()} block for one database round trip and
 * never throw (a failure to renew reads as a lost lease, a failure to close leaves the lease to expire).
 */
@ProviderType
public interface Lease extends AutoCloseable {
    String mailbox();

    Instant expiresAt();

    /**
     * Extends the lease.
     *
     * @return false if the lease was lost meanwhile (expired and taken by another instance); the holder must stop
     */
    boolean renew();

    /** Gives the lease up. Idempotent. */
    @Override
    void close();
}
