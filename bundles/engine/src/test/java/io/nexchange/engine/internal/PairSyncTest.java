package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision table with in-memory stores on both sides; names follow the incidents they prevent. */
class PairSyncTest {
    static final SyncPair PAIR = new SyncPair("alice@example.org", CollectionKind.CALENDAR, "default", "nc:personal");

    MemoryStore.Collection ex;
    MemoryStore.Collection nc;
    MemoryStateStore state;
    String exchangeBackend = "graph";
    SyncSettings oneWay = SyncSettings.defaults().with(Direction.EXCHANGE_TO_NEXTCLOUD);
    SyncSettings twoWay = SyncSettings.defaults().with(Direction.TWO_WAY);

    @BeforeEach
    void setUp() {
        ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        state = new MemoryStateStore();
    }

    PairResult sync(SyncSettings settings) throws Exception {
        return sync(settings, false);
    }

    PairResult sync(SyncSettings settings, boolean allowDeletions) throws Exception {
        return new PairSync(state, settings).sync(PAIR, new Endpoint(exchangeBackend, ex, ex), new Endpoint("vdir", nc, nc),
                allowDeletions);
    }

    void exchangeHas(int n) {
        for (int i = 0; i < n; i++) {
            ex.put("e" + i, ics("e" + i, "event " + i));
        }
    }

    @Test
    void initialSyncCopiesEveryExchangeItemToNextcloud() throws Exception {
        exchangeHas(20);
        PairResult r = sync(oneWay);
        assertEquals(PairResult.Outcome.SYNCED, r.outcome());
        assertEquals(20, r.created().get(Side.NEXTCLOUD));
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
        assertEquals(20, state.status(PAIR).size());
        assertTrue(state.cursor(PAIR, Side.EXCHANGE).value().startsWith("graph|"), "the cursor names its backend");
    }

    @Test
    void secondRunOverUnchangedDataWritesNothing() throws Exception {
        exchangeHas(20);
        sync(twoWay);
        int exWrites = ex.writes;
        int ncWrites = nc.writes;
        int commits = state.commits;
        PairResult second = sync(twoWay); // sees the echo of its own writes on the Nextcloud side
        PairResult third = sync(twoWay);
        assertEquals(0, second.writes());
        assertEquals(0, third.writes());
        assertEquals(exWrites, ex.writes);
        assertEquals(ncWrites, nc.writes);
        assertEquals(0, third.read().get(Side.EXCHANGE) + third.read().get(Side.NEXTCLOUD));
        assertTrue(state.commits <= commits + 1, "an idle cycle commits nothing (the echo round commits the cursor once)");
    }

    @Test
    void versionChurnWithoutContentChangeWritesNothing() throws Exception {
        exchangeHas(5);
        sync(twoWay);
        ex.touch("e1");
        nc.touch("e2");
        PairResult r = sync(twoWay);
        assertEquals(0, r.writes());
        assertEquals(ex.byUid("e1").version(), state.status(PAIR).get(ItemKey.event("e1")).exchange().version(),
                "the new version is remembered so it is not compared again");
    }

    @Test
    void exchangeEditAndDeletionReachNextcloud() throws Exception {
        exchangeHas(20);
        sync(oneWay);
        ex.put("e3", ics("e3", "moved"));
        ex.remove("e4");
        PairResult r = sync(oneWay);
        assertEquals(1, r.updated().get(Side.NEXTCLOUD));
        assertEquals(1, r.deleted().get(Side.NEXTCLOUD));
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
        assertNull(state.status(PAIR).get(ItemKey.event("e4")));
    }

    @Test
    void deadCursorResyncCreatesNoDuplicates() throws Exception {
        exchangeHas(20);
        sync(oneWay);
        ex.put("e1", ics("e1", "edited while the cursor died"));
        ex.remove("e2");
        ex.put("new", ics("new", "created while the cursor died"));
        ex.expireCursors();
        nc.expireCursors();
        PairResult r = sync(oneWay);
        assertEquals(PairResult.Outcome.SYNCED, r.outcome());
        assertEquals(1, r.created().get(Side.NEXTCLOUD));
        assertEquals(1, r.updated().get(Side.NEXTCLOUD));
        assertEquals(1, r.deleted().get(Side.NEXTCLOUD), "a full listing that lacks an item is its deletion");
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
        assertEquals(20, nc.items.size());
        assertEquals(0, sync(oneWay).writes());
    }

    @Test
    void emptiedSourceTripsMassDeletionGuard() throws Exception {
        exchangeHas(20);
        sync(oneWay);
        Map<ItemKey, ?> statusBefore = state.status(PAIR);
        Cursor cursorBefore = state.cursor(PAIR, Side.EXCHANGE);
        ex.listEmpty(true); // Exchange answers a full listing with nothing (a broken backend, a wrong folder)
        ex.expireCursors();
        PairResult r = sync(oneWay);
        assertEquals(PairResult.Outcome.GUARDED, r.outcome());
        assertEquals(0, r.writes());
        assertEquals(20, nc.items.size());
        assertEquals(statusBefore, state.status(PAIR));
        assertEquals(cursorBefore, state.cursor(PAIR, Side.EXCHANGE), "cursors are kept so nothing is lost");
        assertTrue(r.alert().contains("alice@example.org") && r.alert().contains("--allow-deletions alice@example.org")
                && r.alert().contains("listed EMPTY") && r.alert().contains("20 items"), r.alert());
    }

    @Test
    void deletingMoreThanTheShareTripsTheGuardUnlessAllowed() throws Exception {
        exchangeHas(20);
        sync(oneWay);
        for (int i = 0; i < 11; i++) {
            ex.remove("e" + i);
        }
        PairResult guarded = sync(oneWay);
        assertEquals(PairResult.Outcome.GUARDED, guarded.outcome());
        assertTrue(guarded.alert().contains("11 of 20"), guarded.alert());
        assertEquals(20, nc.items.size());
        PairResult allowed = sync(oneWay, true);
        assertEquals(PairResult.Outcome.SYNCED, allowed.outcome());
        assertEquals(11, allowed.deleted().get(Side.NEXTCLOUD));
        assertEquals(9, nc.items.size());
    }

    @Test
    void deletingUpToTheShareIsNormalWork() throws Exception {
        exchangeHas(20);
        sync(oneWay);
        for (int i = 0; i < 10; i++) {
            ex.remove("e" + i);
        }
        assertEquals(10, sync(oneWay).deleted().get(Side.NEXTCLOUD));
    }

    @Test
    void crashAfterRemoteWriteBeforeStatusCommitAdoptsInsteadOfDuplicating() throws Exception {
        exchangeHas(10);
        nc.crashAfter(4, true, new IllegalStateException("power cut"));
        try {
            sync(oneWay.withBatchSize(100));
        } catch (IllegalStateException expected) {
            // the process died after the fifth write, before any commit
        }
        assertEquals(5, nc.items.size());
        assertTrue(state.status(PAIR).isEmpty());
        PairResult rerun = sync(oneWay);
        assertEquals(5, rerun.created().get(Side.NEXTCLOUD));
        assertEquals(5, rerun.adopted());
        assertEquals(10, nc.items.size());
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
    }

    @Test
    void createFindingTheItemAlreadyThereAdoptsItEvenIfNotObserved() throws Exception {
        exchangeHas(3);
        nc.put("e1", ics("e1", "event 1"));          // same content, made by an earlier run whose status was lost
        nc.put("e2", ics("e2", "edited meanwhile")); // different content
        // the Nextcloud cursor was committed past those items: the round does not show them
        state.commit(PAIR, new StatusUpdate().cursor(Side.NEXTCLOUD, BackendCursor.wrap("vdir", nc.now())));
        PairResult r = sync(oneWay);
        assertEquals(1, r.created().get(Side.NEXTCLOUD));
        assertEquals(1, r.adopted());
        assertEquals(1, r.updated().get(Side.NEXTCLOUD), "exchange-wins overwrites the differing one");
        assertEquals(3, nc.items.size());
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
    }

    @Test
    void deletedOnOneSideChangedOnOtherKeepsTheChange() throws Exception {
        exchangeHas(20);
        sync(twoWay);
        nc.remove("e1");
        ex.put("e1", ics("e1", "edited in Outlook"));
        ex.remove("e2");
        nc.put("e2", ics("e2", "edited in Nextcloud"));
        PairResult r = sync(twoWay);
        assertEquals(1, r.created().get(Side.NEXTCLOUD));
        assertEquals(1, r.created().get(Side.EXCHANGE));
        assertEquals(0, r.deleted().get(Side.EXCHANGE) + r.deleted().get(Side.NEXTCLOUD));
        assertTrue(nc.byUid("e1").content().text().contains("edited in Outlook"));
        assertTrue(ex.byUid("e2").content().text().contains("edited in Nextcloud"));
        assertEquals(0, sync(twoWay).writes());
    }

    @Test
    void backendSwitchEwsToGraphMatchesByKey() throws Exception {
        exchangeBackend = "ews";
        MemoryStore.Collection ews = new MemoryStore.Collection(CollectionKind.CALENDAR, "ews:AAMk");
        for (int i = 0; i < 20; i++) {
            ews.put("e" + i, ics("e" + i, "event " + i));
        }
        MemoryStore.Collection graph = ex;
        ex = ews;
        sync(oneWay);
        // the same mailbox seen through Graph: same keys and content, other refs, versions and cursors
        for (int i = 0; i < 20; i++) {
            graph.put("e" + i, ics("e" + i, "event " + i));
        }
        ex = graph;
        exchangeBackend = "graph";
        int ncWrites = nc.writes;
        PairResult switched = sync(oneWay);
        assertEquals(PairResult.Outcome.SYNCED, switched.outcome());
        assertEquals(20, switched.read().get(Side.EXCHANGE), "the EWS cursor is not offered to Graph: a full listing");
        assertEquals(0, switched.writes());
        assertEquals(ncWrites, nc.writes);
        assertEquals(20, nc.items.size());
        assertEquals(graph.byUid("e5").ref(), state.status(PAIR).get(ItemKey.event("e5")).exchange().ref());
        assertTrue(state.cursor(PAIR, Side.EXCHANGE).value().startsWith("graph|"));
        graph.put("e5", ics("e5", "edited after the switch"));
        PairResult after = sync(oneWay);
        assertEquals(1, after.updated().get(Side.NEXTCLOUD));
        assertEquals(1, after.read().get(Side.EXCHANGE), "the Graph cursor is used from now on");
    }

    @Test
    void oneWayNextcloudEditIsOverwrittenOnTheNextExchangeChange() throws Exception {
        exchangeHas(5);
        sync(oneWay);
        nc.put("e1", ics("e1", "edited in Nextcloud"));
        PairResult r = sync(oneWay);
        assertEquals(0, r.writes());
        assertEquals(1, r.suppressed());
        assertTrue(nc.byUid("e1").content().text().contains("edited in Nextcloud"), "kept until Exchange changes");
        assertEquals(0, sync(oneWay).suppressed(), "reported once");
        ex.put("e1", ics("e1", "edited in Outlook"));
        PairResult overwrite = sync(oneWay);
        assertEquals(1, overwrite.updated().get(Side.NEXTCLOUD));
        assertTrue(nc.byUid("e1").content().text().contains("edited in Outlook"));
    }

    @Test
    void oneWayNextcloudCreationAndDeletionAreLeftAloneAndReported() throws Exception {
        exchangeHas(5);
        sync(oneWay);
        nc.put("private", ics("private", "only in Nextcloud"));
        nc.remove("e2");
        PairResult r = sync(oneWay);
        assertEquals(0, r.writes());
        assertEquals(2, r.suppressed());
        assertEquals(5, ex.items.size());
        assertEquals(0, sync(oneWay).writes());
        ex.put("e2", ics("e2", "edited in Outlook"));
        assertEquals(1, sync(oneWay).created().get(Side.NEXTCLOUD), "the next Exchange change restores it");
        assertTrue(nc.byUid("private") != null);
    }

    @Test
    void twoWayCarriesNextcloudCreationsEditsAndDeletionsToExchange() throws Exception {
        exchangeHas(5);
        sync(twoWay);
        nc.put("fromNc", ics("fromNc", "made in Thunderbird"));
        nc.put("e1", ics("e1", "edited in Nextcloud"));
        nc.remove("e2");
        PairResult r = sync(twoWay);
        assertEquals(1, r.created().get(Side.EXCHANGE));
        assertEquals(1, r.updated().get(Side.EXCHANGE));
        assertEquals(1, r.deleted().get(Side.EXCHANGE));
        assertEquals(nc.contentsByUid(), ex.contentsByUid());
        assertEquals(0, sync(twoWay).writes());
    }

    @Test
    void conflictPoliciesDecideWhoseEditSurvives() throws Exception {
        exchangeHas(3);
        sync(twoWay);
        ex.put("e0", ics("e0", "outlook"));
        nc.put("e0", ics("e0", "nextcloud"));
        assertEquals(1, sync(twoWay).conflicts());
        assertTrue(nc.byUid("e0").content().text().contains("outlook"), "exchange-wins is the default");

        ex.put("e1", ics("e1", "outlook"));
        nc.put("e1", ics("e1", "nextcloud"));
        sync(twoWay.with(ConflictPolicy.NEXTCLOUD_WINS));
        assertTrue(ex.byUid("e1").content().text().contains("nextcloud"));

        ex.put("e2", ics("e2", "older").replace("DTSTAMP", "LAST-MODIFIED:20260105T100000Z\r\nDTSTAMP"));
        nc.put("e2", ics("e2", "newer").replace("DTSTAMP", "LAST-MODIFIED:20260106T100000Z\r\nDTSTAMP"));
        sync(twoWay.with(ConflictPolicy.NEWEST_WINS));
        assertTrue(ex.byUid("e2").content().text().contains("newer"));
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
        assertEquals(0, sync(twoWay).writes());
    }

    @Test
    void oneWayConflictAlwaysKeepsExchange() throws Exception {
        exchangeHas(3);
        sync(oneWay);
        ex.put("e0", ics("e0", "outlook"));
        nc.put("e0", ics("e0", "nextcloud"));
        sync(oneWay.with(ConflictPolicy.NEXTCLOUD_WINS));
        assertTrue(nc.byUid("e0").content().text().contains("outlook"));
        assertTrue(ex.byUid("e0").content().text().contains("outlook"));
    }

    @Test
    void aFailedItemKeepsTheCursorsSoItsChangeIsReadAgain() throws Exception {
        exchangeHas(5);
        sync(oneWay);
        Cursor before = state.cursor(PAIR, Side.EXCHANGE);
        ex.put("e1", ics("e1", "edited"));
        nc.failAfter(0, new io.nexchange.api.source.StoreException("HTTP 503 from the DAV server", true));
        PairResult failed = sync(oneWay);
        assertEquals(PairResult.Outcome.PARTIAL, failed.outcome());
        assertEquals(before, state.cursor(PAIR, Side.EXCHANGE));
        nc.heal();
        assertEquals(1, sync(oneWay).updated().get(Side.NEXTCLOUD));
        assertNotEquals(before, state.cursor(PAIR, Side.EXCHANGE));
        assertEquals(ex.contentsByUid(), nc.contentsByUid());
    }

    @Test
    void newestWinsReadsLastModifiedOrRev() {
        assertEquals("20260106100000", ConflictPolicy.stamp("LAST-MODIFIED:20260106T100000Z\r\n").orElseThrow());
        assertEquals("20260106100000", ConflictPolicy.stamp("REV:2026-01-06T10:00:00Z\r\n").orElseThrow());
        assertTrue(ConflictPolicy.stamp("SUMMARY:x").isEmpty());
    }

    @Test
    void theEchoOfOurWritesAndADeadCursorResyncFetchOnlyWhatChanged() throws Exception {
        exchangeHas(20);
        sync(oneWay);
        assertEquals(20, ex.contentsRead, "the initial sync fetches every Exchange item once");
        assertEquals(0, nc.contentsRead);

        PairResult echo = sync(oneWay); // Nextcloud lists the 20 items we wrote, in the versions we got back
        assertEquals(20, echo.read().get(Side.NEXTCLOUD));
        assertEquals(0, nc.contentsRead, "their versions equal the status rows: nothing is fetched");

        ex.put("e1", ics("e1", "edited while the cursor died"));
        nc.put("e2", ics("e2", "edited in Nextcloud while the cursor died"));
        ex.expireCursors();
        nc.expireCursors();
        PairResult resync = sync(oneWay);
        assertEquals(20, resync.read().get(Side.EXCHANGE), "a full listing");
        assertEquals(21, ex.contentsRead, "only the edited item's content is fetched");
        assertEquals(2, nc.contentsRead, "only the edited item's content is fetched, and that of the item the Exchange edit "
                + "updates (merge, not overwrite: what Nextcloud holds and Exchange cannot is kept)");
        assertEquals(1, resync.updated().get(Side.NEXTCLOUD));
    }
}
