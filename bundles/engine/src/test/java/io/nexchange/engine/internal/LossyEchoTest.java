package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exchange keeps its own rendering of what it is sent (Graph maps a Nextcloud item and renders it back without what it
 * cannot hold). The hash stored for it must be that of its rendering, learnt from the echo of the write, so that a later
 * version churn on either side (a new changeKey or ETag over the same content) writes nothing instead of carrying the
 * lossy rendering back over the richer Nextcloud original.
 */
class LossyEchoTest {
    static final SyncPair PAIR = new SyncPair("alice@example.org", CollectionKind.CALENDAR, "default", "nc:personal");
    static final String NEXTCLOUD_ONLY = "X-NEXTCLOUD-ONLY:kept by Nextcloud clients, dropped by Exchange";

    MemoryStore.Collection ex;
    MemoryStore.Collection nc;
    MemoryStateStore state = new MemoryStateStore();
    SyncSettings twoWay = SyncSettings.defaults().with(Direction.TWO_WAY);

    @BeforeEach
    void setUp() {
        ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        ex.eager = true; // Graph's delta hands the content along, the echo of our own writes included
        ex.keeps = text -> text.lines().filter(l -> !l.startsWith("X-NEXTCLOUD-ONLY")).map(l -> l + "\r\n").collect(Collectors.joining());
        nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
    }

    PairResult sync() throws Exception {
        return new PairSync(state, twoWay).sync(PAIR, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), false);
    }

    @Test
    void versionChurnOnBothSidesAfterALossyWriteWritesNothing() throws Exception {
        nc.put("n1", ics("n1", "created in Nextcloud").replace("END:VEVENT", NEXTCLOUD_ONLY + "\r\nEND:VEVENT"));
        assertEquals(1, sync().created().get(Side.EXCHANGE));
        assertFalse(ex.byUid("n1").content().text().contains("X-NEXTCLOUD-ONLY"), "Exchange cannot hold it");
        assertEquals(0, sync().writes(), "the echo: its rendering's hash is learnt, nothing written");

        int writes = ex.writes + nc.writes;
        for (int round = 0; round < 3; round++) {
            ex.touch("n1"); // a new changeKey over the same content
            nc.touch("n1"); // a new ETag over the same content
            PairResult churn = sync();
            assertEquals(0, churn.writes(), "round " + round + ": churn is no edit");
        }
        assertEquals(writes, ex.writes + nc.writes, "zero writes on both sides");
        assertTrue(nc.byUid("n1").content().text().contains(NEXTCLOUD_ONLY), "the Nextcloud original is intact");

        ex.put("n1", ex.byUid("n1").content().text().replace("created in Nextcloud", "moved in Outlook"));
        sync();
        assertTrue(nc.byUid("n1").content().text().contains("moved in Outlook"), "a real Exchange edit still arrives");
    }
}
