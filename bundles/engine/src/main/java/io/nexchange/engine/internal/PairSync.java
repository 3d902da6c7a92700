package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.CredentialsRejectedException;
import io.nexchange.api.source.ServerThrottledException;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one {@link SyncPair}: vdirsyncer's algorithm over the SPI, symmetric in the two sides.
 *
 * <ol>
 *   <li>Read each side's changes since its stored cursor (all pages; a dead cursor, or one another backend issued,
 *       means a full listing, after which status rows not listed are gone).
 *   <li>Decide per {@link ItemKey} from the status row and both observations ({@link #decide}): a decision table
 *       that yields small actions. One-way sync is the same table with writes to Exchange turned into records.
 *   <li>Guard: refuse the whole pair if it would delete too much, or if a side listed empty that had items.
 *   <li>Run the actions. A status row is written only after its remote write succeeded; rows are committed in
 *       batches; the cursors are committed last and only if every action succeeded, so a crash or failure at any
 *       point re-reads the same changes next time, and the table then finds the writes already made (both sides
 *       present with equal content: adopt) instead of repeating them.
 * </ol>
 *
 * <p>Not thread-safe; one instance per pair run (the scheduler runs one mailbox per worker).
 */
public final class PairSync {

    private static final Logger LOG = LoggerFactory.getLogger(PairSync.class);

    /** After this many consecutive failed items the rest of the pair waits for the next cycle (server down, 401). */
    static final int MAX_CONSECUTIVE_FAILURES = 5;

    /** Told about every write, for meters and progress. */
    public interface Listener {
        void written(SyncPair pair, Side target, String action);

        /** The run is about to carry out this many writes (for an ETA within a long initial sync). */
        default void planned(SyncPair pair, int writes) {}

        Listener NONE = (pair, target, action) -> { };
    }

    private final io.nexchange.api.state.SyncStateStore state;
    private final SyncSettings settings;
    private final Listener listener;

    public PairSync(io.nexchange.api.state.SyncStateStore state, SyncSettings settings, Listener listener) {
        this.state = Objects.requireNonNull(state, "state");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public PairSync(io.nexchange.api.state.SyncStateStore state, SyncSettings settings) {
        this(state, settings, Listener.NONE);
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
        Map<ItemKey, ItemStatus> status = state.status(pair);
        Map<Side, Endpoint> endpoints = new EnumMap<>(Side.class);
        endpoints.put(Side.EXCHANGE, exchange);
        endpoints.put(Side.NEXTCLOUD, nextcloud);
        Run run = new Run(pair, endpoints, status);
        for (Side side : Side.values()) {
            run.rounds.put(side, run.read(side));
        }
        List<Action> actions = run.plan();
        String alert = run.guard(actions);
        if (!alert.isEmpty() && !allowDeletions) {
            LOG.warn(alert);
            return run.result(PairResult.Outcome.GUARDED, alert);
        }
        if (!alert.isEmpty()) {
            LOG.warn("{} -- overridden by --allow-deletions, deleting", alert);
        }
        listener.planned(pair, (int) actions.stream().filter(a -> !(a instanceof Record || a instanceof Suppressed
                || a instanceof Forget)).count());
        run.execute(actions);
        return run.result(run.errors.isEmpty() ? PairResult.Outcome.SYNCED : PairResult.Outcome.PARTIAL, "");
    }

    /** What one side showed in this round. */
    static final class Round {
        final Map<ItemKey, Change> seen = new LinkedHashMap<>();
        boolean complete;
        Cursor next = Cursor.INITIAL;
        int read;
        int listed;
    }

    /** One run over one pair: the status, both rounds, the pending status batch and the counters. */
    private final class Run {
        final SyncPair pair;
        final Map<Side, Endpoint> endpoints;
        final Map<ItemKey, ItemStatus> status;
        final Map<Side, Round> rounds = new EnumMap<>(Side.class);
        final Map<Side, Cursor> storedCursors = new EnumMap<>(Side.class);
        final Map<Side, Map<ItemKey, Item>> fullListings = new EnumMap<>(Side.class);
        final Map<Side, Integer> created = PairResult.counts();
        final Map<Side, Integer> updated = PairResult.counts();
        final Map<Side, Integer> deleted = PairResult.counts();
        final List<String> errors = new ArrayList<>();
        StatusUpdate pending = new StatusUpdate();
        int pendingRows;
        int adopted;
        int conflicts;
        int suppressed;

        Run(SyncPair pair, Map<Side, Endpoint> endpoints, Map<ItemKey, ItemStatus> status) {
            this.pair = pair;
            this.endpoints = endpoints;
            this.status = status;
        }

        Round read(Side side) throws StoreException, StateException {
            Endpoint endpoint = endpoints.get(side);
            Cursor stored = state.cursor(pair, side);
            storedCursors.put(side, stored);
            Cursor start = BackendCursor.unwrap(endpoint.backend(), stored);
            if (!stored.isInitial() && start.isInitial()) {
                LOG.info("{} {}: the stored {} cursor was issued by backend '{}', now '{}': full listing, matched by item key",
                        pair.mailbox(), kind(), side(side), BackendCursor.issuer(stored), endpoint.backend());
            }
            try {
                return pages(side, endpoint, start);
            } catch (CursorExpiredException e) {
                LOG.info("{} {}: {} cursor expired ({}): full listing, matched by item key", pair.mailbox(), kind(),
                        side(side), e.getMessage());
                return pages(side, endpoint, Cursor.INITIAL);
            }
        }

        private Round pages(Side side, Endpoint endpoint, Cursor start) throws StoreException {
            Map<String, ItemKey> keyByRef = new HashMap<>();
            status.values().forEach(s -> s.side(side).ifPresent(st -> keyByRef.put(st.ref(), s.key())));
            Round round = new Round();
            Cursor cursor = start;
            boolean first = true;
            while (true) {
                ChangePage page = endpoint.source().changes(cursor);
                if (first) {
                    round.complete = page.complete();
                    first = false;
                }
                for (Change change : page.changes()) {
                    round.read++;
                    if (change.isRemoval()) {
                        // DAV removals carry a key guessed from the resource name: the ref is authoritative
                        ItemKey key = keyByRef.getOrDefault(change.ref(), change.key());
                        Change earlier = round.seen.get(key);
                        if (earlier != null && !earlier.isRemoval() && !earlier.ref().equals(change.ref())) {
                            continue; // the item moved to a new ref this round; the old ref's removal is not a deletion
                        }
                        round.seen.put(key, change);
                    } else {
                        round.seen.put(change.key(), change);
                        round.listed++;
                    }
                }
                cursor = page.next();
                if (!page.hasMore()) {
                    break;
                }
            }
            round.next = cursor;
            if (round.complete) {
                // a full listing: what status knows on this side and the listing did not show is gone
                for (ItemStatus s : status.values()) {
                    s.side(side).ifPresent(st -> round.seen.putIfAbsent(s.key(), Change.removal(s.key(), st.ref())));
                }
            }
            return round;
        }

        /** The decision table over every key that status knows or either side mentioned. */
        List<Action> plan() {
            TreeSet<ItemKey> keys = new TreeSet<>(status.keySet());
            keys.addAll(rounds.get(Side.EXCHANGE).seen.keySet());
            keys.addAll(rounds.get(Side.NEXTCLOUD).seen.keySet());
            List<Action> actions = new ArrayList<>();
            for (ItemKey key : keys) {
                ItemStatus s = status.get(key);
                SideView a = new SideView(s == null ? null : s.exchange(), rounds.get(Side.EXCHANGE).seen.get(key));
                SideView b = new SideView(s == null ? null : s.nextcloud(), rounds.get(Side.NEXTCLOUD).seen.get(key));
                Action action = decide(key, s, a, b);
                if (action != null) {
                    actions.add(action);
                }
            }
            return actions;
        }

        private Action decide(ItemKey key, ItemStatus s, SideView a, SideView b) {
            boolean presentA = a.present();
            boolean presentB = b.present();
            if (presentA && presentB) {
                boolean changedA = a.changed();
                boolean changedB = b.changed();
                if (changedA && changedB) {
                    if (a.hash().equals(b.hash())) {
                        // both new with the same content (crash after the remote write, dead cursor, backend switch,
                        // or both edited alike): link them, write nothing
                        return new Record(key, row(key, a.current(), b.current()), s == null || s.exchange() == null
                                || s.nextcloud() == null);
                    }
                    // edited on both sides differently (or new on both): the conflict policy decides
                    return new Conflict(key, a, b);
                }
                if (changedA) {
                    return update(key, Side.NEXTCLOUD, a, b); // edited in Exchange: carry it to Nextcloud
                }
                if (changedB) {
                    return update(key, Side.EXCHANGE, b, a); // edited in Nextcloud: carry it to Exchange
                }
                if (a.drifted() || b.drifted()) {
                    // same content under a new version or ref (churn, moved href, new backend): remember it, write nothing
                    return new Record(key, row(key, a.current(), b.current()), false);
                }
                return null;
            }
            if (presentA) {
                return oneSided(key, Side.EXCHANGE, a, b);
            }
            if (presentB) {
                return oneSided(key, Side.NEXTCLOUD, b, a);
            }
            // gone on both sides (deleted twice, or our deletion's echo): forget it
            return s == null ? null : new Forget(key);
        }

        /** The item exists on {@code side} only. */
        private Action oneSided(ItemKey key, Side side, SideView here, SideView there) {
            Side other = side.other();
            if (there.status != null) {
                if (here.changed()) {
                    // deleted over there but changed here: never lose the change, recreate it over there
                    return create(key, other, here);
                }
                // deleted over there, unchanged here: delete here too
                if (!settings.direction().writes(side)) {
                    // one-way: a Nextcloud deletion is left alone; the next Exchange change restores the item
                    return new Suppressed(key, row(key, side, here.current(), null), "deleted in " + side(other)
                            + ", kept in " + side(side));
                }
                return new Delete(key, side, here, other);
            }
            if (here.changed()) {
                // new here (or changed while the other side acknowledged its absence): create it over there
                return create(key, other, here);
            }
            if (here.drifted()) {
                return new Record(key, row(key, side, here.current(), null), false);
            }
            // absent over there on purpose (one-way suppression earlier): nothing to do until it changes here
            return null;
        }

        private Action create(ItemKey key, Side target, SideView source) {
            if (!settings.direction().writes(target)) {
                // one-way: a Nextcloud-side creation is left alone and reported
                return new Suppressed(key, row(key, target.other(), source.current(), null),
                        "created in " + side(target.other()) + " only");
            }
            return new Create(key, target, source);
        }

        private Action update(ItemKey key, Side target, SideView source, SideView dest) {
            if (!settings.direction().writes(target)) {
                // one-way: a Nextcloud-side edit stays until the next Exchange change of the item overwrites it
                return new Suppressed(key, row(key, target.other(), source.current(), dest.current()),
                        "edited in " + side(target.other()) + ", not carried over");
            }
            return new Update(key, target, source, dest);
        }

        /** The operator alert if the planned actions (or an empty full listing) look like a mass deletion. */
        String guard(List<Action> actions) {
            for (Side side : Side.values()) {
                long known = status.values().stream().filter(s -> s.side(side).isPresent()).count();
                Round round = rounds.get(side);
                if (round.complete && round.listed == 0 && known > 0) {
                    return String.format(Locale.ROOT, "Mass-deletion guard tripped for mailbox %s, %s pair (%s <-> %s): "
                            + "the %s collection listed EMPTY in a full listing although %d items were synced; not trusting "
                            + "it, nothing was written and the cursors were kept. If the collection really was emptied run "
                            + "'nexchange:sync --allow-deletions %s'", pair.mailbox(), kind(), pair.exchangeCollection(),
                            pair.nextcloudCollection(), side(side), known, pair.mailbox());
                }
                long deletions = actions.stream().filter(x -> x instanceof Delete && ((Delete) x).target == side).count();
                if (deletions == 0) {
                    continue;
                }
                boolean all = deletions >= known && known >= 2;
                boolean share = known >= settings.guardMinimumItems() && deletions > settings.guardShare() * known;
                if (all || share) {
                    return alert(side, deletions, known, all ? "that is every item" : "more than "
                            + Math.round(settings.guardShare() * 100) + " % (deletionGuardShare)");
                }
            }
            return "";
        }

        private String alert(Side side, long deletions, long known, String why) {
            return String.format(Locale.ROOT, "Mass-deletion guard tripped for mailbox %s, %s pair (%s <-> %s): "
                    + "refusing to delete %d of %d items in %s, %s. Nothing was written and the cursors were kept. If the "
                    + "deletions are intended run 'nexchange:sync --allow-deletions %s' (or raise deletionGuardShare in "
                    + "io.nexchange.engine)", pair.mailbox(), kind(), pair.exchangeCollection(), pair.nextcloudCollection(),
                    deletions, known, side(side), why, pair.mailbox());
        }

        void execute(List<Action> actions) throws StateException, StoreException {
            int consecutiveFailures = 0;
            for (Action action : actions) {
                try {
                    ItemStatus row = action.run(this);
                    if (row == null) {
                        pending.remove(action.key);
                    } else {
                        pending.put(row);
                    }
                    consecutiveFailures = 0;
                } catch (CredentialsRejectedException | ServerThrottledException e) {
                    // not this item's fault: keep what was applied, keep the cursors, stop the pair
                    flush(false);
                    throw e;
                } catch (StoreException e) {
                    errors.add(action.key + ": " + e.getMessage());
                    LOG.warn("{} {}: {} failed, retried next cycle: {}", pair.mailbox(), kind(), action.describe(),
                            e.getMessage());
                    if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
                        errors.add("stopped after " + consecutiveFailures + " consecutive failures");
                        break;
                    }
                    continue;
                }
                if (++pendingRows >= settings.batchSize()) {
                    flush(false);
                }
            }
            flush(errors.isEmpty());
        }

        /** Commits the pending rows, with the cursors if every change they cover is applied. */
        void flush(boolean withCursors) throws StateException {
            if (withCursors) {
                for (Side side : Side.values()) {
                    Cursor next = BackendCursor.wrap(endpoints.get(side).backend(), rounds.get(side).next);
                    if (!next.equals(storedCursors.get(side))) {
                        pending.cursor(side, next);
                    }
                }
            }
            if (!pending.isEmpty()) {
                state.commit(pair, pending);
            }
            pending = new StatusUpdate();
            pendingRows = 0;
        }

        /** The full listing of a side (read once per run, only when a create finds its item already there). */
        Map<ItemKey, Item> fullListing(Side side) throws StoreException {
            Map<ItemKey, Item> listing = fullListings.get(side);
            if (listing == null) {
                listing = new HashMap<>();
                Cursor cursor = Cursor.INITIAL;
                while (true) {
                    ChangePage page = endpoints.get(side).source().changes(cursor);
                    for (Change change : page.changes()) {
                        Map<ItemKey, Item> l = listing;
                        change.item().ifPresent(item -> l.put(item.key(), item));
                    }
                    cursor = page.next();
                    if (!page.hasMore()) {
                        break;
                    }
                }
                fullListings.put(side, listing);
            }
            return listing;
        }

        ItemVersion write(Side target, String action, WriteCall call) throws StoreException {
            ItemVersion version = call.run(endpoints.get(target).target());
            count(action, target);
            listener.written(pair, target, action);
            return version;
        }

        private void count(String action, Side target) {
            Map<Side, Integer> counter = action.equals("create") ? created : action.equals("update") ? updated : deleted;
            counter.merge(target, 1, Integer::sum);
        }

        PairResult result(PairResult.Outcome outcome, String alert) {
            Map<Side, Integer> read = PairResult.counts();
            rounds.forEach((side, round) -> read.put(side, round.read));
            return new PairResult(pair, outcome, read, created, updated, deleted, adopted, conflicts, suppressed,
                    List.copyOf(errors), alert);
        }

        String kind() {
            return pair.kind().name().toLowerCase(Locale.ROOT);
        }

        SyncSettings settings() {
            return settings;
        }
    }

    @FunctionalInterface
    interface WriteCall {
        ItemVersion run(io.nexchange.api.source.ItemTarget target) throws StoreException;
    }

    static ItemStatus row(ItemKey key, SideStatus exchange, SideStatus nextcloud) {
        return new ItemStatus(key, exchange, nextcloud);
    }

    static ItemStatus row(ItemKey key, Side side, SideStatus here, SideStatus there) {
        return side == Side.EXCHANGE ? new ItemStatus(key, here, there) : new ItemStatus(key, there, here);
    }

    static String side(Side side) {
        return side == Side.EXCHANGE ? "Exchange" : "Nextcloud";
    }

    /** One step of the plan. {@link #run} does the remote write (if any) and returns the new row (null: remove). */
    abstract static class Action {
        final ItemKey key;

        Action(ItemKey key) {
            this.key = key;
        }

        abstract ItemStatus run(Run run) throws StoreException;

        abstract String describe();
    }

    /** No write: the status row changes only. */
    static final class Record extends Action {
        final ItemStatus row;
        final boolean adopt;

        Record(ItemKey key, ItemStatus row, boolean adopt) {
            super(key);
            this.row = row;
            this.adopt = adopt;
        }

        @Override
        ItemStatus run(Run run) {
            if (adopt) {
                run.adopted++;
            }
            return row;
        }

        @Override
        String describe() {
            return "recording " + key;
        }
    }

    /** One-way: a Nextcloud-side change that is not carried to Exchange; the row remembers it so it is reported once. */
    static final class Suppressed extends Action {
        final ItemStatus row;
        final String why;

        Suppressed(ItemKey key, ItemStatus row, String why) {
            super(key);
            this.row = row;
            this.why = why;
        }

        @Override
        ItemStatus run(Run run) {
            run.suppressed++;
            LOG.info("{} {}: {} {} (direction exchange-to-nextcloud)", run.pair.mailbox(), run.kind(), key, why);
            return row;
        }

        @Override
        String describe() {
            return "leaving " + key + " alone";
        }
    }

    static final class Forget extends Action {
        Forget(ItemKey key) {
            super(key);
        }

        @Override
        ItemStatus run(Run run) {
            return null;
        }

        @Override
        String describe() {
            return "forgetting " + key;
        }
    }

    static final class Create extends Action {
        final Side target;
        final SideView source;

        Create(ItemKey key, Side target, SideView source) {
            super(key);
            this.target = target;
            this.source = source;
        }

        @Override
        ItemStatus run(Run run) throws StoreException {
            ItemContent content = source.item().content();
            ItemVersion written;
            try {
                written = run.write(target, "create", t -> t.create(key, content));
            } catch (PreconditionFailedException e) {
                return adopt(run);
            }
            return row(key, target.other(), source.current(), new SideStatus(written.ref(), written.version(), source.hash()));
        }

        /**
         * The item is already there (a crash after the remote write but before the status commit, or someone created
         * the same UID meanwhile): link to it instead of duplicating; if its content differs, the conflict policy says
         * which content both sides get.
         */
        private ItemStatus adopt(Run run) throws StoreException {
            Item existing = run.fullListing(target).get(key);
            if (existing == null) {
                throw new StoreException("creating " + key + " in " + side(target) + " was refused as already existing, "
                        + "but a full listing does not show it", true);
            }
            SideView there = new SideView(null, Change.upsert(existing));
            if (there.hash().equals(source.hash())) {
                run.adopted++;
                return row(key, target.other(), source.current(), there.current());
            }
            return new Conflict(key, target == Side.NEXTCLOUD ? source : there, target == Side.NEXTCLOUD ? there : source)
                    .run(run);
        }

        @Override
        String describe() {
            return "creating " + key + " in " + side(target);
        }
    }

    static final class Update extends Action {
        final Side target;
        final SideView source;
        final SideView dest;

        Update(ItemKey key, Side target, SideView source, SideView dest) {
            super(key);
            this.target = target;
            this.source = source;
            this.dest = dest;
        }

        @Override
        ItemStatus run(Run run) throws StoreException {
            SideStatus now = dest.current();
            ItemContent content = source.item().content();
            ItemVersion written = run.write(target, "update", t -> t.update(key, now.ref(), now.version(), content));
            return row(key, target.other(), source.current(), new SideStatus(written.ref(), written.version(), source.hash()));
        }

        @Override
        String describe() {
            return "updating " + key + " in " + side(target);
        }
    }

    static final class Delete extends Action {
        final Side target;
        final SideView dest;

        Delete(ItemKey key, Side target, SideView dest, Side deletedOn) {
            super(key);
            this.target = target;
            this.dest = dest;
        }

        @Override
        ItemStatus run(Run run) throws StoreException {
            SideStatus now = dest.current();
            run.write(target, "delete", t -> {
                t.delete(key, now.ref(), now.version());
                return null;
            });
            return null;
        }

        @Override
        String describe() {
            return "deleting " + key + " in " + side(target);
        }
    }

    /** Changed on both sides with different content: the policy's winner overwrites the other side. */
    static final class Conflict extends Action {
        final SideView exchange;
        final SideView nextcloud;

        Conflict(ItemKey key, SideView exchange, SideView nextcloud) {
            super(key);
            this.exchange = exchange;
            this.nextcloud = nextcloud;
        }

        @Override
        ItemStatus run(Run run) throws StoreException {
            run.conflicts++;
            Side winner = run.settings().direction() == Direction.TWO_WAY
                    ? run.settings().conflictPolicy().winner(exchange.item(), nextcloud.item())
                    : Side.EXCHANGE;
            LOG.info("{} {}: {} changed on both sides, {} wins ({})", run.pair.mailbox(), run.kind(), key, side(winner),
                    run.settings().direction() == Direction.TWO_WAY ? run.settings().conflictPolicy().label()
                            : "direction exchange-to-nextcloud");
            return winner == Side.EXCHANGE ? new Update(key, Side.NEXTCLOUD, exchange, nextcloud).run(run)
                    : new Update(key, Side.EXCHANGE, nextcloud, exchange).run(run);
        }

        @Override
        String describe() {
            return "resolving the conflict on " + key;
        }
    }
}
