package io.nexchange.api.state;

import io.nexchange.api.source.Cursor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import io.nexchange.api.item.ItemKey;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable sync state (H2 embedded or a shared PostgreSQL). Thread-safe; every method is one
 * transaction.
 */
@ProviderType
public interface SyncStateStore {

    /** The stored cursor of one side of a pair, {@link Cursor#INITIAL} if none. */
    Cursor cursor(SyncPair pair, Side side) throws StateException;

    /** All status rows of a pair. */
    Map<ItemKey, ItemStatus> status(SyncPair pair) throws StateException;

    /** Applies an update atomically: all of it or none. */
    void commit(SyncPair pair, StatusUpdate update) throws StateException;

    /** Forgets a pair entirely (its collection was unlinked). */
    void forget(SyncPair pair) throws StateException;

    /**
     * Takes the lease of a mailbox for this instance if nobody holds it, or if the holder's lease expired.
     *
     * @param holder this instance's id
     * @return the lease, or empty if another live instance holds it
     */
    Optional<Lease> tryLease(String mailbox, String holder, Duration ttl) throws StateException;

    /**
     * Ends every lease {@code holder} still has: called by an instance when it starts, for the leases its previous
     * process left behind when it was killed (they would otherwise keep its mailboxes waiting until they expire).
     * Instance ids must therefore be unique per running instance.
     *
     * @return how many leases were released
     * @since 1.1
     */
    int releaseLeases(String holder) throws StateException;
}
