package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.SyncPair;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

/**
 * {@link SyncPropertyTest}'s random histories against an Exchange side that names what is created through it by a key
 * of its own and answers a repeated create with the first item (Graph). An edit in Exchange edits the item a user
 * sees there: the Exchange copy of a synced item. After the history one clean sync must leave every status row with
 * both sides, Exchange's content (under the row's key) equal to Nextcloud's, no Exchange item twice, no item outside
 * status, and the next sync writing nothing. Events are listed with their creation mark (Graph's transactionId);
 * contacts without one (Graph's contact delta, EWS's listing), where only the retried create finds the copy.
 */
class IdentityPropertyTest {
    static final SyncPair PAIR = new SyncPair("dave@example.org", CollectionKind.CALENDAR, "default", "nc:personal");
    static final SyncPair CONTACTS = new SyncPair("dave@example.org", CollectionKind.CONTACTS, "default", "nc:contacts");

    @Provide
    Arbitrary<List<SyncPropertyTest.Step>> histories() {
        return SyncPropertyTest.histories(4, 25);
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void oneItemOneKeyWhateverExchangeCallsIt(@ForAll("histories") List<SyncPropertyTest.Step> history, @ForAll boolean nextcloudEager)
            throws Exception {
        check(PAIR, true, history, nextcloudEager);
    }

    /**
     * Histories where a write's answer is lost and a retry fails more often: without a mark only the order of those
     * tells a copy from a new item (a crash after a create in Exchange, then a failing write in the run that lists it).
     */
    @Provide
    Arbitrary<List<SyncPropertyTest.Step>> lossyHistories() {
        return SyncPropertyTest.histories(Arbitraries.frequency(Tuple.of(4, SyncPropertyTest.Op.EDIT),
                Tuple.of(1, SyncPropertyTest.Op.DELETE), Tuple.of(1, SyncPropertyTest.Op.TOUCH),
                Tuple.of(1, SyncPropertyTest.Op.EXPIRE_CURSORS), Tuple.of(2, SyncPropertyTest.Op.SYNC),
                Tuple.of(1, SyncPropertyTest.Op.CRASH_BEFORE_WRITE), Tuple.of(3, SyncPropertyTest.Op.CRASH_AFTER_WRITE),
                Tuple.of(3, SyncPropertyTest.Op.FAIL_WRITE)), 4, 25, 2);
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void oneContactOneKeyThoughExchangeListsNoCreationMark(@ForAll("lossyHistories") List<SyncPropertyTest.Step> history,
            @ForAll boolean nextcloudEager) throws Exception {
        check(CONTACTS, false, history, nextcloudEager);
    }

    private static void check(SyncPair pair, boolean marksCreations, List<SyncPropertyTest.Step> history, boolean nextcloudEager)
            throws Exception {
        CollectionKind kind = pair.kind();
        MemoryStore.Collection ex = new MemoryStore.Collection(kind, kind == CollectionKind.CALENDAR ? "graph:cal" : "graph:contacts");
        MemoryStore.Collection nc = new MemoryStore.Collection(kind, "dav:personal");
        ex.assignsOwnKeys = true;
        ex.marksCreations = marksCreations;
        ex.eager = true;
        nc.eager = nextcloudEager;
        MemoryStateStore state = new MemoryStateStore();
        PairSync sync = new PairSync(state, SyncSettings.defaults().with(Direction.TWO_WAY).withBatchSize(2));
        SyncPropertyTest.replay(history, ex, nc, () -> run(sync, pair, ex, nc), key -> exchangeKey(state, pair, ex, key));
        PairResult converging = run(sync, pair, ex, nc);
        assertEquals(PairResult.Outcome.SYNCED, converging.outcome(), converging.toString());
        Map<ItemKey, ItemStatus> rows = state.status(pair);
        Set<String> exchangeRefs = new HashSet<>();
        for (ItemStatus row : rows.values()) {
            assertNotNull(row.exchange(), () -> row + " has its Exchange side");
            assertNotNull(row.nextcloud(), () -> row + " has its Nextcloud side");
            Item there = ex.items.get(row.exchange().ref());
            Item here = nc.items.get(row.nextcloud().ref());
            assertNotNull(there, () -> row + " is in Exchange");
            assertNotNull(here, () -> row + " is in Nextcloud");
            assertEquals(row.key(), here.key(), "the Nextcloud UID is the item's key");
            assertEquals(here.content().text(), ItemIdentity.withUid(new ItemContent(kind.mediaType(), there.content().text()),
                    row.key().value()).text(), "both sides say the same of " + row.key());
            assertEquals(true, exchangeRefs.add(row.exchange().ref()), "no Exchange item is two items");
        }
        for (Item here : nc.items.values()) {
            // Exchange's copy of a creation in Exchange is in Nextcloud only as an item of its own: its original was
            // deleted there before the copy was seen, or a user made its UID in Exchange too (then that is the original's
            // Exchange item, and the copy stays apart)
            ItemKey createdFor = ex.createdAs.get(here.key().value());
            String original = createdFor == null ? null : createdFor.value().replaceFirst("#\\d+$", "");
            assertTrue(original == null || nc.byUid(original) == null || nc.removedKeys.contains(original)
                    || ex.keysEverHeld.contains(original),
                    () -> "Exchange's copy " + here.key() + " of the creation of " + original + " is in Nextcloud beside it");
        }
        assertEquals(rows.size(), ex.items.size(), "no Exchange item outside status: " + ex.contentsByUid().keySet());
        assertEquals(rows.size(), nc.items.size(), "no Nextcloud item outside status: " + nc.contentsByUid().keySet());
        PairResult idle = run(sync, pair, ex, nc);
        assertEquals(0, idle.writes(), "the run after convergence writes nothing: " + idle);
    }

    /** The key Exchange knows the item {@code key} by: its own, where status links the item to an Exchange copy. */
    private static String exchangeKey(MemoryStateStore state, SyncPair pair, MemoryStore.Collection ex, String key) {
        ItemStatus row = state.status(pair).get(new ItemKey(pair.kind(), key));
        if (row != null && row.exchange() != null) {
            Item copy = ex.items.get(row.exchange().ref());
            if (copy != null) {
                return copy.key().value();
            }
        }
        return key;
    }

    private static PairResult run(PairSync sync, SyncPair pair, MemoryStore.Collection ex, MemoryStore.Collection nc)
            throws Exception {
        return sync.sync(pair, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), true);
    }
}
