package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.nextcloud.internal.DavItemStore;
import io.nexchange.nextcloud.internal.DavSettings;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcSyncStateStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.vdir.internal.VdirItemStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end over real parts: an in-memory "Exchange" store, the real vdir store and real Radicale through
 * the CalDAV store, the JDBC state store on H2 in a temp dir. Prints items/s of the initial syncs.
 */
class EngineIntegrationTest {
    static final int ITEMS = Integer.getInteger("engine.items", 2000);
    static final Mailbox ALICE = new Mailbox("alice@example.org", "alice@example.org", "Alice");

    @TempDir
    Path temp;
    HikariDataSource pool;
    JdbcSyncStateStore state;
    MemoryStore exchange;

    @BeforeEach
    void setUp() throws Exception {
        pool = DataSources.pool("jdbc:h2:file:" + temp.resolve("state"), "sa", Secret.of(""), 4, 10_000);
        new SchemaMigrator(pool, "test").migrate();
        state = JdbcSyncStateStore.over(pool);
        exchange = new MemoryStore("graph");
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    private MailboxSync worker(ItemStore nextcloud, String nextcloudBackend, String calendarName) {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0],
                nextcloudBackend), Set.of(CollectionKind.CALENDAR), calendarName, "", 1, Duration.ofMinutes(5), "test");
        Map<String, ItemStore> stores = new HashMap<>();
        stores.put("exchange/graph", exchange);
        stores.put("nextcloud/" + nextcloudBackend, nextcloud);
        return new MailboxSync(mailbox -> new Resolution(mailbox, List.of(new Account("alice", mailbox.primarySmtp(), ""))),
                state, (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)).filter(s -> s.kinds().contains(kind)), settings,
                PairSync.Listener.NONE, Clock.systemUTC());
    }

    private MemoryStore.Collection exchangeCalendar(int n) {
        Owner owner = new Owner(ALICE, new Account("alice", ALICE.primarySmtp(), ""));
        CollectionRef ref = exchange.ensureCollection(owner, CollectionKind.CALENDAR, "");
        MemoryStore.Collection calendar = exchange.collections.get(ref.id());
        calendar.pageSize = 500;
        for (int i = 0; i < n; i++) {
            calendar.put("ev-" + i, ics("ev-" + i, "Event " + i));
        }
        return calendar;
    }

    @Test
    void inMemoryExchangeIntoVdirThenIdleCycleWritesNothing() throws Exception {
        MemoryStore.Collection calendar = exchangeCalendar(ITEMS);
        Path root = temp.resolve("vdir");
        VdirItemStore vdir = new VdirItemStore(root);
        MailboxSync worker = worker(vdir, "vdir", "Exchange");

        long start = System.nanoTime();
        MailboxResult first = worker.sync(ALICE, false);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "engine initial sync in-memory -> vdir (JDBC/H2 state): %d items in %.2f s = %.0f items/s%n",
                ITEMS, seconds, ITEMS / seconds);
        assertEquals(MailboxResult.State.OK, first.state(), first.summary());
        assertEquals(ITEMS, first.writes());
        assertEquals(ITEMS, files(root).size());

        MailboxResult echo = worker.sync(ALICE, false); // reads back the echo of its own writes
        MailboxResult idle = worker.sync(ALICE, false);
        assertEquals(0, echo.writes(), echo.summary());
        assertEquals(0, idle.writes(), idle.summary());
        assertEquals(0, idle.read(), idle.summary());

        calendar.put("ev-7", ics("ev-7", "moved to Friday"));
        calendar.remove("ev-8");
        MailboxResult change = worker.sync(ALICE, false);
        assertEquals(2, change.writes(), change.summary());
        assertEquals(ITEMS - 1, files(root).size());
        assertTrue(Files.readString(files(root).stream().filter(p -> p.getFileName().toString().equals("ev-7.ics"))
                .findFirst().orElseThrow()).contains("moved to Friday"));
    }

    @Test
    void inMemoryExchangeIntoRadicaleThenIdleCycleSendsNoWrites() throws Exception {
        int items = Math.min(ITEMS, Integer.getInteger("engine.radicale.items", 200));
        MemoryStore.Collection calendar = exchangeCalendar(items);
        try (RadicaleServer radicale = RadicaleServer.start()) {
            radicale.addUser("alice", "alice-pw");
            try (DavItemStore dav = DavItemStore.over(DavSettings.defaults(URI.create(radicale.baseUrl())),
                    account -> new DavLogin(account.userId(), Secret.of("alice-pw")))) {
                MailboxSync worker = worker(dav, "caldav", "Exchange");
                long start = System.nanoTime();
                MailboxResult first = worker.sync(ALICE, false);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "engine initial sync in-memory -> Radicale (JDBC/H2 state): %d items in %.2f s"
                        + " = %.0f items/s%n", items, seconds, items / seconds);
                assertEquals(MailboxResult.State.OK, first.state(), first.summary());
                assertEquals(items, first.writes());

                Owner owner = new Owner(ALICE, new Account("alice", ALICE.primarySmtp(), ""));
                CollectionRef ours = dav.ensureCollection(owner, CollectionKind.CALENDAR, "Exchange");
                assertEquals(items, listAll(dav.source(owner, ours)).size());

                worker.sync(ALICE, false); // the echo round
                int mark = radicale.mark();
                MailboxResult idle = worker.sync(ALICE, false);
                assertEquals(0, idle.writes(), idle.summary());
                for (String method : List.of("PUT", "DELETE", "MKCOL", "MKCALENDAR", "PROPPATCH")) {
                    assertEquals(0, radicale.countSince(mark, method), method + " in an idle cycle: "
                            + radicale.requestsSince(mark));
                }

                calendar.put("ev-3", ics("ev-3", "edited in Outlook"));
                mark = radicale.mark();
                MailboxResult change = worker.sync(ALICE, false);
                assertEquals(1, change.writes(), change.summary());
                assertEquals(1, radicale.countSince(mark, "PUT"));
                assertTrue(listAll(dav.source(owner, ours)).stream().anyMatch(i -> i.key().value().equals("ev-3")
                        && i.content().text().contains("edited in Outlook")));
            }
        }
    }

    /**
     * A process crash after k successful writes into the real vdir store, with the real JDBC state on H2, for every k
     * of an initial sync and of an incremental one (update, delete, create); then reruns: the files equal those of an
     * uninterrupted run, with no duplicates, and a further run writes nothing.
     */
    @Test
    void crashAfterEveryWriteIntoVdirWithJdbcStateConverges() throws Exception {
        Map<String, String> expected = crashScenario(-1, -1);
        assertEquals(12, expected.size());
        for (int k = 0; k < 12; k++) {
            assertEquals(expected, crashScenario(k, -1), "crash after initial write " + k);
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(expected, crashScenario(-1, k), "crash after incremental write " + k);
        }
    }

    private int scenarios;

    private Map<String, String> crashScenario(int initialCrashAfter, int incrementalCrashAfter) throws Exception {
        int n = scenarios++;
        try (HikariDataSource scenarioPool = DataSources.pool("jdbc:h2:file:" + temp.resolve("state-" + n), "sa",
                Secret.of(""), 2, 10_000)) {
            new SchemaMigrator(scenarioPool, "test").migrate();
            state = JdbcSyncStateStore.over(scenarioPool);
            exchange = new MemoryStore("graph");
            MemoryStore.Collection calendar = exchangeCalendar(12);
            Path root = temp.resolve("crash-" + n);
            VdirItemStore vdir = new VdirItemStore(root);
            syncCrashingAfter(vdir, initialCrashAfter);
            calendar.put("ev-1", ics("ev-1", "edited"));
            calendar.remove("ev-2");
            calendar.put("ev-new", ics("ev-new", "new"));
            syncCrashingAfter(vdir, incrementalCrashAfter);
            assertEquals(0, worker(vdir, "vdir", "").sync(ALICE, false).writes());
            return contents(root);
        }
    }

    /** Syncs through a target that dies after k successful writes (k < 0: never), then reruns healthy. */
    private void syncCrashingAfter(VdirItemStore vdir, int k) throws Exception {
        if (k >= 0) {
            IllegalStateException crash = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> worker(crashingAfter(vdir, k), "vdir", "").sync(ALICE, false));
            assertTrue(crash.getMessage().contains("power cut"), crash.getMessage());
        }
        MailboxResult result = worker(vdir, "vdir", "").sync(ALICE, false);
        assertEquals(MailboxResult.State.OK, result.state(), result.summary());
    }

    private static ItemStore crashingAfter(VdirItemStore vdir, int crashAfter) {
        int[] writes = {0};
        return new ItemStore() {
            @Override
            public Set<CollectionKind> kinds() {
                return vdir.kinds();
            }

            @Override
            public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
                return vdir.collections(owner, kind);
            }

            @Override
            public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
                return vdir.ensureCollection(owner, kind, name);
            }

            @Override
            public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
                return vdir.source(owner, collection);
            }

            @Override
            public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
                ItemTarget real = vdir.target(owner, collection);
                return new ItemTarget() {
                    private <T> T after(T value) {
                        if (++writes[0] == crashAfter + 1) {
                            throw new IllegalStateException("power cut after write " + writes[0]);
                        }
                        return value;
                    }

                    @Override
                    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
                        return after(real.create(key, content));
                    }

                    @Override
                    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content)
                            throws StoreException {
                        return after(real.update(key, ref, expectedVersion, content));
                    }

                    @Override
                    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
                        real.delete(key, ref, expectedVersion);
                        after(null);
                    }

                    @Override
                    public Optional<ItemVersion> version(String ref) throws StoreException {
                        return real.version(ref);
                    }
                };
            }
        };
    }

    private static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> byName = new java.util.TreeMap<>();
        for (Path file : files(root)) {
            byName.put(file.getFileName().toString(), Files.readString(file));
        }
        return byName;
    }

    /** Every item with its content: listed, then fetched. */
    private static List<Item> listAll(ItemSource source) throws Exception {
        java.util.ArrayList<Item> items = new java.util.ArrayList<>();
        java.util.ArrayList<String> refs = new java.util.ArrayList<>();
        Cursor cursor = Cursor.INITIAL;
        ChangePage page;
        do {
            page = source.changes(cursor);
            page.changes().forEach(c -> {
                c.item().ifPresent(items::add);
                if (!c.isRemoval() && c.item().isEmpty()) {
                    refs.add(c.ref());
                }
            });
            cursor = page.next();
        } while (page.hasMore());
        if (!refs.isEmpty()) {
            source.fetch(refs).forEach(c -> c.item().ifPresent(items::add));
        }
        return items;
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".ics")).toList();
        }
    }
}
