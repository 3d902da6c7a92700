package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conflicts kept with both versions, per-kind policies, an operator's restore, and the retention bound. */
class ConflictsTest {
    static final SyncPair CALENDAR = new SyncPair("alice@example.org", CollectionKind.CALENDAR, "default", "nc:personal");
    static final SyncPair CONTACTS = new SyncPair("alice@example.org", CollectionKind.CONTACTS, "default", "nc:contacts");

    MemoryStore.Collection ex;
    MemoryStore.Collection nc;
    MemoryStateStore state;
    SyncSettings twoWay = SyncSettings.defaults().with(Direction.TWO_WAY);

    @BeforeEach
    void setUp() {
        ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        state = new MemoryStateStore();
    }

    PairResult sync(SyncSettings settings) throws Exception {
        return new PairSync(state, settings).sync(CALENDAR, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), false);
    }

    @Test
    void theLosingVersionIsKeptAndAnOperatorRestoresItOnBothSides() throws Exception {
        ex.put("e0", ics("e0", "planning"));
        sync(twoWay);
        ex.put("e0", ics("e0", "outlook edit"));
        nc.put("e0", ics("e0", "nextcloud edit"));
        assertEquals(1, sync(twoWay).conflicts());
        assertTrue(nc.byUid("e0").content().text().contains("outlook edit"), "exchange-wins");

        ConflictRecord kept = state.conflicts(null, 10).get(0);
        assertEquals(Side.EXCHANGE, kept.winner());
        assertEquals("exchange-wins", kept.policy());
        assertTrue(kept.losing().content().text().contains("nextcloud edit"), "the Nextcloud version is kept");
        assertTrue(kept.exchange().content().text().contains("outlook edit"));
        assertEquals("nextcloud edit", kept.summary());

        ConflictCommands commands = new ConflictCommands(state);
        String list = commands.conflicts(null, "list", "alice@example.org");
        assertTrue(list.contains("1 conflict kept") && list.contains("Exchange wins (exchange-wins), lost: e0 'nextcloud edit'"), list);
        String show = commands.conflicts(null, "show", String.valueOf(kept.id()));
        assertTrue(show.contains("--- Nextcloud (lost)") && show.contains("SUMMARY:nextcloud edit"), show);
        assertEquals(0, sync(twoWay).writes(), "nothing pending: an idle run");

        String asked = commands.conflicts(session("operator carol"), "restore", String.valueOf(kept.id()));
        assertTrue(asked.contains("is written back at the next run of alice@example.org"), asked);
        assertTrue(commands.conflicts(null, "restore", String.valueOf(kept.id())).contains("already restore asked by operator carol"));
        int exWrites = ex.writes;
        int ncWrites = nc.writes;
        PairResult restoring = sync(twoWay);
        assertEquals(PairResult.Outcome.SYNCED, restoring.outcome());
        assertEquals(1, nc.writes - ncWrites, "written back to the side that lost");
        assertEquals(1, ex.writes - exWrites, "and carried to the other side");
        assertTrue(nc.byUid("e0").content().text().contains("nextcloud edit"));
        assertTrue(ex.byUid("e0").content().text().contains("nextcloud edit"));
        ConflictRecord done = state.conflict(kept.id()).orElseThrow();
        assertTrue(done.restore().done());
        assertEquals("operator carol", done.restore().requestedBy());
        assertEquals(0, sync(twoWay).writes(), "restored once; the echo writes nothing");
        assertEquals(0, sync(twoWay).writes());
        assertTrue(commands.conflicts(null, "list").contains("restored "), "the list says so");
    }

    @Test
    void aRestoreOfAnItemDeletedSinceRecreatesIt() throws Exception {
        ex.put("e0", ics("e0", "planning"));
        sync(twoWay);
        ex.put("e0", ics("e0", "outlook edit"));
        nc.put("e0", ics("e0", "nextcloud edit"));
        sync(twoWay.with(ConflictPolicy.NEXTCLOUD_WINS));
        ConflictRecord kept = state.conflicts(null, 10).get(0);
        assertEquals(Side.EXCHANGE, kept.loser());
        nc.remove("e0");
        sync(twoWay);
        assertTrue(ex.items.isEmpty() && nc.items.isEmpty());
        state.requestRestore(kept.id(), "operator");
        sync(twoWay);
        assertTrue(ex.byUid("e0").content().text().contains("outlook edit"), "created again where it lost");
        assertTrue(nc.byUid("e0").content().text().contains("outlook edit"), "and on the other side");
        assertEquals(0, sync(twoWay).writes());
    }

    @Test
    void eachKindFollowsItsOwnPolicyAndTheDefaultOtherwise() throws Exception {
        SyncSettings settings = twoWay.with(new SyncSettings.Conflicts(Map.of(CollectionKind.CONTACTS, ConflictPolicy.NEXTCLOUD_WINS),
                Duration.ofDays(90), 200));
        assertEquals(ConflictPolicy.EXCHANGE_WINS, settings.policyFor(CollectionKind.CALENDAR));
        assertEquals(ConflictPolicy.NEXTCLOUD_WINS, settings.policyFor(CollectionKind.CONTACTS));

        SyncEngineConfiguration config = EngineConfigurations.with(Map.of("conflictPolicy", "newest-wins",
                "conflictPolicy.contacts", "nextcloud-wins", "conflictRetentionDays", 7, "conflictsKeptPerPair", 3));
        SyncSettings configured = SyncEngine.settings(config).sync();
        assertEquals(ConflictPolicy.NEWEST_WINS, configured.policyFor(CollectionKind.CALENDAR));
        assertEquals(ConflictPolicy.NEXTCLOUD_WINS, configured.policyFor(CollectionKind.CONTACTS));
        assertEquals(Duration.ofDays(7), configured.conflicts().retention());
        assertEquals(3, configured.conflicts().keptPerPair());

        ex.put("e0", ics("e0", "planning"));
        sync(settings);
        ex.put("e0", ics("e0", "outlook edit"));
        nc.put("e0", ics("e0", "nextcloud edit"));
        sync(settings);
        assertTrue(nc.byUid("e0").content().text().contains("outlook edit"), "calendar: the default, exchange-wins");
    }

    @Test
    void keptConflictsAreBoundedPerPair() throws Exception {
        SyncSettings settings = twoWay.with(new SyncSettings.Conflicts(Map.of(), Duration.ofDays(90), 2));
        ex.put("e0", ics("e0", "planning"));
        sync(settings);
        for (int i = 0; i < 4; i++) {
            ex.put("e0", ics("e0", "outlook " + i));
            nc.put("e0", ics("e0", "nextcloud " + i));
            sync(settings);
        }
        List<ConflictRecord> kept = state.conflicts(null, 10);
        assertEquals(List.of("nextcloud 3", "nextcloud 2"), kept.stream().map(ConflictRecord::summary).toList());
    }

    /** A Gogo session as the remote console opens one for an operator's command. */
    static CommandSession session(String operator) {
        CommandSession session = new org.apache.felix.gogo.runtime.CommandProcessorImpl(
                new org.apache.felix.gogo.runtime.threadio.ThreadIOImpl()).createSession(System.in, System.out, System.err);
        session.put(ConflictCommands.OPERATOR, operator);
        return session;
    }
}
