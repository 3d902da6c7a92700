package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.FleetView;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Lease;
import io.nexchange.api.state.LeaseLostException;
import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state store as one mailbox run sees it: every commit is fenced by the run's lease
 * ({@link SyncStateStore#commit(SyncPair, StatusUpdate, Lease)}), so a run whose lease was taken over (the instance was
 * paused past it) commits nothing; a refused commit marks the lease lost, which ends the run at its next heartbeat
 * check. The pair's reconciliation ({@link PairSync}) needs no knowledge of leases for it.
 */
final class FencedStateStore implements SyncStateStore {
    private final SyncStateStore state;
    private final Fleet.Held lease;

    FencedStateStore(SyncStateStore state, Fleet.Held lease) {
        this.state = state;
        this.lease = lease;
    }

    @Override
    public void commit(SyncPair pair, StatusUpdate update) throws StateException {
        commit(pair, update, lease.lease);
    }

    @Override
    public void commit(SyncPair pair, StatusUpdate update, Lease fence) throws StateException {
        try {
            state.commit(pair, update, fence);
        } catch (LeaseLostException e) {
            lease.lost = true;
            throw e;
        }
    }

    @Override
    public Cursor cursor(SyncPair pair, Side side) throws StateException {
        return state.cursor(pair, side);
    }

    @Override
    public Map<ItemKey, ItemStatus> status(SyncPair pair) throws StateException {
        return state.status(pair);
    }

    @Override
    public List<QuarantinedItem> quarantined(SyncPair pair) throws StateException {
        return state.quarantined(pair);
    }

    @Override
    public List<QuarantinedItem> quarantined() throws StateException {
        return state.quarantined();
    }

    @Override
    public List<QuarantinedItem> retryQuarantined(String mailbox, String item) throws StateException {
        return state.retryQuarantined(mailbox, item);
    }

    @Override
    public void forget(SyncPair pair) throws StateException {
        state.forget(pair);
    }

    @Override
    public Optional<Lease> tryLease(String mailbox, String holder, Duration ttl) throws StateException {
        return state.tryLease(mailbox, holder, ttl);
    }

    @Override
    public int releaseLeases(String holder) throws StateException {
        return state.releaseLeases(holder);
    }

    @Override
    public FleetView heartbeat(String instance, String about, Instant startedAt, Duration ttl, Collection<Lease> held)
            throws StateException {
        return state.heartbeat(instance, about, startedAt, ttl, held);
    }

    @Override
    public void leave(String instance) throws StateException {
        state.leave(instance);
    }

    @Override
    public Map<String, String> leaseHolders() throws StateException {
        return state.leaseHolders();
    }

    @Override
    public List<ConflictRecord> conflicts(String mailbox, int limit) throws StateException {
        return state.conflicts(mailbox, limit);
    }

    @Override
    public Optional<ConflictRecord> conflict(long id) throws StateException {
        return state.conflict(id);
    }

    @Override
    public List<ConflictRecord> restoresDue(SyncPair pair) throws StateException {
        return state.restoresDue(pair);
    }

    @Override
    public Optional<ConflictRecord> requestRestore(long id, String by) throws StateException {
        return state.requestRestore(id, by);
    }

    @Override
    public int pruneConflicts(Instant olderThan, int keepPerPair) throws StateException {
        return state.pruneConflicts(olderThan, keepPerPair);
    }

    @Override
    public Optional<String> setting(String name) throws StateException {
        return state.setting(name);
    }

    @Override
    public void putSetting(String name, String value) throws StateException {
        state.putSetting(name, value);
    }
}
