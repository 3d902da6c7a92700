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
        Backend graph = new Backend("Graph", env.graphCalendar(settings), env.graphContacts());
        ItemStore ews = env.ews(settings);
        Backend viaEws = new Backend("EWS", ews, ews);
        // a first pass of each warms up TLS, tokens and the JIT; the second is measured
        graph.readAll();
        viaEws.readAll();
        Map<String, Map<ItemKey, String>> byGraph = graph.measure();
        Map<String, Map<ItemKey, String>> byEws = viaEws.measure();
        int compared = 0;
        for (String collection : byGraph.keySet()) {
            compared += compare(collection, byGraph.get(collection), byEws.get(collection));
        }
        assertTrue(compared > 100, "compared " + compared + " items");
        System.out.printf("[figures] EWS/Graph: %.2f x the requests per item, %.2f x the items/s%n",
                viaEws.requestsPerItem / graph.requestsPerItem, viaEws.itemsPerSecond / graph.itemsPerSecond);
    }

    /** One backend's calendar and contacts stores, read over every mailbox, with the read cost. */
    private static final class Backend {
        final String name;
        final ItemStore calendar;
        final ItemStore contacts;
        double requestsPerItem;
        double itemsPerSecond;

        Backend(String name, ItemStore calendar, ItemStore contacts) {
            this.name = name;
            this.calendar = calendar;
            this.contacts = contacts;
        }

        Map<String, Map<ItemKey, String>> readAll() throws Exception {
            Map<String, Map<ItemKey, String>> out = new TreeMap<>();
            for (String mailbox : sandbox.mailboxes()) {
                Owner owner = SandboxExchange.owner(mailbox);
                out.put(mailbox + " calendar", read(calendar, owner, CollectionKind.CALENDAR));
                out.put(mailbox + " contacts", read(contacts, owner, CollectionKind.CONTACTS));
            }
            return out;
        }

        Map<String, Map<ItemKey, String>> measure() throws Exception {
            sandbox.resetCounters();
            long started = System.nanoTime();
            Map<String, Map<ItemKey, String>> out = readAll();
            double seconds = (System.nanoTime() - started) / 1e9;
            long requests = sandbox.counters().byEndpoint().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("EWS") == name.equals("EWS") && !e.getKey().contains("/token"))
                    .mapToLong(Map.Entry::getValue).sum();
            int items = out.values().stream().mapToInt(Map::size).sum();
            requestsPerItem = (double) requests / items;
            itemsPerSecond = items / seconds;
            System.out.printf("[figures] %s full read of %d mailboxes: %d items (events and contacts), %d requests = %.2f per item, "
                    + "%.2f s = %.0f items/s; %s%n", name, sandbox.mailboxes().size(), items, requests, requestsPerItem, seconds,
                    itemsPerSecond, sandbox.counters().byEndpoint());
            return out;
        }
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
