package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A backend that comes as one store per kind (Graph: a calendar store and a contacts store, both
 * {@code exchange/graph}) gets both of its pairs synced. The first end-to-end run found that only one of the two was:
 * the engine kept one store per side and backend, and the calendar store was replaced by the contacts store.
 */
class StorePerKindTest {
    static final Mailbox ALICE = new Mailbox("alice@example.org", "alice@example.org", "Alice");
    static final Owner OWNER = new Owner(ALICE, new Account("alice", ALICE.primarySmtp(), ""));

    @Test
    void calendarAndContactsFromTwoStoresOfOneBackendAreBothSynced() {
        MemoryStore calendarStore = new MemoryStore("graph-calendar", Set.of(CollectionKind.CALENDAR));
        MemoryStore contactsStore = new MemoryStore("graph-contacts", Set.of(CollectionKind.CONTACTS));
        MemoryStore nextcloud = new MemoryStore("vdir");
        put(calendarStore, CollectionKind.CALENDAR, "ev-1", ics("ev-1", "Event"));
        put(contactsStore, CollectionKind.CONTACTS, "c-1", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-1\r\nFN:Bob\r\nEND:VCARD\r\n");
        StoreRegistry registry = (side, backend) -> side.equals("exchange") && backend.equals("graph")
                ? List.<ItemStore>of(calendarStore, contactsStore)
                : side.equals("nextcloud") && backend.equals("vdir") ? List.<ItemStore>of(nextcloud) : List.of();
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0], "vdir"),
                EnumSet.allOf(CollectionKind.class), "Exchange", "Exchange", 1, Duration.ofMinutes(5), "test");
        MailboxSync worker = new MailboxSync(mailbox -> new Resolution(mailbox, List.of(OWNER.account())),
                new MemoryStateStore(), registry, settings, PairSync.Listener.NONE, Clock.systemUTC());

        MailboxResult result = worker.sync(ALICE, false);

        assertEquals(MailboxResult.State.OK, result.state(), result.summary());
        assertEquals(2, result.writes(), result.summary());
        assertEquals(1, items(nextcloud, CollectionKind.CALENDAR), "the calendar pair ran: " + result.summary());
        assertEquals(1, items(nextcloud, CollectionKind.CONTACTS), "the contacts pair ran: " + result.summary());
    }

    private static void put(MemoryStore store, CollectionKind kind, String key, String text) {
        CollectionRef ref = store.ensureCollection(OWNER, kind, "");
        store.collections.get(ref.id()).put(key, text);
    }

    private static long items(MemoryStore store, CollectionKind kind) {
        return store.collections.values().stream().filter(c -> c.kind == kind).mapToLong(c -> c.contentsByUid().size()).sum();
    }
}
