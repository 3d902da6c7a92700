package io.nexchange.api.state;

import io.nexchange.api.source.Cursor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.nexchange.api.item.ItemKey;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable sync state (H2 embedded or a shared PostgreSQL).
 *
 * <ul>
 *   <li><b>Threading.</b> One service serves every worker: thread-safe. Every method is one transaction.
 *   <li><b>Blocking.</b> Each call blocks for its database round trips (bounded by the pool's connection timeout and
 *       the database's lock timeout).
 *   <li><b>Caching.</b> None: several instances may share the database, so every read goes to it.
 *   <li><b>Exceptions.</b> {@link StateException} when the database could not be used (unreachable, locked, closed);
 *       what was committed before stays, and a rerun resumes from it. The engine then reports the pair or mailbox
 *       FAILED and retries next cycle.
 *   <li><b>Lifecycle.</b> Its users hold a static reference, so they are deactivated (and finish their commits) before
 *       the store closes.
 * </ul>
 */
@ProviderType
public interface SyncStateStore {

    /** The stored cursor of one side of a pair, {@link Cursor#INITIAL} if none. */
    Cursor cursor(SyncPair pair, Side side) throws StateException;

    /** All status rows of a pair. */
    Map<ItemKey, ItemStatus> status(SyncPair pair) throws StateException;

    /**
     * Applies an update atomically: all of it or none. A crash at any point leaves the last committed update, which
     * is what makes the engine's batching crash-safe.
     */
    void commit(SyncPair pair, StatusUpdate update) throws StateException;

    /**
     * {@link #commit(SyncPair, StatusUpdate)}, fenced by {@code lease}: the lease's token is checked in the same
     * transaction, which holds the lease's row until it ends, so no instance can take the lease over between the check
     * and the commit. A paused instance whose lease ran out and was taken over can therefore never commit.
     *
     * @param lease a lease of this store on the pair's mailbox
     * @throws LeaseLostException if the lease is no longer held (nothing committed)
     * @since 1.4
     */
    void commit(SyncPair pair, StatusUpdate update, Lease lease) throws StateException;

    /**
     * The quarantine records of a pair (held or still being retried), in no particular order.
     *
     * @since 1.2
     */
    List<QuarantinedItem> quarantined(SyncPair pair) throws StateException;

    /**
     * Every quarantine record of every pair, ordered by mailbox (for operators).
     *
     * @since 1.2
     */
    List<QuarantinedItem> quarantined() throws StateException;

    /**
     * An operator's retry: removes the quarantine records of {@code mailbox} ({@code item}: only those whose ref or key
     * value equals it) and resets the cursor of each record's pair and side, so that the next run lists that side in
     * full and tries the items again, in one transaction.
     *
     * @param item a ref or key value, or null for every record of the mailbox
     * @return the records removed
     * @since 1.2
     */
    List<QuarantinedItem> retryQuarantined(String mailbox, String item) throws StateException;

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

    /**
     * The heartbeat of an instance of the fleet sharing this database, in one call: records it alive until
     * {@code ttl} from now (the database's clock), renews every lease of {@code held} that is still held (their
     * {@link Lease#expiresAt()} moves), and reads every instance on record with its count of live leases.
     *
     * @param instance the instance id (the holder of its leases)
     * @param about what operators need to find the instance (host, process id), shown in status
     * @param startedAt when the instance's process started
     * @param held the leases of this store the instance holds
     * @return the instances on record and the mailboxes of {@code held} whose lease was lost
     * @since 1.4
     */
    FleetView heartbeat(String instance, String about, java.time.Instant startedAt, Duration ttl,
            java.util.Collection<Lease> held) throws StateException;

    /**
     * Removes an instance's record (a clean stop), so that the others take its mailboxes over at their next heartbeat
     * instead of after its record runs out. Its leases are not touched (release them first).
     *
     * @since 1.4
     */
    void leave(String instance) throws StateException;

    /**
     * Who holds each mailbox now: the holders of the leases that have not run out, by mailbox (for operators).
     *
     * @since 1.4
     */
    Map<String, String> leaseHolders() throws StateException;

    /**
     * An operator decision stored beside the sync state, so that it outlives a restart and every instance sharing
     * the database sees it at once (for example the engine's backend switches). Names are short dotted identifiers
     * ({@code engine.backend.switches}); values are text of up to 1,000,000 characters.
     *
     * @return the value, or empty if none is stored
     * @since 1.2
     */
    Optional<String> setting(String name) throws StateException;

    /**
     * Stores (replaces) a setting; {@code null} removes it. One transaction.
     *
     * @since 1.2
     */
    void putSetting(String name, String value) throws StateException;

    /**
     * The conflicts kept for {@code mailbox} (null: every mailbox), newest first, at most {@code limit}.
     *
     * @since 1.4
     */
    List<ConflictRecord> conflicts(String mailbox, int limit) throws StateException;

    /**
     * One kept conflict by id, or empty if there is none (never was, or removed by {@link #pruneConflicts}).
     *
     * @since 1.4
     */
    Optional<ConflictRecord> conflict(long id) throws StateException;

    /**
     * The conflicts of a pair whose restore was asked for and not carried out yet, oldest first: the engine writes
     * their losing versions back at the pair's next run and marks them done in its commit
     * ({@link StatusUpdate#restored}).
     *
     * @since 1.4
     */
    List<ConflictRecord> restoresDue(SyncPair pair) throws StateException;

    /**
     * An operator asks for the losing version of a conflict to be written back. One transaction.
     *
     * @param by who asks (kept with the conflict)
     * @return the conflict with its restore, or empty if there is no such conflict; a conflict already restored (or
     *     waiting for it) is returned as it is
     * @since 1.4
     */
    Optional<ConflictRecord> requestRestore(long id, String by) throws StateException;

    /**
     * Bounds the kept conflicts: removes those resolved before {@code olderThan} and, per pair, all but the
     * {@code keepPerPair} newest; a conflict waiting for its restore is kept. One transaction.
     *
     * @return how many were removed
     * @since 1.4
     */
    int pruneConflicts(java.time.Instant olderThan, int keepPerPair) throws StateException;
}
