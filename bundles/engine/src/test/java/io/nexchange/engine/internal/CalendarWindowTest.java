package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The calendar window bounds what is read and synced, never what exists (issue 13): against an Exchange side that
 * lists only the events of its window (as Graph's calendarView), names what is created through it by keys of its own
 * and hands content along, a full listing (the window's renewal, a dead delta token, a changed window) deletes only
 * what the side no longer has. An event outside the window stays on both sides, is asked about once, and syncs again as
 * the same item when it is back in the window.
 */
class CalendarWindowTest {
    static final SyncPair PAIR = new SyncPair("alice@example.org", CollectionKind.CALENDAR, "default", "nc:personal");

    MemoryStore.Collection ex;
    MemoryStore.Collection nc;
    MemoryStateStore state;

    @BeforeEach
    void world() {
        ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:x");
        ex.assignsOwnKeys = true;
        ex.eager = true;
        ex.window = item -> true;
        nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        state = new MemoryStateStore();
    }

    PairResult sync(Direction direction) throws Exception {
        return new PairSync(state, SyncSettings.defaults().with(direction)).sync(PAIR, new Endpoint("graph", ex, ex),
                new Endpoint("caldav", nc, nc), false);
    }

    /** Time passes (or the window setting changes): events whose summary names one of these are outside the window. */
    void outside(String... summaries) {
        ex.window = item -> java.util.Arrays.stream(summaries).noneMatch(s -> item.content().text().contains("SUMMARY:" + s));
    }

    boolean markedOutside(String key) throws Exception {
        return state.status(PAIR).get(ItemKey.event(key)).exchange().outsideWindow();
    }

    @ParameterizedTest
    @EnumSource(value = Direction.class, names = {"EXCHANGE_TO_NEXTCLOUD", "TWO_WAY"})
    void anExchangeEventThatLeavesTheWindowStaysInNextcloudAndIsAskedAboutOnce(Direction direction) throws Exception {
        ex.put("ex-1", ics("ex-1", "last month"));
        ex.put("ex-2", ics("ex-2", "next week"));
        ex.put("ex-3", ics("ex-3", "tomorrow"));
        assertEquals(3, sync(direction).created().get(Side.NEXTCLOUD));

        outside("last month");
        ex.expireCursors(); // the window's renewal: a full listing of the moved window
        assertEquals(0, sync(direction).writes(), "an event outside the window is not deleted");
        assertEquals(Set.of("ex-1", "ex-2", "ex-3"), nc.contentsByUid().keySet());
        assertEquals(1, ex.fetched, "the one unlisted event was asked about");
        assertTrue(markedOutside("ex-1"));

        ex.expireCursors();
        nc.expireCursors();
        assertEquals(0, sync(direction).writes());
        assertEquals(1, ex.fetched, "an event known to be outside the window is not asked about again");
        assertEquals(Set.of("ex-1", "ex-2", "ex-3"), nc.contentsByUid().keySet(), "nor is its Nextcloud copy new to Exchange");
        assertEquals(3, ex.items.size(), "no copy of it was created in Exchange");

        // a real deletion in Exchange still deletes: found gone at a full listing, or reported by the delta
        ex.remove("ex-2");
        ex.expireCursors();
        assertEquals(1, sync(direction).deleted().get(Side.NEXTCLOUD));
        assertEquals(2, ex.fetched, "the unlisted event was asked about and found gone");
        ex.remove("ex-3");
        assertEquals(1, sync(direction).deleted().get(Side.NEXTCLOUD));
        assertEquals(Set.of("ex-1"), nc.contentsByUid().keySet());

        // back in the window (the setting widened): the same item, the mark ends, nothing written
        ex.window = item -> true;
        ex.expireCursors();
        assertEquals(0, sync(direction).writes());
        assertFalse(markedOutside("ex-1"));
        assertEquals(Set.of("ex-1"), nc.contentsByUid().keySet());
        assertEquals(0, sync(direction).writes());
    }

    @Test
    void nextcloudEventsOutsideTheWindowAreCreatedInExchangeOnceAndNeverDeletedFromNextcloudByTheWindow() throws Exception {
        outside("90 days back", "500 days ahead");
        nc.put("nc-past", ics("nc-past", "90 days back"));
        nc.put("nc-ahead", ics("nc-ahead", "500 days ahead"));
        assertEquals(2, sync(Direction.TWO_WAY).created().get(Side.EXCHANGE));
        assertEquals(0, sync(Direction.TWO_WAY).writes(), "the echo (Exchange's delta does not show them)");

        ex.expireCursors(); // the renewal: the listing has neither, and the guard does not take that for an emptied calendar
        PairResult renewal = sync(Direction.TWO_WAY);
        assertEquals(0, renewal.writes(), "nothing deleted from Nextcloud: " + renewal);
        assertEquals(2, ex.fetched);
        assertTrue(markedOutside("nc-past") && markedOutside("nc-ahead"));
        ex.expireCursors();
        nc.expireCursors(); // Nextcloud's full listing too: its items are known, not new
        assertEquals(0, sync(Direction.TWO_WAY).writes());
        assertEquals(2, ex.items.size(), "no duplicate in Exchange");
        assertEquals(Set.of("nc-past", "nc-ahead"), nc.contentsByUid().keySet());
        assertEquals(2, ex.fetched);

        // edited in Exchange into the window: synced as the same item (the Nextcloud UID kept), the mark ended
        Item ahead = ex.items.values().stream().filter(i -> i.content().text().contains("500 days ahead")).findFirst()
                .orElseThrow();
        ex.put(ahead.key().value(), ics(ahead.key().value(), "moved into the window"));
        assertEquals(1, sync(Direction.TWO_WAY).updated().get(Side.NEXTCLOUD));
        assertEquals(ics("nc-ahead", "moved into the window"), nc.contentsByUid().get("nc-ahead"));
        assertFalse(markedOutside("nc-ahead"));
        assertEquals(Set.of(ItemKey.event("nc-past"), ItemKey.event("nc-ahead")), state.status(PAIR).keySet());

        // edited in Nextcloud while outside the window: Exchange's item is updated, not re-created
        nc.put("nc-past", ics("nc-past", "90 days back, edited"));
        assertEquals(1, sync(Direction.TWO_WAY).updated().get(Side.EXCHANGE));
        assertEquals(2, ex.items.size());
        ex.expireCursors();
        assertEquals(0, sync(Direction.TWO_WAY).writes());
        assertEquals(List.of("nc-ahead", "nc-past"), nc.contentsByUid().keySet().stream().sorted().toList());
    }

    /** EWS lists every item but leaves those outside its window out of a fetch: listed means there, never deleted. */
    @Test
    void anItemAFullListingShowsButWhoseContentIsNotHandedOutIsNotDeleted() throws Exception {
        ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "ews:x");
        ex.put("ex-1", ics("ex-1", "last month"));
        ex.put("ex-2", ics("ex-2", "next week"));
        assertEquals(2, sync(Direction.TWO_WAY).created().get(Side.NEXTCLOUD));
        ex.put("ex-1", ics("ex-1", "last month, moved further back"));
        ex.unanswered = item -> item.content().text().contains("last month");
        ex.expireCursors(); // a dead SyncState
        assertEquals(0, sync(Direction.TWO_WAY).writes());
        assertEquals(Set.of("ex-1", "ex-2"), nc.contentsByUid().keySet());
    }
}
