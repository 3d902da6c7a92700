package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * While a mailbox's contacts pair writes, its calendar pair's Exchange side is read on another thread (so the DAV server
 * is not left idle while the mailbox reads Graph); the result is the same as one pair after the other, a failure of
 * that read is the calendar pair's alone, and a pair with nothing to write reads nothing ahead. Contacts come first
 * because they are read in a few requests, while a calendar view lists every occurrence in the window (benchmarks
 * README): the first writes start sooner, and the longer read is the one done ahead.
 */
class ReadAheadTest {
    static final String ALICE = "alice@example.org";

    final MemoryStore graph = new MemoryStore("graph");
    final MemoryStore nextcloud = new MemoryStore("vdir");
    final MemoryStateStore state = new MemoryStateStore();
    final Mailbox mailbox = new Mailbox(ALICE, ALICE, "");
    /** The threads that read Exchange's calendar, in order. */
    final List<String> calendarReaders = new CopyOnWriteArrayList<>();
    final CountDownLatch calendarRead = new CountDownLatch(1);
    volatile StoreException calendarFailure;

    /** Graph's store, with its calendar source telling which thread reads it (and failing if asked to). */
    final ItemStore watchedGraph = new ItemStore() {
        @Override
        public Set<CollectionKind> kinds() {
            return graph.kinds();
        }

        @Override
        public List<CollectionRef> collections(Owner owner, CollectionKind kind) {
            return graph.collections(owner, kind);
        }

        @Override
        public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) {
            return graph.ensureCollection(owner, kind, name);
        }

        @Override
        public ItemSource source(Owner owner, CollectionRef collection) {
            ItemSource source = graph.source(owner, collection);
            if (collection.kind() != CollectionKind.CALENDAR) {
                return source;
            }
            return new ItemSource() {
                @Override
                public ChangePage changes(Cursor cursor) throws StoreException {
                    calendarReaders.add(Thread.currentThread().getName());
                    calendarRead.countDown();
                    if (calendarFailure != null) {
                        throw calendarFailure;
                    }
                    return source.changes(cursor);
                }

                @Override
                public List<Change> fetch(List<String> refs) throws StoreException {
                    return source.fetch(refs);
                }
            };
        }

        @Override
        public ItemTarget target(Owner owner, CollectionRef collection) {
            return graph.target(owner, collection);
        }
    };

    MailboxSync worker() {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0], "vdir"),
                EnumSet.allOf(CollectionKind.class), "", "", 1, Duration.ofMinutes(15), "test-instance");
        Map<String, ItemStore> stores = Map.of("exchange/graph", watchedGraph, "nextcloud/vdir", nextcloud);
        return new MailboxSync(m -> new Resolution(m, List.of(new Account("alice", ALICE, ""))), state,
                (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)), settings,
                PairSync.Listener.NONE, Clock.systemUTC());
    }

    MemoryStore.Collection collection(MemoryStore store, CollectionKind kind) {
        String id = ALICE + "/" + kind + "/default";
        return store.collections.computeIfAbsent(id, i -> new MemoryStore.Collection(kind, store.name + ":" + i));
    }

    void fill() {
        MemoryStore.Collection calendar = collection(graph, CollectionKind.CALENDAR);
        for (int i = 0; i < 10; i++) {
            calendar.put("e" + i, ics("e" + i, "event " + i));
        }
        MemoryStore.Collection contacts = collection(graph, CollectionKind.CONTACTS);
        for (int i = 0; i < 30; i++) {
            contacts.put("c" + i, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c" + i + "\r\nFN:Contact " + i + "\r\nEND:VCARD\r\n");
        }
    }

    @Test
    void theCalendarIsReadWhileTheContactsWriteAndTheResultIsTheSame() throws Exception {
        fill();
        MemoryStore.Collection contactsTarget = collection(nextcloud, CollectionKind.CONTACTS);
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        contactsTarget.pauseAtWrite(5, paused, resume);

        CompletableFuture<MailboxResult> run = CompletableFuture.supplyAsync(() -> worker().sync(mailbox, false));
        try {
            assertTrue(paused.await(10, TimeUnit.SECONDS), "the contacts pair writes");
            assertTrue(calendarRead.await(10, TimeUnit.SECONDS), "the calendar is read while the contacts' 5th write waits");
            assertEquals(4, contactsTarget.writes, "no further contact write meanwhile");
            assertEquals(0, collection(nextcloud, CollectionKind.CALENDAR).writes, "nothing of the calendar is written before its turn");
        } finally {
            resume.countDown();
        }
        MailboxResult first = run.get(10, TimeUnit.SECONDS);

        assertEquals(MailboxResult.State.OK, first.state(), first.summary());
        assertEquals(40, first.writes());
        assertEquals(30, contactsTarget.items.size());
        assertEquals(10, collection(nextcloud, CollectionKind.CALENDAR).items.size());
        assertEquals(List.of("nexchange-read-ahead", "nexchange-read-ahead"), calendarReaders,
                "both pages read once, ahead, on a thread of its own");

        contactsTarget.onWrite = () -> { };
        calendarReaders.clear();
        MailboxResult idle = worker().sync(mailbox, false);
        assertEquals(MailboxResult.State.OK, idle.state(), idle.summary());
        assertEquals(0, idle.writes(), "the next run writes nothing: " + idle.summary());
        assertEquals(1, calendarReaders.size());
        assertEquals(List.of(Thread.currentThread().getName()), calendarReaders,
                "a contacts pair with nothing to write reads nothing ahead: the calendar is read in its turn");
    }

    @Test
    void aFailedReadAheadIsTheCalendarPairsAloneAndReportedInItsTurn() {
        fill();
        calendarFailure = new StoreException("Graph answered 500 for the calendar", true);

        MailboxResult result = worker().sync(mailbox, false);

        assertEquals(MailboxResult.State.PARTIAL, result.state(), result.summary());
        assertEquals(List.of("nexchange-read-ahead"), calendarReaders);
        assertEquals("calendar: Graph answered 500 for the calendar", result.error());
        assertEquals(30, collection(nextcloud, CollectionKind.CONTACTS).items.size(), "the contacts are synced");
        assertEquals(0, collection(nextcloud, CollectionKind.CALENDAR).writes);

        calendarFailure = null;
        MailboxResult next = worker().sync(mailbox, false);
        assertEquals(MailboxResult.State.OK, next.state(), next.summary());
        assertEquals(10, next.writes(), "the calendar follows in the next run, nothing else is written again");
    }
}
