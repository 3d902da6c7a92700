package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * {@link SyncPropertyTest}'s random histories against an Exchange side that names what is created through it by a key
 * of its own and answers a repeated create with the first item (Graph). An edit in Exchange edits the item a user
 * sees there: the Exchange copy of a synced item. After the history one clean sync must leave every status row with
 * both sides, Exchange's content (under the row's key) equal to Nextcloud's, no Exchange item twice, no item outside
 * status, and the next sync writing nothing.
 */
class IdentityPropertyTest {
    static final SyncPair PAIR = new SyncPair("dave@example.org", CollectionKind.CALENDAR, "default", "nc:personal");

    @Provide
    Arbitrary<List<SyncPropertyTest.Step>> histories() {
        return SyncPropertyTest.histories(4, 25);
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void oneItemOneKeyWhateverExchangeCallsIt(@ForAll("histories") List<SyncPropertyTest.Step> history, @ForAll boolean nextcloudEager)
            throws Exception {
        MemoryStore.Collection ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        MemoryStore.Collection nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        ex.assignsOwnKeys = true;
        ex.eager = true;
        nc.eager = nextcloudEager;
        MemoryStateStore state = new MemoryStateStore();
        PairSync sync = new PairSync(state, SyncSettings.defaults().with(Direction.TWO_WAY).withBatchSize(2));
        SyncPropertyTest.replay(history, ex, nc, () -> run(sync, ex, nc), key -> exchangeKey(state, ex, key));
        PairResult converging = run(sync, ex, nc);
        assertEquals(PairResult.Outcome.SYNCED, converging.outcome(), converging.toString());
        Map<ItemKey, ItemStatus> rows = state.status(PAIR);
        Set<String> exchangeRefs = new HashSet<>();
        for (ItemStatus row : rows.values()) {
            assertNotNull(row.exchange(), () -> row + " has its Exchange side");
            assertNotNull(row.nextcloud(), () -> row + " has its Nextcloud side");
            Item there = ex.items.get(row.exchange().ref());
            Item here = nc.items.get(row.nextcloud().ref());
            assertNotNull(there, () -> row + " is in Exchange");
            assertNotNull(here, () -> row + " is in Nextcloud");
            assertEquals(row.key(), here.key(), "the Nextcloud UID is the item's key");
            assertEquals(here.content().text(), ItemIdentity.withUid(new ItemContent("text/calendar", there.content().text()),
                    row.key().value()).text(), "both sides say the same of " + row.key());
            assertEquals(true, exchangeRefs.add(row.exchange().ref()), "no Exchange item is two items");
        }
        assertEquals(rows.size(), ex.items.size(), "no Exchange item outside status: " + ex.contentsByUid().keySet());
        assertEquals(rows.size(), nc.items.size(), "no Nextcloud item outside status: " + nc.contentsByUid().keySet());
        PairResult idle = run(sync, ex, nc);
        assertEquals(0, idle.writes(), "the run after convergence writes nothing: " + idle);
    }

    /** The key Exchange knows the item {@code key} by: its own, where status links the item to an Exchange copy. */
    private static String exchangeKey(MemoryStateStore state, MemoryStore.Collection ex, String key) {
        ItemStatus row = state.status(PAIR).get(ItemKey.event(key));
        if (row != null && row.exchange() != null) {
            Item copy = ex.items.get(row.exchange().ref());
            if (copy != null) {
                return copy.key().value();
            }
        }
        return key;
    }

    private static PairResult run(PairSync sync, MemoryStore.Collection ex, MemoryStore.Collection nc) throws Exception {
        return sync.sync(PAIR, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), true);
    }
}
