package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import io.nexchange.api.source.Change;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one {@link SyncPair} (vdirsyncer's algorithm over the SPI): read both sides ({@link ChangeReader}),
 * decide per item ({@link Planner}), check the plan ({@link DeletionGuard}), carry it out ({@link ActionExecutor}).
 * A {@link Heartbeat} is asked between pages and actions; a lost lease or the engine's stop ends the run there.
 *
 * <p>Not thread-safe; one instance per pair run (the scheduler runs one mailbox per worker).
 */
public final class PairSync {
    private static final Logger LOG = LoggerFactory.getLogger(PairSync.class);

    /** Told about every write, for meters and progress. */
    public interface Listener {
        /** @param action {@code create}, {@code update} or {@code delete} (the meters' tag) */
        void written(SyncPair pair, Side target, String action);

        /** The run is about to carry out this many writes (for an ETA within a long initial sync). */
        default void planned(SyncPair pair, int writes) {}

        Listener NONE = (pair, target, action) -> { };
    }

    private final SyncStateStore state;
    private final SyncSettings settings;
    private final Listener listener;
    private final Heartbeat heartbeat;
    private final Extensions extensions;
    private final Clock clock;

    /**
     * @param heartbeat asked between pages and actions whether to go on (lease, engine stop)
     * @param extensions the transformers, conflict resolvers and audit sinks (a snapshot is taken per run)
     */
    PairSync(SyncStateStore state, SyncSettings settings, Listener listener, Heartbeat heartbeat, Extensions extensions) {
        this.state = Objects.requireNonNull(state, "state");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.clock = Clock.systemUTC();
    }

    PairSync(SyncStateStore state, SyncSettings settings, Listener listener, Heartbeat heartbeat) {
        this(state, settings, listener, heartbeat, Extensions.none());
    }

    public PairSync(SyncStateStore state, SyncSettings settings) {
        this(state, settings, Listener.NONE, Heartbeat.ALWAYS);
    }

    /**
     * Runs one reconciliation.
     *
     * @param allowDeletions the operator's one-shot override of the mass-deletion guard
     * @throws StoreException if a side could not be read (nothing was written then)
     * @throws StateException if the state store failed (what was committed before stays; a rerun resumes)
     */
    public PairResult sync(SyncPair pair, Endpoint exchange, Endpoint nextcloud, boolean allowDeletions)
            throws StoreException, StateException {
        return prepare(pair, exchange, nextcloud).run(allowDeletions, () -> { });
    }

    /**
     * A run of this pair with the extensions as they stand now (taken once, for the whole run); its Exchange side may
     * be read ahead on another thread ({@link Run#readAhead}) while the previous pair of the mailbox writes.
     */
    Run prepare(SyncPair pair, Endpoint exchange, Endpoint nextcloud) {
        return new Run(pair, exchange, nextcloud);
    }

    /** One run of one pair: read both sides, plan, guard, execute. */
    final class Run {
        private final SyncPair pair;
        private final ChangeReader.Status status;
        private final PairRendering rendering;
        private final SyncSettings settings;
        private final Map<Side, Endpoint> endpoints = new EnumMap<>(Side.class);
        private final ChangeReader reader;
        /** The Exchange side being read on another thread, if {@link #readAhead} started it. */
        private java.util.concurrent.CompletableFuture<ChangeReader.Round> exchangeAhead;

        private Run(SyncPair pair, Endpoint exchange, Endpoint nextcloud) {
            this.pair = pair;
            // the status rows are read once, and only if a side reports a change or a full listing: an idle pair (both
            // rounds empty) plans nothing whatever status holds, so it costs the two cursor reads and no row transfer
            this.status = new LazyStatus(state, pair);
            // the extensions as they stand now, for the whole run: transformers per target side, the conflict policy
            Map<Side, Rendering> renderings = new EnumMap<>(Side.class);
            for (Side target : Side.values()) {
                renderings.put(target, PairSync.this.settings.direction().writes(target)
                        ? extensions.rendering(target, pair.kind()) : Rendering.NONE);
            }
            this.rendering = new PairRendering(pair, renderings);
            this.settings = PairSync.this.settings.with(extensions.policy(PairSync.this.settings.policyFor(pair.kind()), pair));
            endpoints.put(Side.EXCHANGE, exchange.withRendering(rendering.fingerprintOfItemsFrom(Side.EXCHANGE)));
            endpoints.put(Side.NEXTCLOUD, nextcloud.withRendering(rendering.fingerprintOfItemsFrom(Side.NEXTCLOUD)));
            this.reader = new ChangeReader(state, pair, status, heartbeat);
        }

        /**
         * Starts reading the Exchange side on a thread of {@code threads} (the read only: nothing is planned or written
         * before {@link #run}). A failure of that read is thrown by {@link #run} as if it had happened there.
         */
        void readAhead(java.util.concurrent.Executor threads) {
            if (exchangeAhead != null) {
                return;
            }
            exchangeAhead = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.CompletableFuture<ChangeReader.Round> ahead = exchangeAhead;
            try {
                threads.execute(() -> {
                    try {
                        ahead.complete(reader.read(Side.EXCHANGE, endpoints.get(Side.EXCHANGE)));
                    } catch (Throwable t) {
                        ahead.completeExceptionally(t);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                exchangeAhead = null; // read in the run instead
            }
        }

        /** Waits for a read ahead, if one was started, without using its result (the run is not going to happen). */
        void abandon() {
            if (exchangeAhead != null) {
                try {
                    exchangeAhead.join();
                } catch (RuntimeException e) {
                    // the read's failure is the abandoned run's, and it is not run
                }
            }
        }

        /**
         * @param beforeWrites called once the plan is made and has writes, right before the first (the caller reads the
         *        next pair ahead meanwhile)
         */
        PairResult run(boolean allowDeletions, Runnable beforeWrites) throws StoreException, StateException {
            Map<Side, ChangeReader.Round> rounds = new EnumMap<>(Side.class);
            Quarantine quarantine = new Quarantine(pair, state.quarantined(pair), clock);
            ActionExecutor executor = new ActionExecutor(state, pair, endpoints, settings, listener, quarantine, rendering,
                    extensions, clock);
            try {
                rounds.put(Side.EXCHANGE, exchangeAhead != null ? aheadRound() : reader.read(Side.EXCHANGE, endpoints.get(Side.EXCHANGE)));
                rounds.put(Side.NEXTCLOUD, reader.read(Side.NEXTCLOUD, endpoints.get(Side.NEXTCLOUD)));
            } catch (Heartbeat.Halted halted) {
                return result(pair, outcome(halted.pulse), "", rounds, executor, quarantine);
            }
            for (Side side : Side.values()) {
                holdBack(side, rounds.get(side), quarantine);
            }
            // an operator's restores of losing versions (nexchange:conflicts restore, the console), by item
            Map<ItemKey, ConflictRecord> restores = new java.util.TreeMap<>();
            state.restoresDue(pair).forEach(c -> restores.put(c.key(), c));
            boolean quiet = restores.isEmpty() && rounds.values().stream().allMatch(r -> r.seen.isEmpty() && !r.complete);
            Map<ItemKey, ItemStatus> known = quiet ? Map.of() : status.rows();
            Map<Side, Map<ItemKey, Change>> seen = new EnumMap<>(Side.class);
            rounds.forEach((side, round) -> seen.put(side, round.seen));
            Map<Side, java.util.Set<ItemKey>> claimed = ItemIdentity.claimMarked(known, seen);
            List<Action> actions = plan(known, rounds, claimed, restores, settings, rendering, executor.errors);
            Optional<String> alert = DeletionGuard.check(pair, known, rounds, actions, settings);
            if (alert.isPresent() && !allowDeletions) {
                LOG.warn(alert.get());
                return result(pair, PairResult.Outcome.GUARDED, alert.get(), rounds, executor, quarantine);
            }
            alert.ifPresent(a -> LOG.warn("{} -- overridden by --allow-deletions, deleting", a));
            int writes = (int) actions.stream().filter(Action::writes).count();
            listener.planned(pair, writes);
            if (writes > 0) {
                beforeWrites.run();
            }
            Heartbeat.Pulse ended = executor.execute(actions, cursors(endpoints, rounds), heartbeat, known);
            if (executor.conflictsKept > 0) {
                pruneConflicts(pair, settings.conflicts());
            }
            if (ended != Heartbeat.Pulse.GO) {
                return result(pair, outcome(ended), "", rounds, executor, quarantine);
            }
            boolean complete = executor.errors.isEmpty() && executor.heldBack == 0;
            return result(pair, complete ? PairResult.Outcome.SYNCED : PairResult.Outcome.PARTIAL, "",
                    rounds, executor, quarantine);
        }

        /** The round read ahead, its failure thrown as it was. */
        private ChangeReader.Round aheadRound() throws StoreException, StateException, Heartbeat.Halted {
            try {
                return exchangeAhead.join();
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof StoreException store) {
                    throw store;
                } else if (cause instanceof StateException stateFailure) {
                    throw stateFailure;
                } else if (cause instanceof Heartbeat.Halted halted) {
                    throw halted;
                } else if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                } else if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    /**
     * Items the source could not read are quarantined (and stay as status remembers them). Items listed in the very
     * version that failed before are held back: to the plan they are as status remembers them
     * (not observed), so neither are they tried again nor does their side count as changed. Every other mention of a
     * quarantined item (a new version, a removal) tells the quarantine that the item moved on.
     */
    private static void holdBack(Side side, ChangeReader.Round round, Quarantine quarantine) {
        for (Change unreadable : round.unreadable.values()) {
            quarantine.failed(side, unreadable.ref(), unreadable.key(), unreadable.version().orElseThrow(), unreadable.summary(),
                    unreadable.problem().orElseThrow(), true);
        }
        round.seen.values().removeIf(change -> {
            // a listed item may come without content (its version equals status): ref and version tell
            if (!change.isRemoval() && quarantine.holds(side, change.ref(), change.version().orElseThrow())) {
                return true;
            }
            quarantine.seen(side, change.ref());
            return false;
        });
    }

    /**
     * Keeps the conflicts table bounded: after a run that kept conflicts (the only way it grows), those older than the
     * retention and those past the bound per pair go. A failure is logged; the sync result stands.
     */
    private void pruneConflicts(SyncPair pair, SyncSettings.Conflicts retention) {
        try {
            int removed = state.pruneConflicts(clock.instant().minus(retention.retention()), retention.keptPerPair());
            if (removed > 0) {
                LOG.debug("{}: {} old conflicts removed", pair.mailbox(), removed);
            }
        } catch (StateException e) {
            LOG.warn("{}: old conflicts could not be removed ({}); tried again after the next conflict", pair.mailbox(),
                    e.getMessage());
        }
    }

    /** The pair's status rows, read from the state store at the first use (by the read ahead or the run). */
    private static final class LazyStatus implements ChangeReader.Status {
        private final SyncStateStore state;
        private final SyncPair pair;
        private Map<ItemKey, ItemStatus> rows;

        LazyStatus(SyncStateStore state, SyncPair pair) {
            this.state = state;
            this.pair = pair;
        }

        @Override
        public synchronized Map<ItemKey, ItemStatus> rows() throws StateException {
            if (rows == null) {
                rows = state.status(pair);
            }
            return rows;
        }
    }

    private static PairResult.Outcome outcome(Heartbeat.Pulse pulse) {
        return pulse == Heartbeat.Pulse.LEASE_LOST ? PairResult.Outcome.LEASE_LOST : PairResult.Outcome.STOPPED;
    }

    /**
     * The decision table over every key that status knows or either side mentioned (in key order), then the
     * transformers' say ({@link PairRendering#adjust}). A conflict policy of an extension that cannot decide leaves the
     * item as it is this run, with an error.
     */
    private List<Action> plan(Map<ItemKey, ItemStatus> status, Map<Side, ChangeReader.Round> rounds,
            Map<Side, java.util.Set<ItemKey>> claimed, Map<ItemKey, ConflictRecord> restores, SyncSettings settings,
            PairRendering rendering, List<String> errors) {
        TreeSet<ItemKey> keys = new TreeSet<>(status.keySet());
        keys.addAll(restores.keySet());
        rounds.values().forEach(r -> keys.addAll(r.seen.keySet()));
        java.util.Set<Side> rerendered = java.util.EnumSet.noneOf(Side.class);
        rounds.forEach((side, round) -> {
            if (round.rerendered) {
                rerendered.add(side);
            }
        });
        List<Action> actions = new ArrayList<>();
        for (ItemKey key : keys) {
            ItemStatus s = status.get(key);
            SideView a = new SideView(s == null ? null : s.exchange(), rounds.get(Side.EXCHANGE).seen.get(key),
                    rounds.get(Side.EXCHANGE).outsideWindow.contains(key));
            SideView b = new SideView(s == null ? null : s.nextcloud(), rounds.get(Side.NEXTCLOUD).seen.get(key),
                    rounds.get(Side.NEXTCLOUD).outsideWindow.contains(key));
            if (restores.containsKey(key)) { // the operator's choice stands over what either side did since
                actions.add(new Action.Restore(key, restores.get(key), a, b));
                continue;
            }
            Action action;
            try {
                Side claimedOn = claimed.getOrDefault(Side.EXCHANGE, java.util.Set.of()).contains(key) ? Side.EXCHANGE
                        : claimed.getOrDefault(Side.NEXTCLOUD, java.util.Set.of()).contains(key) ? Side.NEXTCLOUD : null;
                action = claimedOn == null ? Planner.decide(key, s, a, b, settings.direction(), settings.conflictPolicy())
                        : Planner.decideCreated(key, s, claimedOn, a, b, settings.direction(), settings.conflictPolicy());
            } catch (ExtensionFailure undecided) {
                errors.add(key + ": " + undecided.getMessage());
                LOG.warn("{}", undecided.getMessage());
                continue;
            }
            action = rendering.adjust(action, key, a, b, settings.direction(), rerendered);
            if (!(action instanceof Action.Nothing)) {
                actions.add(action);
            }
        }
        return actions;
    }

    /** The cursors to store when every action succeeded: each round's next cursor, named by its backend. */
    private static Map<Side, Cursor> cursors(Map<Side, Endpoint> endpoints, Map<Side, ChangeReader.Round> rounds) {
        Map<Side, Cursor> update = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            ChangeReader.Round round = rounds.get(side);
            Cursor next = BackendCursor.wrap(endpoints.get(side).backend(), endpoints.get(side).rendering(), round.next);
            if (!next.equals(round.stored)) {
                update.put(side, next);
            }
        }
        return update;
    }

    private static PairResult result(SyncPair pair, PairResult.Outcome outcome, String alert,
            Map<Side, ChangeReader.Round> rounds, ActionExecutor executor, Quarantine quarantine) {
        Map<Side, Integer> read = PairResult.counts();
        rounds.forEach((side, round) -> read.put(side, round.read));
        return new PairResult(pair, outcome, read, executor.created, executor.updated, executor.deleted, executor.adopted,
                executor.conflicts, executor.leftAlone, List.copyOf(executor.errors), alert, quarantine.held(), executor.heldBack);
    }
}
