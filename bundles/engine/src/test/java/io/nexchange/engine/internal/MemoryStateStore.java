package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.FleetMember;
import io.nexchange.api.state.FleetView;
import io.nexchange.api.state.Lease;
import io.nexchange.api.state.LeaseLostException;
import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An in-memory SyncStateStore with atomic commits (what a crash keeps is exactly the last commit). */
final class MemoryStateStore implements SyncStateStore {
    final Map<SyncPair, Map<ItemKey, ItemStatus>> status = new HashMap<>();
    final Map<SyncPair, Map<Side, Cursor>> cursors = new HashMap<>();
    final Map<String, String> leases = new HashMap<>();
    final Map<String, String> settings = new HashMap<>();
    /** Per pair, by side and ref. */
    final Map<SyncPair, Map<String, QuarantinedItem>> quarantine = new HashMap<>();
    /** Kept conflicts in the order kept (ids from 1). */
    final List<ConflictRecord> conflicts = new ArrayList<>();
    int commits;
    int renewals;
    /** Lease renewal number n (counted over all leases) and every later one fail, as if another instance took them. */
    int loseLeasesAtRenewal = -1;

    @Override
    public synchronized Cursor cursor(SyncPair pair, Side side) {
        return cursors.getOrDefault(pair, Map.of()).getOrDefault(side, Cursor.INITIAL);
    }

    @Override
    public synchronized Map<ItemKey, ItemStatus> status(SyncPair pair) {
        return new TreeMap<>(status.getOrDefault(pair, Map.of()));
    }

    @Override
    public synchronized void commit(SyncPair pair, StatusUpdate update) {
        commits++;
        Map<ItemKey, ItemStatus> rows = status.computeIfAbsent(pair, p -> new TreeMap<>());
        update.removals().forEach(rows::remove);
        update.upserts().forEach(s -> rows.put(s.key(), s));
        cursors.computeIfAbsent(pair, p -> new EnumMap<>(Side.class)).putAll(update.cursors());
        Map<String, QuarantinedItem> held = quarantine.computeIfAbsent(pair, p -> new LinkedHashMap<>());
        update.released().forEach(r -> held.remove(r.side() + " " + r.ref()));
        update.quarantined().forEach(q -> held.put(q.side() + " " + q.ref(), q));
        for (ConflictRecord c : update.conflicts()) {
            boolean known = conflicts.stream().anyMatch(k -> k.pair().equals(pair) && k.key().equals(c.key())
                    && k.exchange().version().equals(c.exchange().version()) && k.nextcloud().version().equals(c.nextcloud().version()));
            if (!known) {
                conflicts.add(new ConflictRecord(conflicts.size() + 1, pair, c.key(), c.summary(), c.winner(), c.policy(),
                        c.exchange(), c.nextcloud(), c.at(), null));
            }
        }
        for (long id : update.restored()) {
            conflicts.replaceAll(c -> c.id() == id && c.restoreDue() ? with(c, new ConflictRecord.Restore(
                    c.restore().requestedBy(), c.restore().requestedAt(), Instant.now())) : c);
        }
    }

    private static ConflictRecord with(ConflictRecord c, ConflictRecord.Restore restore) {
        return new ConflictRecord(c.id(), c.pair(), c.key(), c.summary(), c.winner(), c.policy(), c.exchange(), c.nextcloud(),
                c.at(), restore);
    }

    @Override
    public synchronized List<ConflictRecord> conflicts(String mailbox, int limit) {
        List<ConflictRecord> out = new ArrayList<>(conflicts.stream()
                .filter(c -> mailbox == null || c.pair().mailbox().equals(mailbox)).toList());
        java.util.Collections.reverse(out);
        return out.subList(0, Math.min(limit, out.size()));
    }

    @Override
    public synchronized Optional<ConflictRecord> conflict(long id) {
        return conflicts.stream().filter(c -> c.id() == id).findFirst();
    }

    @Override
    public synchronized List<ConflictRecord> restoresDue(SyncPair pair) {
        return conflicts.stream().filter(c -> c.pair().equals(pair) && c.restoreDue()).toList();
    }

    @Override
    public synchronized Optional<ConflictRecord> requestRestore(long id, String by) {
        conflicts.replaceAll(c -> c.id() == id && c.restore() == null ? with(c, new ConflictRecord.Restore(by, Instant.now(), null)) : c);
        return conflict(id);
    }

    @Override
    public synchronized int pruneConflicts(Instant olderThan, int keepPerPair) {
        int before = conflicts.size();
        Map<SyncPair, Integer> newer = new HashMap<>();
        List<ConflictRecord> kept = new ArrayList<>();
        for (int i = conflicts.size() - 1; i >= 0; i--) {
            ConflictRecord c = conflicts.get(i);
            int rank = newer.merge(c.pair(), 1, Integer::sum);
            if (c.restoreDue() || (!c.at().isBefore(olderThan) && rank <= keepPerPair)) {
                kept.add(0, c);
            }
        }
        conflicts.clear();
        conflicts.addAll(kept);
        return before - kept.size();
    }

    @Override
    public synchronized List<QuarantinedItem> quarantined(SyncPair pair) {
        return List.copyOf(quarantine.getOrDefault(pair, Map.of()).values());
    }

    @Override
    public synchronized List<QuarantinedItem> quarantined() {
        List<QuarantinedItem> all = new ArrayList<>();
        quarantine.values().forEach(m -> all.addAll(m.values()));
        all.sort(Comparator.comparing(q -> q.pair().mailbox()));
        return all;
    }

    @Override
    public synchronized List<QuarantinedItem> retryQuarantined(String mailbox, String item) {
        List<QuarantinedItem> released = new ArrayList<>();
        for (QuarantinedItem q : quarantined()) {
            if (q.pair().mailbox().equals(mailbox) && (item == null || item.equals(q.ref())
                    || q.itemKey().map(k -> k.value().equals(item)).orElse(false))) {
                quarantine.get(q.pair()).remove(q.side() + " " + q.ref());
                cursors.getOrDefault(q.pair(), new EnumMap<>(Side.class)).remove(q.side());
                released.add(q);
            }
        }
        return released;
    }

    @Override
    public synchronized void forget(SyncPair pair) {
        status.remove(pair);
        cursors.remove(pair);
        quarantine.remove(pair);
    }

    @Override
    public synchronized Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    @Override
    public synchronized void putSetting(String name, String value) {
        if (value == null) {
            settings.remove(name);
        } else {
            settings.put(name, value);
        }
    }

    @Override
    public synchronized int releaseLeases(String holder) {
        int before = leases.size();
        leases.values().removeIf(holder::equals);
        current.keySet().retainAll(leases.keySet());
        return before - leases.size();
    }

    /** The lease object of each held mailbox: a fenced commit must come with it. */
    final Map<String, Lease> current = new HashMap<>();
    /** Instance records of the heartbeat: id to expiry. */
    final Map<String, Instant> instances = new TreeMap<>();
    int fenceRefusals;

    @Override
    public synchronized void commit(SyncPair pair, StatusUpdate update, Lease lease) throws LeaseLostException {
        if (current.get(pair.mailbox()) != lease) {
            fenceRefusals++;
            throw new LeaseLostException("the lease of " + pair.mailbox() + " was taken over");
        }
        commit(pair, update);
    }

    @Override
    public synchronized FleetView heartbeat(String instance, String about, Instant startedAt, Duration ttl,
            Collection<Lease> held) {
        Instant now = Instant.now();
        instances.put(instance, now.plus(ttl));
        Set<String> lost = new TreeSet<>();
        for (Lease lease : held) {
            if (current.get(lease.mailbox()) != lease) {
                lost.add(lease.mailbox());
            }
        }
        List<FleetMember> members = new ArrayList<>();
        instances.forEach((id, until) -> members.add(new FleetMember(id, "", startedAt, now, until, until.isAfter(now),
                (int) leases.values().stream().filter(id::equals).count())));
        return new FleetView(now, members, lost);
    }

    @Override
    public synchronized void leave(String instance) {
        instances.remove(instance);
    }

    @Override
    public synchronized Map<String, String> leaseHolders() {
        return new TreeMap<>(leases);
    }

    @Override
    public synchronized Optional<Lease> tryLease(String mailbox, String holder, Duration ttl) {
        if (leases.containsKey(mailbox)) {
            return Optional.empty();
        }
        leases.put(mailbox, holder);
        Lease lease = new Lease() {
            @Override
            public String mailbox() {
                return mailbox;
            }

            @Override
            public Instant expiresAt() {
                return Instant.now().plus(ttl);
            }

            @Override
            public boolean renew() {
                synchronized (MemoryStateStore.this) {
                    renewals++;
                    if (loseLeasesAtRenewal > 0 && renewals >= loseLeasesAtRenewal) {
                        if (current.get(mailbox) == this) {
                            leases.remove(mailbox, holder);
                            current.remove(mailbox);
                        }
                        return false;
                    }
                    return current.get(mailbox) == this;
                }
            }

            @Override
            public void close() {
                synchronized (MemoryStateStore.this) {
                    if (current.get(mailbox) == this) {
                        leases.remove(mailbox, holder);
                        current.remove(mailbox);
                    }
                }
            }
        };
        current.put(mailbox, lease);
        return Optional.of(lease);
    }
}
