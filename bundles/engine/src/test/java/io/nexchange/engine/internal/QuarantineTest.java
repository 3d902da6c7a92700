package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One bad item never stalls a pair (issue 14 item 2, issue 13 "stuck pairs"); a 412 is reconciled in the same run. */
class QuarantineTest {
    static final SyncPair PAIR = PairSyncTest.PAIR;
    static final String BAD = "X-BROKEN";

    final MemoryStore.Collection ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
    final MemoryStore.Collection nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
    final MemoryStateStore state = new MemoryStateStore();
    final SyncSettings oneWay = SyncSettings.defaults().with(Direction.EXCHANGE_TO_NEXTCLOUD);
    final SyncSettings twoWay = SyncSettings.defaults().with(Direction.TWO_WAY);

    PairResult sync(SyncSettings settings) throws Exception {
        return new PairSync(state, settings).sync(PAIR, new Endpoint("graph", ex, ex), new Endpoint("vdir", nc, nc), false);
    }

    @BeforeEach
    void items() {
        for (int i = 0; i < 4; i++) {
            ex.put("e" + i, ics("e" + i, "event " + i));
        }
    }

    static String broken(String uid, String summary) {
        return ics(uid, summary).replace("END:VEVENT", BAD + ":1\r\nEND:VEVENT");
    }

    @Test
    void anItemTheTargetRefusesIsQuarantinedTheRestSyncsAndTheCursorMovesOn() throws Exception {
        ex.put("bad", broken("bad", "Board meeting"));
        nc.reject(BAD, new ItemRejectedException("HTTP 415: not valid iCalendar"));

        PairResult first = sync(oneWay);
        assertEquals(PairResult.Outcome.SYNCED, first.outcome(), "a quarantined item does not make the pair partial");
        assertEquals(4, first.created().get(Side.NEXTCLOUD));
        assertEquals(1, first.quarantined());
        List<QuarantinedItem> held = state.quarantined(PAIR);
        assertEquals(1, held.size());
        QuarantinedItem q = held.get(0);
        assertEquals(Side.EXCHANGE, q.side());
        assertEquals(ex.byUid("bad").ref(), q.ref());
        assertEquals(ex.byUid("bad").version(), q.version());
        assertEquals(ItemKey.event("bad"), q.key());
        assertEquals("Board meeting", q.summary());
        assertEquals("HTTP 415: not valid iCalendar", q.reason());
        assertTrue(q.held());
        assertNotEquals(Cursor.INITIAL, state.cursor(PAIR, Side.EXCHANGE), "the cursor moved past the bad item");

        ex.put("later", ics("later", "added later"));
        PairResult second = sync(oneWay);
        assertEquals(1, second.created().get(Side.NEXTCLOUD), "a new item syncs in the next run");
        ex.expireCursors(); // a full listing shows the bad item again, unchanged
        PairResult third = sync(oneWay);
        assertEquals(0, third.writes());
        assertEquals(1, nc.rejected, "not tried again while unchanged, even in a full listing");
        assertEquals(PairResult.Outcome.SYNCED, third.outcome());
        assertEquals(1, state.quarantined(PAIR).size());

        ex.put("bad", ics("bad", "Board meeting (repaired)"));
        PairResult repaired = sync(oneWay);
        assertEquals(1, repaired.created().get(Side.NEXTCLOUD));
        assertEquals(0, repaired.quarantined());
        assertEquals(List.of(), state.quarantined(PAIR), "a successful sync ends the quarantine");
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
    }

    @Test
    void aFailureWithoutVerdictKeepsTheCursorsUntilItRecursThenTheItemIsHeld() throws Exception {
        ex.put("odd", broken("odd", "odd one"));
        nc.reject(BAD, new StoreException("HTTP 409 Conflict", false));
        for (int run = 1; run < Quarantine.HOLD_AFTER; run++) {
            PairResult r = sync(oneWay);
            assertEquals(PairResult.Outcome.PARTIAL, r.outcome(), "run " + run);
            assertEquals(Cursor.INITIAL, state.cursor(PAIR, Side.EXCHANGE), "the cursors stay while it may pass");
            assertFalse(state.quarantined(PAIR).get(0).held());
            assertEquals(run, state.quarantined(PAIR).get(0).attempts());
        }
        PairResult held = sync(oneWay);
        assertEquals(PairResult.Outcome.SYNCED, held.outcome());
        assertEquals(1, held.quarantined());
        assertNotEquals(Cursor.INITIAL, state.cursor(PAIR, Side.EXCHANGE));
        assertEquals(Quarantine.HOLD_AFTER, nc.rejected);
    }

    @Test
    void transientFailuresAndFailuresOfEveryItemQuarantineNothing() throws Exception {
        nc.reject("event", new StoreException("HTTP 503", true));
        for (int run = 0; run < Quarantine.HOLD_AFTER + 1; run++) {
            assertEquals(PairResult.Outcome.PARTIAL, sync(oneWay).outcome());
        }
        assertEquals(List.of(), state.quarantined(PAIR), "a transient failure is never the item's");

        for (int i = 4; i < 12; i++) {
            ex.put("e" + i, ics("e" + i, "event " + i));
        }
        nc.reject("event", new StoreException("HTTP 403 Forbidden", false));
        nc.rejected = 0;
        for (int run = 0; run < Quarantine.HOLD_AFTER + 1; run++) {
            PairResult r = sync(oneWay);
            assertEquals(PairResult.Outcome.PARTIAL, r.outcome());
            assertEquals(ActionExecutor.MAX_CONSECUTIVE_FAILURES, nc.rejected / (run + 1), "stops after consecutive failures");
        }
        assertEquals(List.of(), state.quarantined(PAIR), "every item failing is the pair's trouble, not each item's");
        assertEquals(Cursor.INITIAL, state.cursor(PAIR, Side.EXCHANGE));
    }

    @Test
    void twoWayANextcloudItemExchangeCannotHoldIsQuarantinedOnTheNextcloudSide() throws Exception {
        sync(twoWay);
        nc.put("n1", broken("n1", "weekly, every 2nd leap day"));
        nc.put("n2", ics("n2", "fine"));
        ex.reject(BAD, new ItemRejectedException("Exchange cannot store the recurrence"));
        PairResult r = sync(twoWay);
        assertEquals(PairResult.Outcome.SYNCED, r.outcome());
        assertEquals(1, r.created().get(Side.EXCHANGE));
        QuarantinedItem q = state.quarantined(PAIR).get(0);
        assertEquals(Side.NEXTCLOUD, q.side());
        assertEquals(nc.byUid("n1").version(), q.version());
        assertEquals(0, sync(twoWay).writes());
        assertEquals(1, ex.rejected);

        nc.put("n1", ics("n1", "weekly"));
        PairResult edited = sync(twoWay);
        assertEquals(1, edited.created().get(Side.EXCHANGE), "retried when it changes");
        assertEquals(List.of(), state.quarantined(PAIR));
    }

    @Test
    void anOperatorRetryReadsTheSideAgainAndTriesTheItem() throws Exception {
        ex.put("bad", broken("bad", "Board meeting"));
        nc.reject(BAD, new ItemRejectedException("HTTP 415"));
        sync(oneWay);
        nc.reject(BAD, null); // the cause was fixed (a new bundle, a server setting)
        assertEquals(0, sync(oneWay).writes(), "unchanged: still held");
        assertEquals(1, state.retryQuarantined(PAIR.mailbox(), "bad").size());
        PairResult retried = sync(oneWay);
        assertEquals(1, retried.created().get(Side.NEXTCLOUD));
        assertEquals(List.of(), state.quarantined(PAIR));
    }

    @Test
    void anUpdateRefusedWith412IsReadAgainAndReconciledInTheSameRun() throws Exception {
        sync(twoWay);
        ex.put("e1", ics("e1", "moved in Exchange"));
        AtomicBoolean once = new AtomicBoolean();
        nc.onWrite = () -> {
            if (once.compareAndSet(false, true)) {
                nc.put("e1", ics("e1", "edited in Nextcloud at the same moment"));
            }
        };
        int pagesBefore = nc.reads;
        PairResult r = sync(twoWay);
        assertEquals(PairResult.Outcome.SYNCED, r.outcome(), "not left for the next cycle");
        assertEquals(1, nc.reads - pagesBefore, "the item alone is fetched again, not the whole listing");
        assertEquals(1, r.conflicts(), "re-read: an edit on both sides, for the policy (exchange-wins)");
        assertEquals(ics("e1", "moved in Exchange"), nc.byUid("e1").content().text());
        assertEquals(0, sync(twoWay).writes());
    }

    @Test
    void anItemTheSourceCannotReadIsQuarantinedAndNeverTakenAsGone() throws Exception {
        sync(oneWay);
        ex.unreadableMarker = BAD;
        ex.put("e2", broken("e2", "now unreadable"));
        ex.put("e9", ics("e9", "new"));
        PairResult r = sync(oneWay);
        assertEquals(PairResult.Outcome.SYNCED, r.outcome());
        assertEquals(1, r.created().get(Side.NEXTCLOUD));
        QuarantinedItem q = state.quarantined(PAIR).get(0);
        assertEquals("field X cannot be read", q.reason());
        assertEquals("unreadable e2", q.summary());
        assertEquals(ics("e2", "event 2"), nc.byUid("e2").content().text(), "the synced version stays");

        ex.expireCursors(); // a full listing does not list e2 readably: still not a deletion
        PairResult full = sync(oneWay);
        assertEquals(0, full.writes());
        assertEquals(ics("e2", "event 2"), nc.byUid("e2").content().text());
        assertEquals(1, state.quarantined(PAIR).get(0).attempts() - 1, "seen again, counted, not logged again");

        ex.put("e2", ics("e2", "readable again"));
        assertEquals(1, sync(oneWay).updated().get(Side.NEXTCLOUD));
        assertEquals(List.of(), state.quarantined(PAIR));
    }

    @Test
    void anEditOfAnItemTheOtherSideCannotReadWaitsInsteadOfDuplicating() throws Exception {
        sync(twoWay);
        ex.unreadableMarker = BAD;
        ex.put("e1", broken("e1", "unreadable in Exchange"));
        sync(twoWay);
        nc.put("e1", ics("e1", "edited in Nextcloud"));
        PairResult r = sync(twoWay);
        assertEquals(PairResult.Outcome.PARTIAL, r.outcome(), "412, re-read: Exchange has it but cannot read it");
        assertEquals(0, r.writes());
        assertEquals(4, ex.items.size(), "no duplicate");
        assertTrue(ex.byUid("e1").content().text().contains(BAD), "the Exchange version is not overwritten blindly");
    }
}
