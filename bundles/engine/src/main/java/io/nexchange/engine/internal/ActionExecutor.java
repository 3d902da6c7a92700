package io.nexchange.engine.internal;

import io.nexchange.api.extension.AuditEvent;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.CredentialsRejectedException;
import io.nexchange.api.source.ServerThrottledException;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the planned actions of one pair run. A status row is queued only after its remote write succeeded;
 * rows are committed every {@code batchSize}; the cursors go with the final commit, and only if every action
 * succeeded or failed on an item that is now quarantined, so a crash or failure at any point re-reads the same changes
 * next time. The heartbeat is checked before every action.
 *
 * <p>Failures: an {@link ItemRejectedException} (the item's own, for sure) quarantines the item at once; another
 * non-transient failure of one item is counted per item and version, and quarantines it after
 * {@link Quarantine#HOLD_AFTER} runs (unless the run stopped after consecutive failures: then the pair as a whole is in
 * trouble, and nothing is counted); a transient one only keeps the cursors. An update refused with
 * {@link PreconditionFailedException} (412: the target changed since it was read) re-reads the target item and
 * reconciles it once in the same run.
 */
final class ActionExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);

    /** After this many consecutive failed items the rest of the pair waits for the next cycle (server down, 401). */
    static final int MAX_CONSECUTIVE_FAILURES = 5;
    /** Keys named in a log line about many items. */
    private static final int LOGGED_KEYS = 5;

    private final SyncStateStore state;
    private final SyncPair pair;
    private final Map<Side, Endpoint> endpoints;
    private final SyncSettings settings;
    private final PairSync.Listener listener;
    private final Map<Side, Map<ItemKey, Change>> fullListings = new EnumMap<>(Side.class);
    private final Quarantine quarantine;
    /** Refs per {@link #prefetch} call. */
    private static final int PREFETCH_BATCH = 100;
    /** The current versions of the Nextcloud items this run's Exchange edits update, by ref. */
    private final Map<String, Item> prefetched = new java.util.HashMap<>();
    /** Whether a 412 is being reconciled: a second one in a row is left for the next cycle. */
    private boolean rereading;

    final Map<Side, Integer> created = PairResult.counts();
    final Map<Side, Integer> updated = PairResult.counts();
    final Map<Side, Integer> deleted = PairResult.counts();
    final List<String> errors = new ArrayList<>();
    /** Items quarantined (or quarantined again in a new version) in this run. */
    int quarantined;
    /** Re-reads after a 412 on an update. */
    int rereads;
    int adopted;
    int conflicts;
    int leftAlone;
    /** Conflicts kept in the state database in this run (their losing versions). */
    int conflictsKept;
    int restored;
    /** New Exchange items whose creation in Nextcloud waits for the next run ({@link #waitsForFailedCreates}). */
    int heldBack;
    /** The first few of them, for the log line. */
    private final List<ItemKey> heldBackKeys = new ArrayList<>();
    /** Keys whose create in Exchange failed in this run (a refusal of the content aside). */
    private final List<ItemKey> failedInExchange = new ArrayList<>();

    private final PairRendering rendering;
    private final Clock clock;
    private final Extensions extensions;
    /** Exchange items new in this run that are planned to be created in Nextcloud: their key by Exchange ref. */
    private final Map<String, ItemKey> newInExchange = new java.util.HashMap<>();
    /** Keys of such items that turned out to be the Exchange copy of an item created there: the item's key by them. */
    private final Map<ItemKey, ItemKey> claimed = new java.util.HashMap<>();
    private StatusUpdate pending = new StatusUpdate();
    private int pendingRows;
    /** The key of the item each Exchange ref is linked to: in status, or by a row of this run. */
    private final Map<String, ItemKey> exchangeRefs = new java.util.HashMap<>();

    ActionExecutor(SyncStateStore state, SyncPair pair, Map<Side, Endpoint> endpoints, SyncSettings settings,
            PairSync.Listener listener, Quarantine quarantine, PairRendering rendering, Extensions extensions, Clock clock) {
        this.clock = clock;
        this.rendering = rendering;
        this.extensions = extensions;
        this.state = state;
        this.pair = pair;
        this.endpoints = endpoints;
        this.settings = settings;
        this.listener = listener;
        this.quarantine = quarantine;
    }

    /**
     * Runs the actions and commits; {@code cursors} (the rounds' next cursors, wrapped) go with the last commit if
     * every action succeeded.
     */
    /**
     * @return {@link Heartbeat.Pulse#GO} if every action ran, else the pulse that ended the run early
     * @throws CredentialsRejectedException if the target rejected the login (what ran is committed, the cursors are not)
     * @throws ServerThrottledException if the server throttles the connector (likewise)
     */
    Heartbeat.Pulse execute(List<Action> actions, Map<Side, Cursor> cursors, Heartbeat heartbeat, Map<ItemKey, ItemStatus> known)
            throws StateException, StoreException {
        known.values().forEach(row -> row.side(Side.EXCHANGE).ifPresent(st -> exchangeRefs.put(st.ref(), row.key())));
        int consecutiveFailures = 0;
        boolean stoppedEarly = false;
        /** Non-transient failures of single items, by key: counted against the item once the run is over. */
        Map<ItemKey, Failure> suspects = new LinkedHashMap<>();
        Set<ItemKey> acted = new HashSet<>();
        prefetch(actions);
        for (Action action : creationsInExchangeFirst(actions)) {
            Heartbeat.Pulse pulse = heartbeat.check();
            if (pulse == Heartbeat.Pulse.LEASE_LOST) {
                return pulse; // another instance may own the mailbox now: commit nothing more
            }
            if (pulse == Heartbeat.Pulse.STOP) {
                commit(null); // the rows of the writes made; the cursors stay, so the rest is read again
                return pulse;
            }
            acted.add(action.key());
            if (action instanceof Action.Restore r) { // an operator's request: not the item's failure if it fails
                try {
                    pending.put(restore(r));
                    pending.restored(r.conflict().id());
                } catch (CredentialsRejectedException | ServerThrottledException e) {
                    commit(null);
                    throw e;
                } catch (StoreException e) {
                    auditFailure(action, e);
                    errors.add(action.key() + ": restoring conflict " + r.conflict().id() + " failed: " + e.getMessage());
                    LOG.warn("{} {}: restoring conflict {} on {} failed, tried again next run: {}", pair.mailbox(), kind(),
                            r.conflict().id(), r.key(), e.getMessage());
                    continue;
                }
                if (++pendingRows >= settings.batchSize()) {
                    commit(null);
                }
                continue;
            }
            if (claimed.containsKey(action.key())) {
                // Exchange's copy of an item this run created there (a create repeated after a crash answers with the
                // first attempt's item, which the listing showed under Exchange's own key): linked, not copied back
                LOG.info("{} {}: {} is the Exchange copy of {} (created there before a restart), linked, not created in "
                        + "Nextcloud", pair.mailbox(), kind(), action.key(), claimed.get(action.key()));
                adopted++;
                continue;
            }
            if (waitsForFailedCreates(action, known)) {
                if (heldBack++ < LOGGED_KEYS) {
                    heldBackKeys.add(action.key());
                }
                continue;
            }
            try {
                ItemStatus row = run(action);
                if (row == null) {
                    pending.remove(action.key());
                } else {
                    pending.put(row);
                    row.side(Side.EXCHANGE).ifPresent(st -> exchangeRefs.put(st.ref(), row.key()));
                }
                quarantine.succeeded(action.key(), written(action));
                consecutiveFailures = 0;
            } catch (CredentialsRejectedException | ServerThrottledException e) {
                // not this item's fault: keep what was applied, keep the cursors, stop the pair
                commit(null);
                throw e;
            } catch (ItemRejectedException e) {
                // the item's own failure: quarantined, the rest of the pair goes on (and its cursors)
                auditFailure(action, e);
                Failure failure = failure(action, e);
                quarantine.failed(failure.side, failure.ref, action.key(), failure.version, failure.summary, e.getMessage(), true);
                quarantined++;
                continue;
            } catch (StoreException e) {
                auditFailure(action, e);
                errors.add(action.key() + ": " + e.getMessage());
                if (action instanceof Action.Create c && c.target() == Side.EXCHANGE) {
                    failedInExchange.add(action.key());
                }
                if (!e.isTransient()) {
                    suspects.put(action.key(), failure(action, e));
                }
                LOG.warn("{} {}: {} failed, retried next cycle: {}", pair.mailbox(), kind(), describe(action),
                        e.getMessage());
                if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
                    errors.add("stopped after " + consecutiveFailures + " consecutive failures");
                    stoppedEarly = true;
                    break;
                }
                continue;
            }
            if (++pendingRows >= settings.batchSize()) {
                commit(null);
            }
        }
        if (!stoppedEarly) {
            // the pair as a whole works: a non-transient failure is the item's; held after repeated runs
            for (Map.Entry<ItemKey, Failure> s : suspects.entrySet()) {
                Failure f = s.getValue();
                if (quarantine.failed(f.side, f.ref, s.getKey(), f.version, f.summary, f.reason, false)) {
                    quarantined++;
                    errors.removeIf(error -> error.startsWith(s.getKey() + ": "));
                }
            }
            quarantine.settleUntouched(acted);
        }
        if (heldBack > 0) {
            LOG.info("{} {}: {} new in Exchange ({}{}) {} for the next run to be created in Nextcloud: creating {} in"
                    + " Exchange failed in this run, and an unmarked new item may be Exchange's copy of a create whose"
                    + " answer was lost, which the retried create links", pair.mailbox(), kind(),
                    heldBack == 1 ? "1 item" : heldBack + " items",
                    heldBackKeys.stream().map(ItemKey::value).collect(java.util.stream.Collectors.joining(", ")),
                    heldBack > LOGGED_KEYS ? ", …" : "", heldBack == 1 ? "waits" : "wait",
                    failedInExchange.stream().limit(LOGGED_KEYS).map(ItemKey::value).toList());
        }
        commit(errors.isEmpty() && heldBack == 0 ? cursors : null); // held back: listed again next run
        return Heartbeat.Pulse.GO;
    }

    /**
     * Whether {@code action} creates in Nextcloud an item new in Exchange (no status row, no creation mark) while a
     * create in Exchange failed in this run (they all ran before: {@link #creationsInExchangeFirst}). Such an item may
     * be Exchange's copy of a create whose answer was lost: a source that does not mark its creations (contacts) lists
     * it as new. It waits: the cursors stay, so it is listed again next run, when the retried create answers with the
     * copy and links it ({@link #claimed}); a truly new item is created then. A refused create ({@link
     * ItemRejectedException}) does not count: its item is quarantined at once, so the next run would not retry it.
     */
    private boolean waitsForFailedCreates(Action action, Map<ItemKey, ItemStatus> known) {
        return !failedInExchange.isEmpty() && action instanceof Action.Create c && c.target() == Side.NEXTCLOUD
                && !known.containsKey(c.key()) && c.source().observed() && c.source().change.creationMark().isEmpty();
    }

    /**
     * The actions with every creation in Exchange first: an item created there may come back as an item Exchange
     * listed under its own key in this very run (a create repeated after a crash gets the first attempt's item), whose
     * planned creation in Nextcloud must then not run ({@link #claimed}).
     */
    private List<Action> creationsInExchangeFirst(List<Action> actions) {
        List<Action> ordered = new ArrayList<>(actions.size());
        for (Action action : actions) {
            if (action instanceof Action.Create c) {
                if (c.target() == Side.EXCHANGE) {
                    ordered.add(action);
                } else if (c.source().status == null && c.source().observed()) {
                    newInExchange.put(c.source().change.ref(), c.key());
                }
            }
        }
        actions.stream().filter(a -> !(a instanceof Action.Create c && c.target() == Side.EXCHANGE)).forEach(ordered::add);
        return ordered;
    }

    /** Which item, in which version, a failed action was carrying. */
    private record Failure(Side side, String ref, String version, String summary, String reason) {}

    /** The item behind a failed action: the source of a create or update, the target's item of a delete. */
    private static Failure failure(Action action, StoreException e) {
        SideView view;
        Side side;
        if (action instanceof Action.Resolve r) {
            action = r.update();
        }
        if (action instanceof Action.Create c) {
            side = c.target().other();
            view = c.source();
        } else if (action instanceof Action.Update u) {
            side = u.target().other();
            view = u.source();
        } else if (action instanceof Action.Delete d) {
            side = d.target();
            view = d.dest();
        } else {
            throw new IllegalStateException("no remote write, no failure: " + action, e);
        }
        SideStatus at = view.current();
        return new Failure(side, at.ref(), at.version(), view.observed() ? ItemSummary.of(view.item().content()) : "",
                e.getMessage());
    }

    /** The sides an action wrote when it succeeded. */
    private static Set<Side> written(Action action) {
        if (action instanceof Action.Create c) {
            return EnumSet.of(c.target());
        } else if (action instanceof Action.Update u) {
            return EnumSet.of(u.target());
        } else if (action instanceof Action.Delete d) {
            return EnumSet.of(d.target());
        } else if (action instanceof Action.Resolve r) {
            return EnumSet.of(r.winner().other());
        } else if (action instanceof Action.Restore r) {
            return EnumSet.of(r.conflict().loser());
        }
        return EnumSet.noneOf(Side.class);
    }

    private void commit(Map<Side, Cursor> cursors) throws StateException {
        if (cursors != null) {
            cursors.forEach(pending::cursor);
        }
        quarantine.flushInto(pending);
        if (!pending.isEmpty()) {
            state.commit(pair, pending);
        }
        pending = new StatusUpdate();
        pendingRows = 0;
    }

    /** Does the remote write of one action (if any) and returns its new status row (null: remove the row). */
    private ItemStatus run(Action action) throws StoreException, StateException {
        if (action instanceof Action.Record r) {
            return r.row();
        } else if (action instanceof Action.Adopt a) {
            adopted++;
            return a.row();
        } else if (action instanceof Action.LeaveAlone l) {
            leftAlone++;
            LOG.info("{} {}: {} {} (direction {})", pair.mailbox(), kind(), l.key(), l.why(), settings.direction().label());
            return l.row();
        } else if (action instanceof Action.Create c) {
            return create(c);
        } else if (action instanceof Action.Update u) {
            return update(u);
        } else if (action instanceof Action.Delete d) {
            SideStatus now = d.dest().current();
            target(d.target()).delete(d.key(), now.ref(), now.version());
            wrote(d.key(), d.target(), "", deleted, "delete");
            return null;
        } else if (action instanceof Action.Resolve r) {
            return resolve(r);
        } else if (action instanceof Action.Forget) {
            return null;
        }
        throw new IllegalArgumentException("not an action to run: " + action);
    }

    private ItemStatus create(Action.Create c) throws StoreException, StateException {
        Rendering.Result content = rendered(c.key(), c.target(), c.source());
        if (content.dropped()) { // a transformer keeps it off that side
            return Planner.row(c.key(), c.target().other(), c.source().current(), null);
        }
        ItemVersion written;
        try {
            written = target(c.target()).create(c.key(), content.content().orElseThrow());
            for (int attempt = 2; c.target() == Side.EXCHANGE && linkedElsewhere(written.ref(), c.key()); attempt++) {
                if (attempt > ItemIdentity.CREATE_ATTEMPTS) {
                    throw new StoreException("creating " + c.key() + " in Exchange answered " + ItemIdentity.CREATE_ATTEMPTS
                            + " times with the item of " + exchangeRefs.get(written.ref()), false);
                }
                // Exchange answered with an item another row holds: an earlier creation for this key (Graph keeps a
                // transactionId's event), since linked to an item of its own. A new item, under the key's next attempt
                LOG.info("{} {}: creating {} in Exchange answered with the item of {} (created for the same key before);"
                        + " created anew", pair.mailbox(), kind(), c.key(), exchangeRefs.get(written.ref()));
                written = target(c.target()).create(ItemIdentity.attempt(c.key(), attempt), content.content().orElseThrow());
            }
        } catch (PreconditionFailedException e) {
            return adoptExisting(c);
        }
        wrote(c.key(), c.target(), written.ref(), created, "create");
        if (c.target() == Side.EXCHANGE) {
            exchangeRefs.put(written.ref(), c.key());
            ItemKey listedAs = newInExchange.remove(written.ref());
            if (listedAs != null && !listedAs.equals(c.key())) {
                claimed.put(listedAs, c.key());
                // the answer to a repeated create is the first attempt's item as it was made then; the source may have
                // changed since (edited in Nextcloud after the crash), so the item gets this version (IdentityPropertyTest)
                written = target(Side.EXCHANGE).update(c.key(), written.ref(), written.version(), content.content().orElseThrow());
            }
        }
        return Planner.row(c.key(), c.target().other(), c.source().current(),
                new SideStatus(written.ref(), written.version(), content.hash()));
    }

    /** Whether the Exchange item at {@code ref} is linked to an item other than {@code key}. */
    private boolean linkedElsewhere(String ref, ItemKey key) {
        ItemKey linked = exchangeRefs.get(ref);
        return linked != null && !linked.equals(key);
    }

    /**
     * What the transformers make of the source item for the target (as it is when none applies).
     *
     * @throws ItemRejectedException if a transformer refused it or changed its identity: the item is quarantined
     */
    private Rendering.Result rendered(ItemKey key, Side target, SideView source) throws ItemRejectedException {
        return refusalAsItemFailure(() -> rendering.render(key, target, source));
    }

    /** Like {@link #rendered(ItemKey, Side, SideView)} for content that is not the source's own (a merge). */
    private Rendering.Result rendered(ItemKey key, Side target, ItemContent content) throws ItemRejectedException {
        return refusalAsItemFailure(() -> rendering.render(key, target, content));
    }

    private static Rendering.Result refusalAsItemFailure(java.util.function.Supplier<Rendering.Result> render)
            throws ItemRejectedException {
        try {
            return render.get();
        } catch (ExtensionFailure e) {
            throw new ItemRejectedException(e.getMessage(), e);
        }
    }

    /**
     * The item is already there (a crash after the remote write but before the status commit, or someone created the
     * same UID meanwhile): link to it instead of duplicating; if its content differs, the conflict policy decides.
     */
    private ItemStatus adoptExisting(Action.Create c) throws StoreException, StateException {
        Item existing = readable(c.target(), c.key(), null);
        if (existing == null) {
            throw new StoreException("creating " + c.key() + " in " + Planner.name(c.target()) + " was refused as already "
                    + "existing, but a full listing does not show it", true);
        }
        SideView there = new SideView(null, Change.upsert(existing));
        if (there.hash().equals(rendered(c.key(), c.target(), c.source()).hash())) {
            adopted++;
            return Planner.row(c.key(), c.target().other(), c.source().current(), there.current());
        }
        boolean toNextcloud = c.target() == Side.NEXTCLOUD;
        return resolve(Planner.resolve(c.key(), toNextcloud ? c.source() : there, toNextcloud ? there : c.source(),
                settings.direction(), settings.conflictPolicy()));
    }

    private ItemStatus update(Action.Update u) throws StoreException, StateException {
        SideStatus now = u.dest().current();
        Rendering.Result content = rendered(u.key(), u.target(), u.source());
        if (content.dropped()) { // a transformer keeps it off that side now: the copy written earlier goes
            target(u.target()).delete(u.key(), now.ref(), now.version());
            wrote(u.key(), u.target(), "", deleted, "delete");
            return Planner.row(u.key(), u.target().other(), u.source().current(), null);
        }
        ItemContent write = content.content().orElseThrow();
        if (u.target() == Side.NEXTCLOUD) { // merge, not overwrite: what Nextcloud holds and Exchange cannot stays
            Item current = nextcloudItem(u.dest());
            if (current != null) {
                // merged onto the source's own rendering, then transformed: what a transformer takes out (a redactor's
                // ATTENDEE) is not put back from Nextcloud's current version, which may still hold it
                ItemContent source = u.source().item().content();
                String merged = PropertyMerge.ontoNextcloud(pair.kind(), current.content().text(), source.text());
                if (!merged.equals(source.text())) {
                    Rendering.Result transformed = rendered(u.key(), u.target(), new ItemContent(source.mediaType(), merged));
                    write = transformed.dropped() ? write : transformed.content().orElseThrow();
                }
                if (ContentHash.of(write).equals(ContentHash.of(current.content()))) {
                    // Nextcloud holds this already (Exchange's change was one Nextcloud's version carries): nothing to write
                    return Planner.row(u.key(), u.target().other(), u.source().current(),
                            new SideStatus(current.ref(), current.version(), ContentHash.of(current.content())));
                }
            }
        }
        ItemVersion written;
        try {
            written = target(u.target()).update(u.key(), now.ref(), now.version(), write);
        } catch (PreconditionFailedException e) {
            if (rereading) {
                throw e; // changed again while being reconciled: the next cycle reads it anew
            }
            return reread(u, e);
        }
        wrote(u.key(), u.target(), written.ref(), updated, "update");
        // the hash of what was written, which is what that side reads back
        return Planner.row(u.key(), u.target().other(), u.source().current(),
                new SideStatus(written.ref(), written.version(), ContentHash.of(write)));
    }

    /**
     * The Nextcloud item an Exchange edit is about to overwrite, as it is now: observed in this run, fetched with the
     * run's other updates ({@link #prefetch}), or fetched alone; null if it cannot be read (then it is overwritten as
     * before, and a 412 tells if it changed).
     */
    private Item nextcloudItem(SideView dest) throws StoreException {
        if (dest.observed() && dest.change.item().isPresent()) {
            return dest.item();
        }
        SideStatus now = dest.current();
        if (now == null) {
            return null;
        }
        Item known = prefetched.get(now.ref());
        if (known != null) {
            return known.version().equals(now.version()) ? known : null;
        }
        try {
            for (Change change : endpoints.get(Side.NEXTCLOUD).source().fetch(List.of(now.ref()))) {
                if (change.ref().equals(now.ref()) && change.item().isPresent() && change.version().orElse("").equals(now.version())) {
                    return change.item().get();
                }
            }
        } catch (UnsupportedOperationException noFetch) {
            return null;
        }
        return null;
    }

    /**
     * Reads, in batches, the Nextcloud items this run's Exchange edits will update (the merge needs their current
     * version): one multiget per 100 instead of one per item. A failure leaves each to be read alone.
     */
    private void prefetch(List<Action> actions) {
        List<String> refs = new ArrayList<>();
        for (Action action : actions) {
            Action.Update u = action instanceof Action.Update up ? up
                    : action instanceof Action.Resolve r && r.winner() == Side.EXCHANGE ? r.update() : null;
            if (u != null && u.target() == Side.NEXTCLOUD && !(u.dest().observed() && u.dest().change.item().isPresent())
                    && u.dest().current() != null) {
                refs.add(u.dest().current().ref());
            }
        }
        try {
            for (int from = 0; from < refs.size(); from += PREFETCH_BATCH) {
                for (Change change : endpoints.get(Side.NEXTCLOUD).source().fetch(refs.subList(from, Math.min(refs.size(), from + PREFETCH_BATCH)))) {
                    change.item().ifPresent(item -> prefetched.put(item.ref(), item));
                }
            }
        } catch (StoreException | UnsupportedOperationException e) {
            LOG.debug("{} {}: the Nextcloud items to update could not be read in a batch ({}); read one by one", pair.mailbox(), kind(), e.toString());
        }
    }

    /**
     * The target item changed since it was read (412): read it again and decide anew with what it is now (an edit on
     * both sides is a conflict for the policy, the same content a record, a deletion a re-creation), once.
     */
    private ItemStatus reread(Action.Update u, PreconditionFailedException refused) throws StoreException, StateException {
        Side target = u.target();
        SideStatus was = u.dest().current();
        Item now = current(target, u.key(), was.ref());
        rereads++;
        SideView fresh = new SideView(u.dest().status, now == null ? Change.removal(u.key(), was.ref()) : Change.upsert(now));
        SideView exchange = target == Side.EXCHANGE ? fresh : u.source();
        SideView nextcloud = target == Side.NEXTCLOUD ? fresh : u.source();
        ItemStatus status = exchange.status == null && nextcloud.status == null ? null
                : new ItemStatus(u.key(), exchange.status, nextcloud.status);
        Action again = Planner.decide(u.key(), status, exchange, nextcloud, settings.direction(), settings.conflictPolicy());
        LOG.info("{} {}: {} changed in {} since it was read ({}): read again, now {}", pair.mailbox(), kind(), u.key(),
                Planner.name(target), refused.getMessage(), again.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        rereading = true;
        try {
            if (again instanceof Action.Nothing) {
                return status;
            }
            return run(again);
        } finally {
            rereading = false;
        }
    }

    /**
     * The item at {@code ref} as it is now (after a 412), or null if it is gone: fetched alone where the source fetches
     * (DAV multiget, EWS GetItem, Graph GET: one request), else from a full listing read now.
     *
     * @throws StoreException if the side has it but cannot read it, or did not answer for it
     */
    private Item current(Side side, ItemKey key, String ref) throws StoreException {
        List<Change> answer;
        try {
            answer = endpoints.get(side).source().fetch(List.of(ref));
        } catch (UnsupportedOperationException contentComesWithTheListing) {
            fullListings.remove(side); // read after the refusal, so it shows the change that caused it
            return readable(side, key, ref);
        }
        for (Change change : answer) {
            if (change.ref().equals(ref)) {
                if (change.isUnreadable()) {
                    throw unreadableIn(side, key, change);
                }
                return ItemIdentity.under(key, change).item().orElse(null);
            }
        }
        throw new StoreException(Planner.name(side) + " did not answer for " + key + " at " + ref + " when it was read again"
                + " after a 412; read again next cycle", true);
    }

    private static StoreException unreadableIn(Side side, ItemKey key, Change found) {
        return new StoreException(key + " is in " + Planner.name(side) + " but cannot be read (" + found.problem().orElseThrow()
                + "); the change from " + Planner.name(side.other()) + " waits until it can", false);
    }

    /**
     * The item of a side as a full listing shows it (read once per run: a create that finds its item there, an update
     * refused by 412 where the side cannot fetch), or null if the side does not have it.
     *
     * @throws StoreException if the side has it but cannot read it (quarantined there): the write waits, not guessing
     */
    private Item readable(Side side, ItemKey key, String ref) throws StoreException {
        Map<ItemKey, Change> listing = fullListings.get(side);
        if (listing == null) {
            listing = ChangeReader.fullListing(endpoints.get(side));
            fullListings.put(side, listing);
        }
        Change found = null;
        if (ref != null) {
            // where status knows the item: the side may name it by its own key (a Graph-created iCalUId or id)
            found = listing.values().stream().filter(c -> c.ref().equals(ref)).findFirst().orElse(null);
        }
        if (found == null) {
            found = listing.get(key);
        }
        if (found != null && found.isUnreadable()) {
            throw unreadableIn(side, key, found);
        }
        return found == null ? null : ItemIdentity.under(key, found).item().orElseThrow();
    }

    private ItemStatus resolve(Action.Resolve r) throws StoreException, StateException {
        conflicts++;
        extensions.audit(AuditEvent.Type.CONFLICT, pair, r.key(), r.winner(), "", r.policy());
        LOG.info("{} {}: {} changed on both sides, {} wins ({}); the {} version is kept (nexchange:conflicts list {})",
                pair.mailbox(), kind(), r.key(), Planner.name(r.winner()), r.policy(), Planner.name(r.winner().other()),
                pair.mailbox());
        keep(r);
        return update(r.update());
    }

    /**
     * Keeps both versions of a conflict, committed before the winner's write: a crash after that write would leave
     * both sides alike and the conflict unseen by the next run. A rerun that meets the same conflict again (the write
     * failed) keeps it once: the store keeps one record per item and pair of versions.
     */
    private void keep(Action.Resolve r) throws StateException {
        if (!r.exchange().observed() || !r.nextcloud().observed() || r.exchange().change.item().isEmpty()
                || r.nextcloud().change.item().isEmpty()) {
            LOG.warn("{} {}: the conflict on {} is not kept: a side's version was not read", pair.mailbox(), kind(), r.key());
            return;
        }
        Item exchange = r.exchange().item();
        Item nextcloud = r.nextcloud().item();
        String summary = ItemSummary.of((r.winner() == Side.EXCHANGE ? nextcloud : exchange).content());
        pending.conflict(new ConflictRecord(0, pair, r.key(), summary, r.winner(), r.policy(), version(exchange),
                version(nextcloud), clock.instant(), null));
        conflictsKept++;
        commit(null);
    }

    private static ConflictRecord.Version version(Item item) {
        return new ConflictRecord.Version(item.ref(), item.version(), item.content());
    }

    /**
     * An operator's restore: the losing version is written to the side that lost (over what it holds now, or created
     * if it is gone there), then carried to the other side as an edit of the losing side would be, where the direction
     * allows. Returns the item's new status row; the caller marks the conflict restored in the same commit.
     */
    private ItemStatus restore(Action.Restore r) throws StoreException, StateException {
        ConflictRecord conflict = r.conflict();
        Side loser = conflict.loser();
        SideView lost = loser == Side.EXCHANGE ? r.exchange() : r.nextcloud();
        SideView other = loser == Side.EXCHANGE ? r.nextcloud() : r.exchange();
        ItemContent content = conflict.losing().content();
        SideStatus now = lost.current();
        ItemVersion written = now == null ? target(loser).create(r.key(), content)
                : target(loser).update(r.key(), now.ref(), now.version(), content);
        wrote(r.key(), loser, written.ref(), now == null ? created : updated, now == null ? "create" : "update");
        restored++;
        String by = conflict.restoration().map(ConflictRecord.Restore::requestedBy).orElse("unknown");
        LOG.info("{} {}: conflict {} on {} restored as asked by {}: the {} version written back to {}", pair.mailbox(), kind(),
                conflict.id(), r.key(), by, Planner.name(loser), Planner.name(loser));
        SideView source = new SideView(null, Change.upsert(new Item(r.key(), written.ref(), written.version(), content)));
        if (!settings.direction().writes(loser.other())) {
            return Planner.row(r.key(), loser, source.current(), other.current());
        }
        return other.present() ? update(new Action.Update(r.key(), loser.other(), source, other))
                : create(new Action.Create(r.key(), loser.other(), source));
    }

    private ItemTarget target(Side side) {
        return endpoints.get(side).target();
    }

    private void wrote(ItemKey key, Side target, String ref, Map<Side, Integer> counter, String action) {
        counter.merge(target, 1, Integer::sum);
        listener.written(pair, target, action);
        AuditEvent.Type type = switch (action) {
            case "create" -> AuditEvent.Type.CREATED;
            case "update" -> AuditEvent.Type.UPDATED;
            default -> AuditEvent.Type.DELETED;
        };
        extensions.audit(type, pair, key, target, ref, "");
    }

    /** Tells the audit sinks of a failed write (to the side the action writes). */
    private void auditFailure(Action action, StoreException e) {
        Set<Side> sides = written(action);
        if (!sides.isEmpty()) {
            extensions.audit(AuditEvent.Type.FAILED, pair, action.key(), sides.iterator().next(), "", e.getMessage());
        }
    }

    private static String describe(Action action) {
        if (action instanceof Action.Create c) {
            return "creating " + c.key() + " in " + Planner.name(c.target());
        } else if (action instanceof Action.Update u) {
            return "updating " + u.key() + " in " + Planner.name(u.target());
        } else if (action instanceof Action.Delete d) {
            return "deleting " + d.key() + " in " + Planner.name(d.target());
        } else if (action instanceof Action.Resolve r) {
            return "resolving the conflict on " + r.key();
        }
        return "recording " + action.key();
    }

    private String kind() {
        return pair.kind().name().toLowerCase(Locale.ROOT);
    }
}
