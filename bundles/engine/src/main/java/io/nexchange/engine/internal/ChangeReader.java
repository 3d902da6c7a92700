package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.SideStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one side of a pair since its stored cursor, all pages. A dead cursor, or one another backend issued, means a
 * full listing; in a full listing every status row of that side that was not listed is gone, unless the listing is of a
 * window ({@link ChangePage#windowed}): then the source is asked about those rows, and those it still has are outside the
 * window, kept and marked. Removals and items listed
 * without content are matched to status rows by ref (DAV listings only carry a key guessed from the resource name).
 * Content is fetched only for items whose version differs from the status row's, in batches.
 */
final class ChangeReader {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeReader.class);

    /** Refs per {@link io.nexchange.api.source.ItemSource#fetch} call (the source splits them into its own batches). */
    static final int FETCH_BATCH = 100;

    /** What one side showed in this round. */
    static final class Round {
        final Map<ItemKey, Change> seen = new LinkedHashMap<>();
        /** Items listed but unreadable ({@link Change#unreadable}), by ref: quarantined, never taken as gone. */
        final Map<String, Change> unreadable = new LinkedHashMap<>();
        Cursor stored = Cursor.INITIAL;
        Cursor next = Cursor.INITIAL;
        boolean complete;
        /** A complete round of a source with a window ({@link ChangePage#windowed}): it lists the window's items only. */
        boolean windowed;
        /**
         * Items a windowed complete round did not list but the source still has (fetched to be sure): outside the window,
         * kept and marked ({@link io.nexchange.api.state.SideStatus#outsideWindow}), never taken as deleted.
         */
        final Set<ItemKey> outsideWindow = new java.util.HashSet<>();
        int read;
        int listed;
        /** Read in full and fetched whole because the transformers of this side's items changed ({@link Rendering}). */
        boolean rerendered;
    }

    /** The pair's status rows, read from the state store only when a round needs them (see {@link PairSync}). */
    interface Status {
        Map<ItemKey, ItemStatus> rows() throws StateException;
    }

    private final SyncStateStore state;
    private final SyncPair pair;
    private final Status status;
    private final Heartbeat heartbeat;

    ChangeReader(SyncStateStore state, SyncPair pair, Status status, Heartbeat heartbeat) {
        this.state = state;
        this.pair = pair;
        this.status = status;
        this.heartbeat = heartbeat;
    }

    /** @throws Heartbeat.Halted if the heartbeat said stop between two pages (nothing was written) */
    Round read(Side side, Endpoint endpoint) throws StoreException, StateException, Heartbeat.Halted {
        Cursor stored = state.cursor(pair, side);
        Cursor start = BackendCursor.unwrap(endpoint.backend(), stored);
        if (!stored.isInitial() && start.isInitial()) {
            LOG.info("{} {}: the stored {} cursor was issued by backend '{}', now '{}': full listing, matched by item key",
                    pair.mailbox(), kind(), Planner.name(side), BackendCursor.issuer(stored), endpoint.backend());
        }
        boolean rerender = !stored.isInitial() && !BackendCursor.rendering(stored).equals(endpoint.rendering());
        if (rerender) {
            // what was written to the other side depends on the transformers: read everything, render it again
            LOG.info("{} {}: the transformers of {} items changed: every item read again, rewritten where it now renders "
                    + "differently", pair.mailbox(), kind(), Planner.name(side));
            start = Cursor.INITIAL;
        }
        Round round;
        try {
            round = pages(side, endpoint, start, rerender);
        } catch (CursorExpiredException e) {
            LOG.info("{} {}: {} cursor expired ({}): full listing, matched by item key", pair.mailbox(), kind(),
                    Planner.name(side), e.getMessage());
            round = pages(side, endpoint, Cursor.INITIAL, rerender);
        }
        round.stored = stored;
        round.rerendered = rerender;
        return round;
    }

    /** @param fetchAll fetch the content of every listed item, not only of those whose version changed */
    private Round pages(Side side, Endpoint endpoint, Cursor start, boolean fetchAll)
            throws StoreException, StateException, Heartbeat.Halted {
        Round round = new Round();
        List<Change> listed = new ArrayList<>();
        Cursor cursor = start;
        boolean first = true;
        while (true) {
            checkHeartbeat();
            ChangePage page = endpoint.source().changes(cursor);
            if (first) {
                round.complete = page.complete();
                round.windowed = page.complete() && page.windowed();
                first = false;
            }
            listed.addAll(page.changes());
            round.read += page.changes().size();
            cursor = page.next();
            if (!page.hasMore()) {
                break;
            }
        }
        round.next = cursor;
        if (listed.isEmpty() && !round.complete) {
            return round; // nothing changed on this side: no status rows needed (an idle pair reads none)
        }
        Map<ItemKey, ItemStatus> rows = status.rows();
        Map<String, ItemKey> keyByRef = new HashMap<>();
        Map<String, SideStatus> synced = new HashMap<>();
        rows.values().forEach(s -> s.side(side).ifPresent(st -> {
            keyByRef.put(st.ref(), s.key());
            synced.put(st.ref(), st);
        }));
        for (Change change : withContent(endpoint, listed, fetchAll ? Map.of() : synced, keyByRef)) {
            if (change.isUnreadable()) {
                // there, but not readable: neither a deletion nor content; the engine quarantines it
                round.unreadable.put(change.ref(), change);
                round.seen.remove(keyByRef.getOrDefault(change.ref(), change.key()));
                continue;
            }
            round.unreadable.remove(change.ref());
            if (change.isRemoval()) {
                // DAV removals carry a key guessed from the resource name: the ref is authoritative
                ItemKey key = keyByRef.getOrDefault(change.ref(), change.key());
                Change earlier = round.seen.get(key);
                if (earlier != null && !earlier.isRemoval() && !earlier.ref().equals(change.ref())) {
                    continue; // the item moved to a new ref this round; the old ref's removal is not a deletion
                }
                round.seen.put(key, change);
            } else {
                // an item at a ref status knows is that row's item, whatever this side calls it (Graph names an event
                // created through it by a new iCalUId, a contact by a new id): one item, one key for ever
                ItemKey key = keyByRef.getOrDefault(change.ref(), change.key());
                Change earlier = round.seen.get(key);
                if (earlier != null && !earlier.isRemoval() && !earlier.ref().equals(change.ref())) {
                    // one key at two refs of one side (a UID twice in a collection): the item status knows keeps the key,
                    // else the first listed; the other is quarantined, never taken for the same item (it would flip-flop)
                    boolean keepLater = keyByRef.containsKey(change.ref()) && !keyByRef.containsKey(earlier.ref());
                    Change other = keepLater ? earlier : change;
                    round.seen.put(key, keepLater ? ItemIdentity.under(key, change) : earlier);
                    round.unreadable.put(other.ref(), Change.unreadable(other.key(), other.ref(), other.version().orElseThrow(),
                            other.item().map(i -> ItemSummary.of(i.content())).orElse(""), "it has the same UID (" + key.value()
                                    + ") as the item at " + (keepLater ? change : earlier).ref() + " in the same " + kind()
                                    + "; give one of them another UID, or remove the copy"));
                    continue;
                }
                round.seen.put(key, ItemIdentity.under(key, change));
                round.listed++;
            }
        }
        if (round.complete) {
            // a full listing: what status knows on this side and the listing did not show is gone (a windowed listing:
            // unless the source still has it, outside its window)
            java.util.Set<ItemKey> unreadableKeys = new java.util.HashSet<>();
            round.unreadable.values().forEach(c -> unreadableKeys.add(keyByRef.getOrDefault(c.ref(), c.key())));
            // listed as existing, even where the fetch of its content got no answer (EWS leaves out an item outside its
            // window): never gone
            Set<String> existing = new java.util.HashSet<>();
            listed.forEach(c -> {
                if (!c.isRemoval()) {
                    existing.add(c.ref());
                }
            });
            List<ItemStatus> unlisted = new ArrayList<>();
            for (ItemStatus s : rows.values()) {
                s.side(side).ifPresent(st -> {
                    if (round.unreadable.containsKey(st.ref()) || unreadableKeys.contains(s.key()) || existing.contains(st.ref())
                            || round.seen.containsKey(s.key())) {
                        return;
                    }
                    if (!round.windowed) {
                        round.seen.put(s.key(), Change.removal(s.key(), st.ref()));
                    } else if (!st.outsideWindow()) {
                        unlisted.add(s); // asked about below; one that left the window earlier is not asked again
                    }
                });
            }
            confirmOutsideWindow(side, endpoint, unlisted, round);
        }
        return round;
    }

    /**
     * The items status knows that a windowed complete round did not list, asked of the source by ref ({@link
     * io.nexchange.api.source.ItemSource#fetch}, in batches): gone → removal; still there → outside the window, observed as
     * it is now and marked; unreadable → quarantined; not answered → left as status has it, asked again at the next
     * complete round.
     */
    private void confirmOutsideWindow(Side side, Endpoint endpoint, List<ItemStatus> unlisted, Round round)
            throws StoreException, Heartbeat.Halted {
        if (unlisted.isEmpty()) {
            return;
        }
        List<String> refs = new ArrayList<>();
        unlisted.forEach(s -> refs.add(s.side(side).orElseThrow().ref()));
        Map<String, Change> answers = fetch(endpoint, refs);
        int outside = 0;
        int gone = 0;
        for (ItemStatus s : unlisted) {
            String ref = s.side(side).orElseThrow().ref();
            Change answer = answers.get(ref);
            if (answer == null) {
                continue;
            }
            if (answer.isRemoval()) {
                round.seen.put(s.key(), Change.removal(s.key(), ref));
                gone++;
            } else if (answer.isUnreadable()) {
                round.unreadable.put(ref, answer);
            } else {
                round.seen.put(s.key(), ItemIdentity.under(s.key(), answer));
                round.outsideWindow.add(s.key());
                outside++;
            }
        }
        LOG.info("{} {}: {} items synced before were not in {}'s full listing of its window, asked by id: {} are outside the "
                + "window (kept on both sides, not synced until they are in it again), {} were deleted", pair.mailbox(), kind(),
                refs.size(), Planner.name(side), outside, gone);
    }

    /**
     * The listing with content where it is needed: items listed without content in the version status knows stay as
     * they are (keyed as status knows them); the others are fetched in batches, unless the source handed their content
     * along. A ref the source did not answer for is left out (the source logs why).
     */
    private List<Change> withContent(Endpoint endpoint, List<Change> listed, Map<String, SideStatus> synced,
            Map<String, ItemKey> keyByRef) throws StoreException, Heartbeat.Halted {
        Set<String> wanted = new LinkedHashSet<>();
        for (Change change : listed) {
            if (!change.isRemoval() && !change.isUnreadable() && change.item().isEmpty()) {
                SideStatus known = synced.get(change.ref());
                if (known == null || !known.version().equals(change.version().orElseThrow())) {
                    wanted.add(change.ref());
                }
            }
        }
        Map<String, Change> fetched = fetch(endpoint, new ArrayList<>(wanted));
        List<Change> out = new ArrayList<>(listed.size());
        for (Change change : listed) {
            if (change.isRemoval() || change.isUnreadable() || change.item().isPresent()) {
                out.add(change);
            } else if (wanted.contains(change.ref())) {
                Change answer = fetched.get(change.ref());
                if (answer != null) {
                    out.add(answer);
                }
            } else {
                out.add(Change.listed(keyByRef.get(change.ref()), change.ref(), change.version().orElseThrow()));
            }
        }
        return out;
    }

    /** Fetches the refs in batches of {@value #FETCH_BATCH}, checking the heartbeat between them; by ref. */
    private Map<String, Change> fetch(Endpoint endpoint, List<String> refs) throws StoreException, Heartbeat.Halted {
        Map<String, Change> byRef = new HashMap<>();
        for (int from = 0; from < refs.size(); from += FETCH_BATCH) {
            checkHeartbeat();
            for (Change change : endpoint.source().fetch(refs.subList(from, Math.min(refs.size(), from + FETCH_BATCH)))) {
                byRef.put(change.ref(), change);
            }
        }
        return byRef;
    }

    private void checkHeartbeat() throws Heartbeat.Halted {
        Heartbeat.Pulse pulse = heartbeat.check();
        if (pulse != Heartbeat.Pulse.GO) {
            throw new Heartbeat.Halted(pulse);
        }
    }

    /**
     * Every item of a side by key, read only when a write found its item other than expected (a create finds it
     * already there, an update is refused with 412): an upsert with its content (fetched where it was listed without),
     * or an unreadable entry (there, but not readable: never to be taken as absent).
     */
    static Map<ItemKey, Change> fullListing(Endpoint endpoint) throws StoreException {
        List<Change> listed = new ArrayList<>();
        Cursor cursor = Cursor.INITIAL;
        while (true) {
            ChangePage page = endpoint.source().changes(cursor);
            listed.addAll(page.changes());
            cursor = page.next();
            if (!page.hasMore()) {
                break;
            }
        }
        Map<ItemKey, Change> listing = new HashMap<>();
        List<String> refs = new ArrayList<>();
        for (Change change : listed) {
            if (change.item().isPresent() || change.isUnreadable()) {
                listing.put(change.key(), change);
            } else if (!change.isRemoval()) {
                refs.add(change.ref());
            }
        }
        for (int from = 0; from < refs.size(); from += FETCH_BATCH) {
            for (Change change : endpoint.source().fetch(refs.subList(from, Math.min(refs.size(), from + FETCH_BATCH)))) {
                if (!change.isRemoval()) {
                    listing.put(change.key(), change);
                }
            }
        }
        return listing;
    }

    private String kind() {
        return pair.kind().name().toLowerCase(Locale.ROOT);
    }
}
