package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure after k writes, for every k, then reruns: the end state equals that of an uninterrupted run (same items
 * with the same content on both sides, no duplicates, same status keys), and one more run writes nothing.
 */
class CrashSafetyTest {
    static final SyncPair PAIR = new SyncPair("bob@example.org", CollectionKind.CALENDAR, "default", "nc:personal");

    enum Failure {
        /** The process dies before write k+1 reaches the server. */
        CRASH_BEFORE_WRITE,
        /** The process dies right after write k+1 succeeded, before its status row is committed. */
        CRASH_AFTER_WRITE,
        /** Write k+1 fails with a store error (HTTP 503); the run carries on with the other items. */
        STORE_ERROR
    }

    /** The two sides and the state of one scenario. */
    static final class World {
        final MemoryStore.Collection ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        final MemoryStore.Collection nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        final MemoryStateStore state = new MemoryStateStore();
        final SyncSettings settings;

        World(Direction direction) {
            // small batches, so crashes fall before, inside and between commits
            settings = SyncSettings.defaults().with(direction).withBatchSize(3);
        }

        PairResult sync() throws Exception {
            return new PairSync(state, settings).sync(PAIR, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc),
                    false);
        }

        void initialContent() {
            for (int i = 0; i < 15; i++) {
                ex.put("e" + i, ics("e" + i, "event " + i));
            }
            ex.put("both", ics("both", "made on both sides alike"));
            nc.put("both", ics("both", "made on both sides alike"));
            for (int i = 0; i < 3; i++) {
                nc.put("c" + i, ics("c" + i, "nextcloud " + i));
            }
        }

        void changes() {
            for (int i = 0; i < 4; i++) {
                ex.put("e" + i, ics("e" + i, "edited " + i));
            }
            for (int i = 4; i < 7; i++) {
                ex.remove("e" + i);
            }
            for (int i = 0; i < 5; i++) {
                ex.put("n" + i, ics("n" + i, "new " + i));
            }
            nc.put("e7", ics("e7", "edited in nextcloud"));
            nc.put("e8", ics("e8", "edited in nextcloud"));
            nc.remove("e9");
            nc.put("c9", ics("c9", "new in nextcloud"));
            ex.put("e10", ics("e10", "conflict: outlook"));
            nc.put("e10", ics("e10", "conflict: nextcloud"));
        }

        Snapshot snapshot() {
            return new Snapshot(ex.contentsByUid(), nc.contentsByUid(), ex.items.size(), nc.items.size(),
                    new TreeSet<>(state.status(PAIR).keySet()).toString());
        }
    }

    record Snapshot(Map<String, String> exchange, Map<String, String> nextcloud, int exchangeItems, int nextcloudItems,
            String statusKeys) {}

    @ParameterizedTest
    @EnumSource(Failure.class)
    void initialSyncFailingAfterEveryWriteConvergesOneWay(Failure failure) throws Exception {
        everyK(Direction.EXCHANGE_TO_NEXTCLOUD, failure, false, Side.NEXTCLOUD);
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void incrementalSyncFailingAfterEveryWriteConvergesOneWay(Failure failure) throws Exception {
        everyK(Direction.EXCHANGE_TO_NEXTCLOUD, failure, true, Side.NEXTCLOUD);
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void twoWayFailingInNextcloudAfterEveryWriteConverges(Failure failure) throws Exception {
        everyK(Direction.TWO_WAY, failure, true, Side.NEXTCLOUD);
        everyK(Direction.TWO_WAY, failure, false, Side.NEXTCLOUD);
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void twoWayFailingInExchangeAfterEveryWriteConverges(Failure failure) throws Exception {
        everyK(Direction.TWO_WAY, failure, true, Side.EXCHANGE);
    }

    private void everyK(Direction direction, Failure failure, boolean incremental, Side failing) throws Exception {
        World reference = world(direction, incremental);
        PairResult uninterrupted = reference.sync();
        Snapshot expected = reference.snapshot();
        int writes = uninterrupted.writes(failing);
        assertTrue(writes > 0, "the scenario writes to " + failing);
        for (int k = 0; k <= writes; k++) {
            World world = world(direction, incremental);
            MemoryStore.Collection target = failing == Side.EXCHANGE ? world.ex : world.nc;
            if (failure == Failure.STORE_ERROR) {
                target.failAfter(k, new StoreException("HTTP 503 (injected)", true));
            } else {
                target.crashAfter(k, failure == Failure.CRASH_AFTER_WRITE, new IllegalStateException("crash (injected)"));
            }
            try {
                world.sync();
            } catch (IllegalStateException crash) {
                // the process died here; what was committed stays
            }
            target.heal();
            PairResult rerun = null;
            for (int attempt = 0; attempt < 3 && (rerun == null || rerun.outcome() != PairResult.Outcome.SYNCED); attempt++) {
                rerun = world.sync();
            }
            String where = direction + " " + failure + " in " + failing + " after k=" + k + " of " + writes;
            assertEquals(PairResult.Outcome.SYNCED, rerun.outcome(), where);
            assertEquals(expected, world.snapshot(), where);
            assertEquals(0, world.sync().writes(), where + ": a further run writes nothing");
        }
    }

    private static World world(Direction direction, boolean incremental) throws Exception {
        World world = new World(direction);
        world.initialContent();
        if (incremental) {
            PairResult first = world.sync();
            assertEquals(PairResult.Outcome.SYNCED, first.outcome());
            world.changes();
        }
        return world;
    }
}
