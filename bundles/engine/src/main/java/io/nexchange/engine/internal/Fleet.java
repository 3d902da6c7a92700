package io.nexchange.engine.internal;

import io.nexchange.api.state.FleetView;
import io.nexchange.api.state.Lease;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part of the fleet of instances sharing one state database: which mailboxes it owns, the leases it
 * holds on them, and the heartbeat that keeps both.
 *
 * <p><b>Ownership.</b> Every live instance (its record in the database renewed by its heartbeat) computes the same owner
 * for each mailbox by rendezvous hashing over the live instance ids: the instance with the highest hash of (mailbox,
 * instance). So each owns about 1/n of the mailboxes, and when an instance comes or goes only the mailboxes it gains or
 * loses move. Views may differ for one heartbeat while membership changes: the lease decides then, never two instances.
 *
 * <p><b>Leases.</b> A mailbox's lease is taken by its first run here and kept across runs while the mailbox is owned
 * (once the heartbeat runs: {@link #beat}); the heartbeat renews every held lease in one call, releases the ones this
 * instance no longer owns (not while a run holds them), and reports those another instance took over (they were
 * lost: the run on them stops, its commits are refused by the state store).
 *
 * <p><b>Freshness.</b> Each held lease remembers when it was last confirmed, on the monotonic clock, taken just before
 * the confirming statement was sent: the database set its expiry to its own "now" (at or after that moment) plus the
 * lease time, so the lease lasts at least {@code ttl} after that moment. {@link LeaseHeartbeat} renews it itself when
 * a third of the lease has passed since, so a write starts only while at least two thirds of the lease are left.
 */
final class Fleet {
    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    /**
     * One lease this instance holds, with the time it was last confirmed, and whether a run uses it: a lease is released
     * (handed over) only while no run uses it, so a run never writes under a lease this instance gave up.
     */
    static final class Held {
        final Lease lease;
        private final AtomicLong confirmedNanos;
        volatile boolean lost;
        private boolean inRun;
        private boolean released;

        Held(Lease lease, long confirmedNanos) {
            this.lease = lease;
            this.confirmedNanos = new AtomicLong(confirmedNanos);
        }

        long confirmedNanos() {
            return confirmedNanos.get();
        }

        /** The lease was confirmed by a statement sent after {@code sentNanos}. */
        void confirmed(long sentNanos) {
            confirmedNanos.accumulateAndGet(sentNanos, Math::max);
        }

        String mailbox() {
            return lease.mailbox();
        }

        /** A run takes the lease; false if it was lost or released meanwhile. */
        synchronized boolean claim() {
            if (lost || released) {
                return false;
            }
            inRun = true;
            return true;
        }

        synchronized void unclaim() {
            inRun = false;
        }

        /** Marks the lease released unless a run uses it (then that run's end decides). */
        synchronized boolean retire() {
            if (inRun) {
                return false;
            }
            released = true;
            return true;
        }
    }

    private final SyncStateStore state;
    private final String self;
    private final String about;
    private final Instant startedAt;
    private final Duration ttl;
    private final LongSupplier nanos;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /** The live instances as the last heartbeat saw them, sorted; only this one until then. */
    private volatile List<String> live;
    private volatile Optional<FleetView> lastView = Optional.empty();
    private volatile String lastError = "";
    /** Leases outlive runs once the heartbeat runs (the scheduler's); without it each run gives its lease up. */
    private volatile boolean keeping;
    /** How often the scheduler checks the fleet ({@link #checkEvery}); the leases are renewed every quarter lease. */
    private volatile Duration checkEvery;
    /** When the held leases were last renewed by a heartbeat (monotonic clock); none yet. */
    private volatile long renewedNanos;
    private volatile boolean renewedOnce;

    Fleet(SyncStateStore state, String self, String about, Instant startedAt, Duration ttl, LongSupplier nanos) {
        this.state = state;
        this.self = self;
        this.about = about;
        this.startedAt = startedAt;
        this.ttl = ttl;
        this.nanos = nanos;
        this.live = List.of(self);
        this.checkEvery = beatEvery();
    }

    String self() {
        return self;
    }

    Duration ttl() {
        return ttl;
    }

    long nanos() {
        return nanos.getAsLong();
    }

    /** The heartbeat period: a quarter of the lease, so a lease is normally confirmed with three quarters left. */
    Duration beatEvery() {
        return ttl.dividedBy(4);
    }

    /**
     * How often the scheduler checks the fleet: every quarter of the lease, and at least four times per sync interval and
     * every {@link #CHECK_AT_LEAST_EVERY}, so an instance that joins or stops cleanly is seen by the others within a small
     * part of an interval; the leases themselves are still renewed about every quarter lease ({@link #beat}).
     */
    Duration checkEvery(Duration interval) {
        Duration every = beatEvery();
        if (!interval.isZero() && interval.dividedBy(4).compareTo(every) < 0) {
            every = interval.dividedBy(4);
        }
        if (CHECK_AT_LEAST_EVERY.compareTo(every) < 0) {
            every = CHECK_AT_LEAST_EVERY;
        }
        Duration checked = every.compareTo(CHECK_AT_MOST_EVERY) < 0 ? CHECK_AT_MOST_EVERY : every;
        checkEvery = checked;
        return checked;
    }

    /** The longest time between two checks of the fleet: a join or a clean stop is seen within it. */
    static final Duration CHECK_AT_LEAST_EVERY = Duration.ofSeconds(10);
    private static final Duration CHECK_AT_MOST_EVERY = Duration.ofMillis(250);

    /** The period of the scheduler's checks of the fleet. */
    Duration checkEvery() {
        return checkEvery;
    }

    /** Whether this instance owns the mailbox among the live instances (rendezvous hashing). */
    boolean owns(String mailbox) {
        List<String> instances = live;
        if (instances.size() == 1) {
            return instances.get(0).equals(self);
        }
        return self.equals(owner(mailbox, instances));
    }

    /** The instance with the highest hash of (mailbox, instance); ties (never in practice) to the smaller id. */
    static String owner(String mailbox, List<String> instances) {
        String best = null;
        long bestScore = 0;
        for (String instance : instances) {
            long score = score(mailbox, instance);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0
                    || (score == bestScore && instance.compareTo(best) < 0)) {
                best = instance;
                bestScore = score;
            }
        }
        return best;
    }

    /** FNV-1a over the UTF-8 bytes of both, finished by splitmix64's mixer: the same on every instance and JVM. */
    static long score(String mailbox, String instance) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (mailbox + '\n' + instance).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /**
     * The lease of a mailbox for a run: the one this instance holds, else a new one if nobody else holds it.
     *
     * @return empty if another live instance holds it
     */
    Optional<Held> acquire(String mailbox) throws StateException {
        Held current = held.get(mailbox);
        if (current != null && current.claim()) {
            return Optional.of(current);
        }
        return lease(mailbox, true);
    }

    /**
     * Takes the lease of a mailbox this instance gained (its owner left, or handed it over) before its run starts, so
     * the lease moves at once even while every worker is busy; whether this instance holds it now.
     */
    boolean take(String mailbox) throws StateException {
        Held current = held.get(mailbox);
        return current != null && !current.lost || lease(mailbox, false).isPresent();
    }

    /** A new lease, claimed for a run (before any check can see it) or not; empty if another instance holds it. */
    private Optional<Held> lease(String mailbox, boolean forRun) throws StateException {
        Held current = held.get(mailbox);
        if (current != null && (current.lost || forRun)) {
            held.remove(mailbox, current);
        }
        long sent = nanos.getAsLong();
        Optional<Lease> lease = state.tryLease(mailbox, self, ttl);
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        Held fresh = new Held(lease.get(), sent);
        if (forRun) {
            fresh.claim();
        }
        held.put(mailbox, fresh);
        return Optional.of(fresh);
    }

    /** Whether this instance holds the mailbox's lease (as far as it knows). */
    boolean holds(String mailbox) {
        Held h = held.get(mailbox);
        return h != null && !h.lost;
    }

    /**
     * A run of the mailbox ended: a lost lease is forgotten; the lease is kept while this instance owns the mailbox and
     * the heartbeat runs; else it is released.
     */
    void runEnded(Held lease) {
        lease.unclaim();
        if (lease.lost) {
            held.remove(lease.mailbox(), lease);
        } else if (!keeping || !owns(lease.mailbox())) {
            release(lease);
        }
    }

    /** Releases the lease unless a run uses it now; whether it did. */
    private boolean release(Held lease) {
        if (!lease.retire()) {
            return false;
        }
        held.remove(lease.mailbox(), lease);
        lease.lease.close();
        return true;
    }

    /**
     * One heartbeat: records this instance alive, renews every held lease if that is due (about every quarter lease; the
     * lost ones are marked: their runs stop), and takes in who is live. From the first one on, leases outlive runs.
     *
     * @return the view, or empty if the database could not be reached (the leases age; runs renew their own)
     */
    Optional<FleetView> beat() {
        keeping = true;
        long sent = nanos.getAsLong();
        // renewed when waiting for the next check would let more than a quarter lease pass since the last renewal
        boolean renew = !renewedOnce || sent - renewedNanos + checkEvery.toNanos() > beatEvery().toNanos();
        List<Held> snapshot = renew ? new ArrayList<>(held.values()) : List.of();
        FleetView view;
        try {
            view = state.heartbeat(self, about, startedAt, ttl, snapshot.stream().map(h -> h.lease).toList());
        } catch (StateException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastError)) {
                LOG.warn("Fleet heartbeat of instance {} failed: {}; its leases are renewed by its runs until the state "
                        + "database answers again", self, e.getMessage());
            }
            lastError = String.valueOf(e.getMessage());
            return Optional.empty();
        }
        lastError = "";
        if (renew) {
            renewedNanos = sent;
            renewedOnce = true;
        }
        for (Held h : snapshot) {
            if (view.lost().contains(h.mailbox())) {
                h.lost = true;
                held.remove(h.mailbox(), h);
            } else {
                h.confirmed(sent);
            }
        }
        if (!view.lost().isEmpty()) {
            LOG.warn("Instance {} lost the leases of {} mailboxes to other instances (it did not renew them in time): {}",
                    self, view.lost().size(), abbreviate(view.lost()));
        }
        List<String> now = new ArrayList<>(view.liveInstances());
        if (!now.contains(self)) {
            now.add(self); // it has just beaten: its own record is live whatever the clock said
            now.sort(null);
        }
        if (!now.equals(live)) {
            LOG.info("Fleet: {} live instances sharing the state database: {}; this instance ({}) owns about 1/{} of the "
                    + "mailboxes", now.size(), String.join(", ", now), self, now.size());
        }
        live = List.copyOf(now);
        lastView = Optional.of(view);
        return lastView;
    }

    /**
     * Releases the held leases of mailboxes this instance no longer owns, except those a run uses now (that run releases
     * it when it ends): the new owner can take them at once.
     */
    int releaseSurplus() {
        int released = 0;
        for (Held h : new ArrayList<>(held.values())) {
            if (!owns(h.mailbox()) && release(h)) {
                released++;
            }
        }
        if (released > 0) {
            LOG.info("Released {} mailbox leases to the other instances (rebalancing over {} instances)", released, live.size());
        }
        return released;
    }

    /** The mailboxes this instance holds now, sorted. */
    Set<String> heldMailboxes() {
        Set<String> mailboxes = new TreeSet<>();
        held.forEach((mailbox, h) -> {
            if (!h.lost) {
                mailboxes.add(mailbox);
            }
        });
        return mailboxes;
    }

    List<String> liveInstances() {
        return live;
    }

    Optional<FleetView> lastView() {
        return lastView;
    }

    String lastError() {
        return lastError;
    }

    /** Gives every held lease up and removes this instance's record: the others take its mailboxes at once. */
    void leave() {
        held.values().forEach(h -> h.lease.close());
        held.clear();
        if (keeping) {
            try {
                state.leave(self);
            } catch (StateException e) {
                LOG.warn("Could not remove the record of instance {} ({}); the others take its mailboxes over when it "
                        + "runs out", self, e.getMessage());
            }
        }
    }

    static String abbreviate(Set<String> mailboxes) {
        return mailboxes.size() <= 5 ? String.join(", ", mailboxes)
                : String.join(", ", new ArrayList<>(mailboxes).subList(0, 5)) + " and " + (mailboxes.size() - 5) + " more";
    }
}
