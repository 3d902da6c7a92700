package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.SyncPair;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Random histories of edits, creations, deletions, version churn, dead cursors, crashes and failing writes on both
 * sides, with syncs in between (two-way). After the history, one clean sync must converge both sides, no UID may exist
 * twice on a side, and the sync after it must write nothing (nor fetch content). Each side lists either with content
 * (as Graph's delta does) or without (as DAV does; the engine fetches what changed).
 */
class SyncPropertyTest {
    static final SyncPair PAIR = new SyncPair("carol@example.org", CollectionKind.CALENDAR, "default", "nc:personal");

    enum Op { EDIT, DELETE, TOUCH, EXPIRE_CURSORS, SYNC, CRASH_BEFORE_WRITE, CRASH_AFTER_WRITE, FAIL_WRITE }

    /** One step: what happens, on which side, to which of a few UIDs, and after how many writes a failure strikes. */
    record Step(Op op, boolean exchange, int uid, int text, int afterWrites) {}

    @Provide
    Arbitrary<List<Step>> histories() {
        return histories(5, 30);
    }

    /** Histories of up to {@code maxSteps} steps over the UIDs u0..u{uids}. */
    static Arbitrary<List<Step>> histories(int uids, int maxSteps) {
        return histories(Arbitraries.of(Op.class), uids, maxSteps, 4);
    }

    /** Histories of the given operations, with failures striking after at most {@code maxAfterWrites} writes. */
    static Arbitrary<List<Step>> histories(Arbitrary<Op> ops, int uids, int maxSteps, int maxAfterWrites) {
        Arbitrary<Step> step = Combinators.combine(ops, Arbitraries.of(true, false),
                Arbitraries.integers().between(0, uids), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, maxAfterWrites)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(maxSteps);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void convergesWithoutDuplicatesAndThenWritesNothing(@ForAll("histories") List<Step> history,
            @ForAll boolean exchangeEager, @ForAll boolean nextcloudEager) throws Exception {
        MemoryStore.Collection ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        MemoryStore.Collection nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        ex.eager = exchangeEager;
        nc.eager = nextcloudEager;
        MemoryStateStore state = new MemoryStateStore();
        PairSync sync = new PairSync(state, SyncSettings.defaults().with(Direction.TWO_WAY).withBatchSize(2));
        replay(history, ex, nc, () -> run(sync, ex, nc), uid -> uid);
        PairResult converging = run(sync, ex, nc);
        assertEquals(PairResult.Outcome.SYNCED, converging.outcome(), converging.toString());
        assertEquals(ex.contentsByUid(), nc.contentsByUid(), "both sides hold the same items");
        assertEquals(ex.contentsByUid().size(), ex.items.size(), "no UID twice in Exchange");
        assertEquals(nc.contentsByUid().size(), nc.items.size(), "no UID twice in Nextcloud");
        assertEquals(ex.contentsByUid().keySet(), keys(state), "status knows exactly the items");
        int contentsBefore = ex.contentsRead + nc.contentsRead;
        PairResult idle = run(sync, ex, nc);
        assertEquals(0, idle.writes(), "the run after convergence writes nothing: " + idle);
        if (!exchangeEager && !nextcloudEager) {
            assertEquals(contentsBefore, ex.contentsRead + nc.contentsRead, "nor fetches any content");
        }
    }

    /** What a step calls a sync (the test's pair run). */
    interface Syncer {
        void sync() throws Exception;
    }

    /**
     * Plays a history on two sides with pages of 3: edits, deletions, version churn, dead cursors, syncs, crashes before or
     * after a write and failing writes. {@code exchangeKey} gives the key Exchange knows an item by (a user edits what
     * Exchange shows).
     */
    static void replay(List<Step> history, MemoryStore.Collection ex, MemoryStore.Collection nc, Syncer sync,
            java.util.function.UnaryOperator<String> exchangeKey) throws Exception {
        ex.pageSize = 3;
        nc.pageSize = 3;
        for (Step s : history) {
            MemoryStore.Collection side = s.exchange() ? ex : nc;
            String uid = s.exchange() ? exchangeKey.apply("u" + s.uid()) : "u" + s.uid();
            switch (s.op()) {
                case EDIT -> side.put(uid, MemoryStore.text(side.kind, uid, "text " + s.text()));
                case DELETE -> {
                    if (side.byUid(uid) != null) {
                        side.remove(uid);
                    }
                }
                case TOUCH -> {
                    if (side.byUid(uid) != null) {
                        side.touch(uid);
                    }
                }
                case EXPIRE_CURSORS -> side.expireCursors();
                case SYNC -> sync.sync();
                case CRASH_BEFORE_WRITE, CRASH_AFTER_WRITE -> {
                    side.crashAfter(side.writes + s.afterWrites(), s.op() == Op.CRASH_AFTER_WRITE,
                            new IllegalStateException("killed"));
                    try {
                        sync.sync();
                    } catch (IllegalStateException killed) {
                        // the process died; what it committed is what the state store holds
                    }
                    side.heal();
                }
                case FAIL_WRITE -> {
                    side.failAfter(side.writes + s.afterWrites(), new StoreException("HTTP 503", true));
                    sync.sync();
                    side.heal();
                }
            }
        }
    }

    private static PairResult run(PairSync sync, MemoryStore.Collection ex, MemoryStore.Collection nc) throws Exception {
        // random deletions may legitimately empty a collection: the guard's override is part of the history
        return sync.sync(PAIR, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), true);
    }

    private static java.util.Set<String> keys(MemoryStateStore state) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        state.status(PAIR).keySet().forEach(k -> keys.add(k.value()));
        return keys;
    }
}
