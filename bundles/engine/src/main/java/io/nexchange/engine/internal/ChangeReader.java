package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one side of a pair since its stored cursor, all pages. A dead cursor, or one another backend issued, means a
 * full listing; in a full listing every status row of that side that was not listed is gone. Removals are matched to
 * status rows by ref (DAV removals only carry a key guessed from the resource name).
 */
final class ChangeReader {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeReader.class);

    /** What one side showed in this round. */
    static final class Round {
        final Map<ItemKey, Change> seen = new LinkedHashMap<>();
        Cursor stored = Cursor.INITIAL;
        Cursor next = Cursor.INITIAL;
        boolean complete;
        int read;
        int listed;
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
        Round round;
        try {
            round = pages(side, endpoint, start);
        } catch (CursorExpiredException e) {
            LOG.info("{} {}: {} cursor expired ({}): full listing, matched by item key", pair.mailbox(), kind(),
                    Planner.name(side), e.getMessage());
            round = pages(side, endpoint, Cursor.INITIAL);
        }
        round.stored = stored;
        return round;
    }

    private Round pages(Side side, Endpoint endpoint, Cursor start) throws StoreException, StateException, Heartbeat.Halted {
        Map<String, ItemKey> keyByRef = null; // made at the first removal: an idle round reads no status
        Round round = new Round();
        Cursor cursor = start;
        boolean first = true;
        while (true) {
            Heartbeat.Pulse pulse = heartbeat.check();
            if (pulse != Heartbeat.Pulse.GO) {
                throw new Heartbeat.Halted(pulse);
            }
            ChangePage page = endpoint.source().changes(cursor);
            if (first) {
                round.complete = page.complete();
                first = false;
            }
            for (Change change : page.changes()) {
                round.read++;
                if (change.isRemoval()) {
                    if (keyByRef == null) {
                        keyByRef = new HashMap<>();
                        for (ItemStatus s : status.rows().values()) {
                            Map<String, ItemKey> refs = keyByRef;
                            s.side(side).ifPresent(st -> refs.put(st.ref(), s.key()));
                        }
                    }
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
            for (ItemStatus s : status.rows().values()) {
                s.side(side).ifPresent(st -> round.seen.putIfAbsent(s.key(), Change.removal(s.key(), st.ref())));
            }
        }
        return round;
    }

    /** Every item of a side, by key (read only when a create finds its item already there). */
    static Map<ItemKey, Item> fullListing(Endpoint endpoint) throws StoreException {
        Map<ItemKey, Item> listing = new HashMap<>();
        Cursor cursor = Cursor.INITIAL;
        while (true) {
            ChangePage page = endpoint.source().changes(cursor);
            for (Change change : page.changes()) {
                change.item().ifPresent(item -> listing.put(item.key(), item));
            }
            cursor = page.next();
            if (!page.hasMore()) {
                return listing;
            }
        }
    }

    private String kind() {
        return pair.kind().name().toLowerCase(Locale.ROOT);
    }
}
