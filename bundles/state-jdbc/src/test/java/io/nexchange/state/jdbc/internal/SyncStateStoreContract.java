package io.nexchange.state.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.FleetView;
import io.nexchange.api.state.Lease;
import io.nexchange.api.state.LeaseLostException;
import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import io.nexchange.state.credentials.NextcloudCredential;
import io.nexchange.state.overview.MailboxSummary;
import io.nexchange.state.overview.PairSummary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database behind {@link JdbcSyncStateStore} must do; run against H2 and PostgreSQL. */
abstract class SyncStateStoreContract {
    static final SyncPair CALENDAR = new SyncPair("alice@example.org", CollectionKind.CALENDAR, "AAMkAGI2-calendar",
            "https://cloud.example.org/remote.php/dav/calendars/alice/personal/");
    static final SyncPair CONTACTS = new SyncPair("alice@example.org", CollectionKind.CONTACTS, "AAMkAGI2-contacts",
            "https://cloud.example.org/remote.php/dav/addressbooks/users/alice/contacts/");

    private final List<HikariDataSource> pools = new ArrayList<>();
    TestDatabase.Target target;
    HikariDataSource pool;
    JdbcSyncStateStore store;

    abstract TestDatabase database();

    @BeforeEach
    void openStore() throws Exception {
        target = database().fresh("contract");
        pool = pool(target, 4);
        assertEquals(SchemaMigrator.SCRIPTS, new SchemaMigrator(pool, "test").migrate());
        store = JdbcSyncStateStore.over(pool);
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    HikariDataSource pool(TestDatabase.Target on, int size) {
        HikariDataSource opened = on.pool(size);
        pools.add(opened);
        return opened;
    }

    static ItemStatus item(String uid, String exchangeVersion, String nextcloudVersion) {
        ItemKey key = ItemKey.event(uid);
        return new ItemStatus(key,
                exchangeVersion == null ? null : new SideStatus("AAMkAD-" + uid, exchangeVersion, "sha256-x-" + uid + exchangeVersion),
                nextcloudVersion == null ? null : new SideStatus("/dav/alice/personal/" + uid + ".ics", nextcloudVersion,
                        "sha256-n-" + uid + nextcloudVersion));
    }

    // ---- status and cursors ---------------------------------------------------------------------------

    @Test
    void statusRowsRoundTripWithBothSidesOrOne() throws Exception {
        ItemStatus both = item("both", "ck-1", "\"etag-1\"");
        ItemStatus exchangeOnly = item("exchange-only", "ck-7", null);
        ItemStatus nextcloudOnly = item("nextcloud-only", null, "\"etag-9\"");
        store.commit(CALENDAR, new StatusUpdate().put(both).put(exchangeOnly).put(nextcloudOnly));

        assertEquals(Map.of(both.key(), both, exchangeOnly.key(), exchangeOnly, nextcloudOnly.key(), nextcloudOnly),
                store.status(CALENDAR));
        assertEquals(Map.of(), store.status(CONTACTS), "another pair of the same mailbox is separate");

        ItemStatus confirmed = exchangeOnly.with(Side.NEXTCLOUD, new SideStatus("/dav/x.ics", "\"e2\"", "h"));
        store.commit(CALENDAR, new StatusUpdate().put(confirmed).remove(nextcloudOnly.key()));
        assertEquals(Map.of(both.key(), both, confirmed.key(), confirmed), store.status(CALENDAR));
    }

    @Test
    void anItemOutsideASidesWindowIsMarkedPerSideAndTheMarkEndsWhenTheSideListsItAgain() throws Exception {
        ItemStatus inside = item("past-event", "ck-1", "\"etag-1\"");
        ItemStatus outside = inside.with(Side.EXCHANGE, new SideStatus("AAMkAD-past-event", "ck-1", "h", true));
        store.commit(CALENDAR, new StatusUpdate().put(outside));
        assertEquals(Map.of(outside.key(), outside), store.status(CALENDAR));
        assertTrue(store.status(CALENDAR).get(outside.key()).exchange().outsideWindow());
        assertFalse(store.status(CALENDAR).get(outside.key()).nextcloud().outsideWindow());

        store.commit(CALENDAR, new StatusUpdate().put(inside));
        assertEquals(Map.of(inside.key(), inside), store.status(CALENDAR));
    }

    @Test
    void cursorsAreKeptPerPairAndSide() throws Exception {
        assertEquals(Cursor.INITIAL, store.cursor(CALENDAR, Side.EXCHANGE));
        String deltaLink = "https://graph.microsoft.com/v1.0/users/alice/calendarView/delta?$deltatoken=" + "x".repeat(1500);
        store.commit(CALENDAR, new StatusUpdate().cursor(Side.EXCHANGE, new Cursor(deltaLink)));
        assertEquals(new Cursor(deltaLink), store.cursor(CALENDAR, Side.EXCHANGE));
        assertEquals(Cursor.INITIAL, store.cursor(CALENDAR, Side.NEXTCLOUD));
        assertEquals(Cursor.INITIAL, store.cursor(CONTACTS, Side.EXCHANGE));

        String syncState = "H4sIAAAAAAAEAO29B2AcSZYlJi9tynt".repeat(8000); // EWS SyncStates reach hundreds of KB
        store.commit(CALENDAR, new StatusUpdate().cursor(Side.EXCHANGE, new Cursor(syncState))
                .cursor(Side.NEXTCLOUD, new Cursor("http://sabre.io/ns/sync/42")));
        assertEquals(syncState, store.cursor(CALENDAR, Side.EXCHANGE).value());
        assertEquals("http://sabre.io/ns/sync/42", store.cursor(CALENDAR, Side.NEXTCLOUD).value());
    }

    @Test
    void aFailingCommitAppliesNothing() throws Exception {
        ItemStatus kept = item("kept", "ck-1", "\"e1\"");
        ItemStatus removable = item("removable", "ck-2", "\"e2\"");
        store.commit(CALENDAR, new StatusUpdate().put(kept).put(removable).cursor(Side.EXCHANGE, new Cursor("delta-1")));
        Map<ItemKey, ItemStatus> before = store.status(CALENDAR);
        var lastCommitBefore = store.summary(CALENDAR.mailbox()).pairs().get(0).lastCommitAt();

        // rows before the bad one are valid, so the database has applied part of the batch when it fails
        StatusUpdate failing = new StatusUpdate()
                .remove(removable.key())
                .put(item("kept", "ck-1b", "\"e1b\""))
                .put(item("new", "ck-3", null))
                .put(item("x".repeat(1001), "ck-4", null)) // longer than item_key allows
                .cursor(Side.EXCHANGE, new Cursor("delta-2"))
                .cursor(Side.NEXTCLOUD, new Cursor("token-2"));
        StateException failure = assertThrows(StateException.class, () -> store.commit(CALENDAR, failing));
        assertTrue(failure.getMessage().contains("alice@example.org"), failure.getMessage());

        assertEquals(before, store.status(CALENDAR));
        assertEquals(new Cursor("delta-1"), store.cursor(CALENDAR, Side.EXCHANGE));
        assertEquals(Cursor.INITIAL, store.cursor(CALENDAR, Side.NEXTCLOUD));
        assertEquals(lastCommitBefore, store.summary(CALENDAR.mailbox()).pairs().get(0).lastCommitAt());

        // the first commit of a new pair failing leaves no pair behind either
        assertThrows(StateException.class, () -> store.commit(CONTACTS, new StatusUpdate()
                .put(new ItemStatus(ItemKey.contact("y".repeat(1001)), new SideStatus("r", "v", "h"), null))));
        assertEquals(List.of(CALENDAR), store.pairs());
    }

    @Test
    void forgetRemovesOnePairEntirely() throws Exception {
        store.commit(CALENDAR, new StatusUpdate().put(item("a", "1", "1")).cursor(Side.EXCHANGE, new Cursor("c1")));
        ItemStatus contact = new ItemStatus(ItemKey.contact("AAMk-contact"), new SideStatus("AAMk-contact", "ck", "h"), null);
        store.commit(CONTACTS, new StatusUpdate().put(contact).cursor(Side.NEXTCLOUD, new Cursor("t1")));

        store.forget(CALENDAR);
        store.forget(CALENDAR); // unknown now: nothing to do

        assertEquals(Map.of(), store.status(CALENDAR));
        assertEquals(Cursor.INITIAL, store.cursor(CALENDAR, Side.EXCHANGE));
        assertEquals(Map.of(contact.key(), contact), store.status(CONTACTS));
        assertEquals(new Cursor("t1"), store.cursor(CONTACTS, Side.NEXTCLOUD));
        assertEquals(List.of(CONTACTS), store.pairs());

        store.commit(CALENDAR, new StatusUpdate().put(item("b", "1", "1")));
        assertEquals(Set.of(ItemKey.event("b")), store.status(CALENDAR).keySet(), "a forgotten pair starts afresh");
    }

    @Test
    void overviewCountsItemsCursorsCommitsAndLeases() throws Exception {
        StatusUpdate update = new StatusUpdate().cursor(Side.EXCHANGE, new Cursor("d"));
        for (int i = 0; i < 7; i++) {
            update.put(item("e" + i, "1", "1"));
        }
        store.commit(CALENDAR, update);
        store.commit(CONTACTS, new StatusUpdate().cursor(Side.NEXTCLOUD, new Cursor("t")));
        SyncPair bob = new SyncPair("bob@example.org", CollectionKind.CALENDAR, "bob-cal", "https://cloud/bob/");
        store.commit(bob, new StatusUpdate().put(item("b1", "1", null)));
        Lease lease = store.tryLease("carol@example.org", "instance-1", Duration.ofMinutes(1)).orElseThrow();

        MailboxSummary alice = store.summary("alice@example.org");
        assertEquals(2, alice.pairs().size());
        PairSummary calendar = alice.pairs().stream().filter(p -> p.pair().equals(CALENDAR)).findFirst().orElseThrow();
        assertEquals(7, calendar.items());
        assertEquals(Set.of(Side.EXCHANGE), calendar.cursors());
        assertTrue(calendar.lastCommit().isPresent());
        PairSummary contacts = alice.pairs().stream().filter(p -> p.pair().equals(CONTACTS)).findFirst().orElseThrow();
        assertEquals(0, contacts.items());
        assertEquals(Set.of(Side.NEXTCLOUD), contacts.cursors());
        assertEquals(7, alice.items());
        assertTrue(alice.leaseInfo().isEmpty());

        List<MailboxSummary> all = store.summaries();
        assertEquals(List.of("alice@example.org", "bob@example.org", "carol@example.org"),
                all.stream().map(MailboxSummary::mailbox).toList());
        MailboxSummary carol = all.get(2);
        assertEquals("instance-1", carol.leaseInfo().orElseThrow().holder());
        assertEquals(lease.expiresAt(), carol.leaseInfo().orElseThrow().expiresAt());
        assertEquals(List.of(), carol.pairs());
        assertEquals(List.of(CALENDAR, CONTACTS, bob), store.pairs());
        assertEquals(new MailboxSummary("nobody@example.org", List.of(), null), store.summary("nobody@example.org"));
    }

    // ---- settings -------------------------------------------------------------------------------------

    @Test
    void settingsAreStoredReplacedAndRemovedAndSharedByInstances() throws Exception {
        assertEquals(Optional.empty(), store.setting("engine.backend.switches"));
        store.putSetting("engine.backend.switches", "1\tall\t\tgraph");
        JdbcSyncStateStore other = JdbcSyncStateStore.over(pool(target, 2));
        assertEquals(Optional.of("1\tall\t\tgraph"), other.setting("engine.backend.switches"), "another instance sees it");
        String large = "x".repeat(100_000);
        other.putSetting("engine.backend.switches", large);
        assertEquals(Optional.of(large), store.setting("engine.backend.switches"));
        store.putSetting("engine.backend.switches", null);
        assertEquals(Optional.empty(), other.setting("engine.backend.switches"));
        store.putSetting("engine.backend.switches", null); // removing nothing is fine
    }

    // ---- conflicts ------------------------------------------------------------------------------------

    static ConflictRecord conflict(SyncPair pair, String uid, Side winner, Instant at) {
        return new ConflictRecord(0, pair, ItemKey.event(uid), "Board meeting " + uid, winner, "exchange-wins",
                new ConflictRecord.Version("AAMkAD-" + uid, "ck-2", new ItemContent("text/calendar",
                        "BEGIN:VCALENDAR\r\nSUMMARY:exchange " + uid + "\r\nEND:VCALENDAR\r\n")),
                new ConflictRecord.Version("/dav/" + uid + ".ics", "\"e-2\"", new ItemContent("text/calendar",
                        "BEGIN:VCALENDAR\r\nSUMMARY:nextcloud " + uid + " \u00e9\r\nEND:VCALENDAR\r\n")),
                at, null);
    }

    @Test
    void conflictsAreKeptWithBothVersionsRestoredOnRequestAndBounded() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        ConflictRecord first = conflict(CALENDAR, "a", Side.EXCHANGE, t0);
        ConflictRecord second = conflict(CALENDAR, "b", Side.NEXTCLOUD, t0.plusSeconds(60));
        store.commit(CALENDAR, new StatusUpdate().put(item("a", "ck-2", "\"e-3\"")).conflict(first).conflict(second));
        store.commit(CONTACTS, new StatusUpdate().conflict(conflict(CONTACTS, "c", Side.EXCHANGE, t0.plusSeconds(120))));

        store.commit(CALENDAR, new StatusUpdate().conflict(second));
        List<ConflictRecord> alice = store.conflicts("alice@example.org", 10);
        assertEquals(List.of("c", "b", "a"), alice.stream().map(c -> c.key().value()).toList(),
                "newest first; the same conflict met again (same versions) is kept once");
        ConflictRecord kept = alice.get(2);
        assertEquals(first, new ConflictRecord(0, kept.pair(), kept.key(), kept.summary(), kept.winner(), kept.policy(),
                kept.exchange(), kept.nextcloud(), kept.at(), kept.restore()), "every field comes back, text unchanged");
        assertEquals(Side.NEXTCLOUD, kept.loser());
        assertEquals(2, store.conflicts(null, 2).size(), "bounded by the limit");
        assertEquals(List.of(), store.conflicts("bob@example.org", 10));
        assertEquals(Optional.of(kept), store.conflict(kept.id()));
        assertEquals(Optional.empty(), store.conflict(kept.id() + 1000));

        assertEquals(List.of(), store.restoresDue(CALENDAR));
        ConflictRecord asked = store.requestRestore(kept.id(), "operator alice").orElseThrow();
        assertEquals("operator alice", asked.restore().requestedBy());
        assertTrue(asked.restoreDue());
        assertEquals(asked, store.requestRestore(kept.id(), "someone else").orElseThrow(), "asked once: the first request stands");
        assertEquals(Optional.empty(), store.requestRestore(kept.id() + 1000, "x"));
        assertEquals(List.of(asked), store.restoresDue(CALENDAR));
        assertEquals(List.of(), store.restoresDue(CONTACTS));

        // retention never removes a restore that waits
        assertEquals(2, store.pruneConflicts(t0.plusSeconds(1000), 0), "b and c go, a waits for its restore");
        assertEquals(List.of(kept.id()), store.conflicts(null, 10).stream().map(ConflictRecord::id).toList());

        store.commit(CALENDAR, new StatusUpdate().restored(kept.id()));
        ConflictRecord done = store.conflict(kept.id()).orElseThrow();
        assertTrue(done.restore().done());
        assertFalse(done.restoreDue());
        assertEquals(List.of(), store.restoresDue(CALENDAR));

        // per pair: the newest N stay
        for (int i = 0; i < 5; i++) {
            store.commit(CONTACTS, new StatusUpdate().conflict(conflict(CONTACTS, "n" + i, Side.EXCHANGE, t0.plusSeconds(2000 + i))));
        }
        assertEquals(3, store.pruneConflicts(t0, 2), "3 of the 5 contacts' conflicts go");
        assertEquals(List.of("n4", "n3"), store.conflicts(null, 10).stream().filter(c -> c.pair().equals(CONTACTS))
                .map(c -> c.key().value()).toList());
        store.forget(CONTACTS);
        assertEquals(List.of(kept.id()), store.conflicts(null, 10).stream().map(ConflictRecord::id).toList(),
                "a forgotten pair's conflicts go with it");
    }

    // ---- quarantine -----------------------------------------------------------------------------------

    @Test
    void quarantineIsCommittedWithTheCursorAndRetriedByAnOperator() throws Exception {
        Instant first = Instant.parse("2026-12-07T07:00:00Z");
        QuarantinedItem broken = new QuarantinedItem(CALENDAR, Side.EXCHANGE, "AAMkAD-broken", ItemKey.event("uid-broken"),
                "ck-3", "Board meeting", "responseStatus.time is not a date", first, first, 1, true);
        QuarantinedItem refused = new QuarantinedItem(CALENDAR, Side.NEXTCLOUD, "/dav/alice/personal/" + "r".repeat(3000) + ".ics",
                null, "\"etag-2\"", "", "HTTP 415", first, first, 2, false);
        store.commit(CALENDAR, new StatusUpdate().quarantine(broken).quarantine(refused)
                .cursor(Side.EXCHANGE, new Cursor("graph|delta-2")).cursor(Side.NEXTCLOUD, new Cursor("caldav|sync-2")));
        assertEquals(Set.of(broken, refused), Set.copyOf(store.quarantined(CALENDAR)));
        assertEquals(List.of(), store.quarantined(CONTACTS));

        // a second failure replaces the record of the same side and ref
        QuarantinedItem again = new QuarantinedItem(CALENDAR, Side.EXCHANGE, "AAMkAD-broken", ItemKey.event("uid-broken"),
                "ck-4", "Board meeting", "still not a date", first, first.plusSeconds(300), 2, true);
        store.commit(CALENDAR, new StatusUpdate().quarantine(again).release(Side.NEXTCLOUD, refused.ref()));
        assertEquals(List.of(again), store.quarantined());

        assertEquals(List.of(), store.retryQuarantined("alice@example.org", "no-such-item"));
        assertEquals(new Cursor("graph|delta-2"), store.cursor(CALENDAR, Side.EXCHANGE));
        assertEquals(List.of(again), store.retryQuarantined("alice@example.org", "uid-broken"));
        assertEquals(List.of(), store.quarantined());
        assertEquals(Cursor.INITIAL, store.cursor(CALENDAR, Side.EXCHANGE), "the side is listed in full again");
        assertEquals(new Cursor("caldav|sync-2"), store.cursor(CALENDAR, Side.NEXTCLOUD), "the other side keeps its cursor");

        store.commit(CALENDAR, new StatusUpdate().quarantine(broken));
        store.forget(CALENDAR);
        assertEquals(List.of(), store.quarantined());
    }

    // ---- migrations -----------------------------------------------------------------------------------

    @Test
    void migrationsAreRecordedAndIdempotent() throws Exception {
        assertEquals(List.of(), new SchemaMigrator(pool, "test").migrate());
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, script, applied_by FROM schema_version ORDER BY version")) {
            for (String script : SchemaMigrator.SCRIPTS) {
                assertTrue(rows.next());
                assertEquals(SchemaMigrator.version(script), rows.getInt(1));
                assertEquals(script, rows.getString(2));
                assertEquals("test", rows.getString(3));
            }
            assertFalse(rows.next());
        }
    }

    @Test
    void anEditedScriptOrANewerSchemaIsRefused() throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE schema_version SET checksum = '" + "0".repeat(64) + "' WHERE version = 1");
        }
        StateException edited = assertThrows(StateException.class, () -> new SchemaMigrator(pool, "test").migrate());
        assertTrue(edited.getMessage().contains("V1__initial.sql was changed after it was applied"), edited.getMessage());

        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO schema_version (version, script, checksum, applied_at, applied_by)"
                    + " VALUES (99, 'V99__future.sql', 'x', CURRENT_TIMESTAMP, 'newer')");
        }
        StateException newer = assertThrows(StateException.class, () -> new SchemaMigrator(pool, "test").migrate());
        assertTrue(newer.getMessage().contains("schema version 99, newer than this bundle"), newer.getMessage());
    }

    @Test
    void instancesStartingAtOnceMigrateOnce() throws Exception {
        TestDatabase.Target empty = database().fresh("concurrent_start");
        int instances = 4;
        List<HikariDataSource> instancePools = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            instancePools.add(pool(empty, 2));
        }
        CyclicBarrier start = new CyclicBarrier(instances);
        ExecutorService executor = Executors.newFixedThreadPool(instances);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (HikariDataSource instancePool : instancePools) {
                results.add(executor.submit(() -> {
                    start.await();
                    return new SchemaMigrator(instancePool, "instance").migrate();
                }));
            }
            List<String> applied = new ArrayList<>();
            for (Future<List<String>> result : results) {
                applied.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(SchemaMigrator.SCRIPTS, applied.stream().sorted().toList(), "exactly one instance applies each script");
        } finally {
            executor.shutdownNow();
        }
        JdbcSyncStateStore started = JdbcSyncStateStore.over(instancePools.get(3));
        started.commit(CALENDAR, new StatusUpdate().put(item("a", "1", "1")));
        assertEquals(1, started.status(CALENDAR).size());
    }

    // ---- leases ---------------------------------------------------------------------------------------

    @Test
    void aLeaseIsExclusiveUntilClosedOrExpired() throws Exception {
        JdbcSyncStateStore other = JdbcSyncStateStore.over(pool(target, 2)); // a second instance on the same database
        Lease first = store.tryLease("alice@example.org", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        assertEquals("alice@example.org", first.mailbox());
        assertEquals(Optional.empty(), other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)));
        assertEquals(Optional.empty(), store.tryLease("alice@example.org", "instance-a", Duration.ofSeconds(30)),
                "not re-entrant: a second acquisition by the same holder would be a second writer");
        assertTrue(other.tryLease("bob@example.org", "instance-b", Duration.ofSeconds(30)).isPresent(), "leases are per mailbox");

        var before = first.expiresAt();
        Thread.sleep(5);
        assertTrue(first.renew());
        assertTrue(first.expiresAt().isAfter(before));

        first.close();
        first.close();
        assertFalse(first.renew(), "a closed lease is gone");
        Lease second = other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)).orElseThrow();
        assertTrue(second.renew());
    }

    @Test
    void aLeaseWhoseReleaseFailedWhileTheDatabaseWasAwayIsReleasedAtTheMailboxsNextRun() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean();
        // the same database, reached through a data source that fails while "away" (as a stopped server does)
        javax.sql.DataSource flaky = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (away.get() && method.getName().equals("getConnection")) {
                        throw new java.sql.SQLTransientConnectionException("Connection refused (the database is away)");
                    }
                    try {
                        return method.invoke(pool, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        JdbcSyncStateStore instance = JdbcSyncStateStore.over(flaky);
        Lease lease = instance.tryLease("alice@example.org", "instance-a", Duration.ofMinutes(15)).orElseThrow();
        away.set(true);
        lease.close(); // logs one WARN, must not throw
        away.set(false);
        JdbcSyncStateStore other = JdbcSyncStateStore.over(pool(target, 2));
        assertEquals(Optional.empty(), other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)),
                "until then the lease stands for everyone else");

        Lease next = instance.tryLease("alice@example.org", "instance-a", Duration.ofMinutes(15)).orElseThrow(
                () -> new AssertionError("the instance's next run of the mailbox must not wait 15 minutes for its own old lease"));
        assertEquals(Optional.empty(), other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)),
                "the new lease is live");
        next.close();
        assertTrue(other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)).isPresent());
    }

    @Test
    void aRestartedInstanceReleasesTheLeasesItsKilledProcessLeft() throws Exception {
        store.tryLease("alice@example.org", "host-1:/srv/nexchange", Duration.ofMinutes(15)).orElseThrow(); // then kill -9
        store.tryLease("bob@example.org", "host-2:/srv/nexchange", Duration.ofMinutes(15)).orElseThrow();
        assertEquals(Optional.empty(), store.tryLease("alice@example.org", "host-1:/srv/nexchange", Duration.ofMinutes(1)));

        assertEquals(1, store.releaseLeases("host-1:/srv/nexchange"));

        assertTrue(store.tryLease("alice@example.org", "host-1:/srv/nexchange", Duration.ofMinutes(1)).isPresent());
        assertEquals(Optional.empty(), store.tryLease("bob@example.org", "host-1:/srv/nexchange", Duration.ofMinutes(1)),
                "another instance's lease stays");
        assertEquals(0, store.releaseLeases("host-3:/srv/nexchange"));
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheFormerHolderLearnsItOnRenew() throws Exception {
        JdbcSyncStateStore other = JdbcSyncStateStore.over(pool(target, 2));
        Lease dead = store.tryLease("alice@example.org", "instance-a", Duration.ofMillis(300)).orElseThrow();
        assertEquals(Optional.empty(), other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)));
        Thread.sleep(400);
        Lease takenOver = other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)).orElseThrow();

        assertFalse(dead.renew(), "the lease was taken over");
        dead.close(); // must not release the new holder's lease
        assertTrue(takenOver.renew());
        assertEquals(Optional.empty(), store.tryLease("alice@example.org", "instance-a", Duration.ofSeconds(30)));
        assertEquals("instance-b", store.summary("alice@example.org").leaseInfo().orElseThrow().holder());
    }

    @Test
    void aFencedCommitOfALeaseTakenOverIsRefusedAndAppliesNothing() throws Exception {
        JdbcSyncStateStore other = JdbcSyncStateStore.over(pool(target, 2));
        Lease paused = store.tryLease("alice@example.org", "instance-a", Duration.ofMillis(300)).orElseThrow();
        store.commit(CALENDAR, new StatusUpdate().put(item("first", "ck-1", "\"e1\"")), paused);
        Thread.sleep(400); // instance-a is paused past its lease; instance-b takes the mailbox over
        Lease taker = other.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(30)).orElseThrow();
        other.commit(CALENDAR, new StatusUpdate().put(item("second", "ck-2", "\"e2\"")), taker);

        LeaseLostException refused = assertThrows(LeaseLostException.class, () -> store.commit(CALENDAR,
                new StatusUpdate().put(item("stale", "ck-0", "\"e0\"")).cursor(Side.EXCHANGE, new Cursor("stale")), paused));
        assertTrue(refused.getMessage().contains("alice@example.org"), refused.getMessage());
        assertEquals(Set.of(ItemKey.event("first"), ItemKey.event("second")), store.status(CALENDAR).keySet());
        assertEquals(Cursor.INITIAL, store.cursor(CALENDAR, Side.EXCHANGE), "nothing of the refused commit");
        assertThrows(IllegalArgumentException.class, () -> store.commit(CALENDAR, new StatusUpdate().put(item("x", "1", "1")),
                taker), "a lease of another store fences nothing here");
    }

    @Test
    void aHeartbeatRenewsTheLeasesStillHeldReportsTheLostOnesAndCountsEveryInstancesLeases() throws Exception {
        JdbcSyncStateStore other = JdbcSyncStateStore.over(pool(target, 2));
        Instant started = Instant.parse("2026-12-07T10:00:00Z");
        List<Lease> mine = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // more than one renewal statement
            mine.add(store.tryLease("user" + i + "@example.org", "instance-a", Duration.ofMillis(600)).orElseThrow());
        }
        FleetView first = store.heartbeat("instance-a", "host-a pid 1", started, Duration.ofMillis(600), mine);
        assertEquals(Set.of(), first.lost());
        assertEquals(List.of("instance-a"), first.liveInstances());
        assertEquals(600, first.members().get(0).leases());
        assertEquals("host-a pid 1", first.members().get(0).about());
        Thread.sleep(700); // instance-a paused: its record and leases ran out
        Lease taken = other.tryLease("user7@example.org", "instance-b", Duration.ofSeconds(30)).orElseThrow();
        FleetView second = other.heartbeat("instance-b", "host-b pid 2", started, Duration.ofSeconds(30), List.of(taken));
        assertEquals(List.of("instance-b"), second.liveInstances(), "instance-a ran out");
        assertEquals(2, second.members().size(), "a gone instance stays on record for a while");

        FleetView woken = store.heartbeat("instance-a", "host-a pid 1", started, Duration.ofSeconds(30), mine);
        assertEquals(Set.of("user7@example.org"), woken.lost());
        assertEquals(List.of("instance-a", "instance-b"), woken.liveInstances());
        assertEquals(599, woken.members().get(0).leases());
        assertEquals(1, woken.members().get(1).leases());
        assertTrue(mine.get(8).renew(), "the others were renewed");
        assertEquals("instance-b", store.leaseHolders().get("user7@example.org"));
        assertEquals(600, store.leaseHolders().size());

        store.leave("instance-a");
        assertEquals(List.of("instance-b"), other.heartbeat("instance-b", "", started, Duration.ofSeconds(30), List.of(taken))
                .liveInstances());
    }

    @Test
    void anExpiredButUntakenLeaseCanStillBeRenewed() throws Exception {
        // the TTL leaves the renewed lease a second against instance-b's try (100 ms failed at load 8 on 2 cores)
        Lease late = store.tryLease("alice@example.org", "instance-a", Duration.ofMillis(1000)).orElseThrow();
        Thread.sleep(1100);
        assertTrue(late.renew(), "nobody took it meanwhile, so nobody else wrote");
        assertEquals(Optional.empty(), store.tryLease("alice@example.org", "instance-b", Duration.ofSeconds(1)));
    }

    @Test
    void twoInstancesRacingFromManyThreadsNeverBothHoldALease() throws Exception {
        JdbcSyncStateStore[] instances = {store, JdbcSyncStateStore.over(pool(target, 4))};
        int threads = 8;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            // 1. many short holds of one mailbox, released and re-taken
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                JdbcSyncStateStore instance = instances[t % 2];
                String holder = "instance-" + (t % 2) + "-thread-" + t;
                done.add(executor.submit(() -> {
                    while (System.nanoTime() < until) {
                        Optional<Lease> lease = instance.tryLease("contended@example.org", holder, Duration.ofSeconds(30));
                        if (lease.isPresent()) {
                            if (holders.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            acquisitions.incrementAndGet();
                            Thread.sleep(1);
                            holders.decrementAndGet();
                            lease.get().close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, overlaps.get(), "two holders at once");
            assertTrue(acquisitions.get() >= 10, "the lease changed hands only " + acquisitions.get() + " times");
            System.out.printf("FIGURE %s: one mailbox lease taken and released %d times in 1.5 s by %d threads of 2 instances,"
                    + " never two holders%n", getClass().getSimpleName(), acquisitions.get(), threads);

            // 2. all threads released at once on a missing row (INSERT race) and on an expired row (UPDATE race)
            for (int round = 0; round < 15; round++) {
                String fresh = "fresh-" + round + "@example.org";
                assertEquals(1, race(executor, instances, threads, fresh), "winners racing for the new lease " + fresh);
                String expired = "expired-" + round + "@example.org";
                store.tryLease(expired, "dead-instance", Duration.ofMillis(1)).orElseThrow();
                Thread.sleep(5);
                assertEquals(1, race(executor, instances, threads, expired), "winners racing for the expired lease " + expired);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static int race(ExecutorService executor, JdbcSyncStateStore[] instances, int threads, String mailbox) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            JdbcSyncStateStore instance = instances[t % 2];
            String holder = "racer-" + t;
            results.add(executor.submit(() -> {
                start.await();
                return instance.tryLease(mailbox, holder, Duration.ofSeconds(30)).isPresent();
            }));
        }
        int winners = 0;
        for (Future<Boolean> result : results) {
            winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        return winners;
    }

    // ---- credentials ----------------------------------------------------------------------------------

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path keys;

    private static final String APP_PASSWORD = "Xq7rT-bN2pL-88kWz-MfE3c-Yt9Ua";

    @Test
    void credentialsAreStoredEncryptedUnderAKeyFileCreatedOnFirstUse() throws Exception {
        java.nio.file.Path keyFile = keys.resolve("data/credentials.key");
        JdbcCredentialStore credentials = new JdbcCredentialStore(pool, keyFile);
        assertFalse(java.nio.file.Files.exists(keyFile), "created on first use, not before");
        credentials.put(new NextcloudCredential("Alice@Example.org", "alice", Secret.of(APP_PASSWORD)));
        credentials.put(new NextcloudCredential("bob@example.org", "bob", Secret.of(APP_PASSWORD)));

        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(keyFile)));
        NextcloudCredential alice = credentials.find("alice@example.org").orElseThrow();
        assertEquals("alice", alice.username());
        assertEquals(APP_PASSWORD, alice.appPassword().reveal());
        assertFalse(alice.toString().contains(APP_PASSWORD), alice.toString());
        assertEquals(List.of("alice@example.org", "bob@example.org"), credentials.emails());

        List<String> stored = new ArrayList<>();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT secret_ciphertext FROM credentials ORDER BY email")) {
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
        }
        String base64 = java.util.Base64.getEncoder().encodeToString(APP_PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String value : stored) {
            assertFalse(value.contains(APP_PASSWORD) || value.contains(base64.substring(0, 20)), "plaintext in the database");
        }
        assertTrue(!stored.get(0).equals(stored.get(1)), "the same password under a fresh nonce gives a different ciphertext");

        assertTrue(credentials.remove("ALICE@example.org"));
        assertFalse(credentials.remove("alice@example.org"));
        assertEquals(Optional.empty(), credentials.find("alice@example.org"));
    }

    @Test
    void aWrongOrMissingKeyFileFailsClearly() throws Exception {
        java.nio.file.Path keyFile = keys.resolve("credentials.key");
        new JdbcCredentialStore(pool, keyFile).put(new NextcloudCredential("alice@example.org", "alice", Secret.of(APP_PASSWORD)));

        java.nio.file.Path otherKey = keys.resolve("other.key");
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        java.nio.file.Files.writeString(otherKey, java.util.Base64.getEncoder().encodeToString(random));
        java.nio.file.Files.setPosixFilePermissions(otherKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        var wrongKey = assertThrows(io.nexchange.state.credentials.CredentialException.class,
                () -> new JdbcCredentialStore(pool, otherKey).find("alice@example.org"));
        assertTrue(wrongKey.getMessage().contains("was encrypted with key") && wrongKey.getMessage().contains(otherKey.toString()),
                wrongKey.getMessage());
        assertFalse(wrongKey.getMessage().contains(APP_PASSWORD));

        java.nio.file.Path missing = keys.resolve("lost.key");
        var lost = assertThrows(io.nexchange.state.credentials.CredentialException.class,
                () -> new JdbcCredentialStore(pool, missing).find("alice@example.org"));
        assertTrue(lost.getMessage().contains("does not exist, but the database holds credentials"), lost.getMessage());
        assertFalse(java.nio.file.Files.exists(missing), "no new key that could not decrypt the stored ones");

        // a ciphertext moved onto another user's row does not authenticate there
        JdbcCredentialStore credentials = new JdbcCredentialStore(pool, keyFile);
        credentials.put(new NextcloudCredential("mallory@example.org", "mallory", Secret.of("mallory-password")));
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE credentials SET secret_ciphertext = (SELECT secret_ciphertext FROM credentials"
                    + " WHERE email = 'alice@example.org') WHERE email = 'mallory@example.org'");
        }
        var swapped = assertThrows(io.nexchange.state.credentials.CredentialException.class,
                () -> credentials.find("mallory@example.org"));
        assertTrue(swapped.getMessage().contains("does not authenticate"), swapped.getMessage());
    }

    @Test
    void csvImportIsAllOrNothingAndNamesLineAndFieldButNeverTheSecret() throws Exception {
        JdbcCredentialStore credentials = new JdbcCredentialStore(pool, keys.resolve("credentials.key"));
        credentials.put(new NextcloudCredential("carol@example.org", "carol-old", Secret.of("old-password")));
        String good = "email,username,app_password\r\n"
                + "alice@example.org,alice,secret-alice-1\r\n"
                + "\r\n"
                + "\"Bob@Example.org\",\"bob, the builder\",\"pa,ss\"\"word\"\r\n"
                + "carol@example.org,carol,secret-carol-2\r\n";
        assertEquals(new io.nexchange.state.credentials.CsvImportResult(2, 1), credentials.importCsv(new java.io.StringReader(good)));
        assertEquals("pa,ss\"word", credentials.find("bob@example.org").orElseThrow().appPassword().reveal());
        assertEquals("bob, the builder", credentials.find("bob@example.org").orElseThrow().username());
        assertEquals("carol", credentials.find("carol@example.org").orElseThrow().username());

        String bad = "dave@example.org,dave,secret-dave-1\n"
                + "erin@example.org,erin\n"
                + "not-an-address,frank,secret-frank-3\n"
                + "grace@example.org,,secret-grace-4\n"
                + "heidi@example.org,heidi,\n"
                + "dave@example.org,dave2,secret-dave-6\n"
                + "ivan@example.org,ivan,secret-ivan-7,extra\n";
        var rejected = assertThrows(io.nexchange.state.credentials.CsvImportException.class,
                () -> credentials.importCsv(new java.io.StringReader(bad)));
        assertEquals(List.of(
                "line 2: expected 3 fields (email,username,app_password), found 2",
                "line 3, field email: not an e-mail address",
                "line 4, field username: empty",
                "line 5, field app_password: empty",
                "line 6, field email: the same address as line 1",
                "line 7: expected 3 fields (email,username,app_password), found 4"), rejected.problems());
        assertFalse(rejected.getMessage().contains("secret-"), rejected.getMessage());
        assertEquals(Optional.empty(), credentials.find("dave@example.org"), "nothing of a rejected file is stored");

        var unterminated = assertThrows(io.nexchange.state.credentials.CsvImportException.class,
                () -> credentials.importCsv(new java.io.StringReader("x@example.org,x,ok\ny@example.org,y,\"secret-open\n")));
        assertEquals(List.of("line 2: a quoted field is not closed before the end of the file"), unterminated.problems());
        assertEquals(List.of("alice@example.org", "bob@example.org", "carol@example.org"), credentials.emails());

        // the same lines again: nothing changes, nothing is rewritten
        var before = credentials.list();
        assertEquals(new io.nexchange.state.credentials.CsvImportResult(0, 0, 3), credentials.importCsv(new java.io.StringReader(good)));
        assertEquals(before, credentials.list());
        // a new login with the same password is a change
        assertEquals(new io.nexchange.state.credentials.CsvImportResult(0, 1, 0),
                credentials.importCsv(new java.io.StringReader("carol@example.org,carol2,secret-carol-2\n")));
    }

    // ---- crash safety ---------------------------------------------------------------------------------

    /**
     * Kills (SIGKILL) a JVM that is committing batch after batch, then checks that the state is exactly one
     * whole batch, no older than the last one the victim saw committed: rows and cursors of the same batch,
     * nothing of a half-written one.
     */
    @Test
    void aCrashBetweenOrDuringCommitsLeavesTheLastCommittedState() throws Exception {
        TestDatabase.Target crashing = database().fresh("crash");
        java.nio.file.Path errors = keys.resolve("victim-stderr.txt");
        Process victim = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingCommitter.class.getName(),
                crashing.url(), crashing.user(), crashing.password())
                .redirectError(errors.toFile()).start();
        int acknowledged = 0;
        try (java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(victim.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String line;
            while (acknowledged < 12 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                acknowledged = Integer.parseInt(line.substring("committed ".length()));
            }
            victim.destroyForcibly(); // SIGKILL: no shutdown hooks, no pool close, a transaction may be open
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
        } finally {
            victim.destroyForcibly();
        }
        assertTrue(acknowledged >= 12, "the victim committed only " + acknowledged + " batches: "
                + java.nio.file.Files.readString(errors));

        JdbcSyncStateStore recovered = JdbcSyncStateStore.over(pool(crashing, 2));
        String exchange = recovered.cursor(CALENDAR, Side.EXCHANGE).value();
        int batch = Integer.parseInt(exchange.substring("exchange-".length()));
        assertTrue(batch >= acknowledged, "state of batch " + batch + " is older than the acknowledged batch " + acknowledged);
        assertEquals(new Cursor("nextcloud-" + batch), recovered.cursor(CALENDAR, Side.NEXTCLOUD));
        Map<ItemKey, ItemStatus> expected = new java.util.HashMap<>();
        for (int i = 0; i < CrashingCommitter.ROWS; i++) {
            expected.put(CrashingCommitter.key(batch, i), CrashingCommitter.row(batch, i));
        }
        assertEquals(expected, recovered.status(CALENDAR), "rows of exactly batch " + batch);
        System.out.printf("FIGURE %s crash test: killed after batch %d was acknowledged; recovered batch %d%n",
                getClass().getSimpleName(), acknowledged, batch);
    }

    // ---- figures --------------------------------------------------------------------------------------

    /** Prints commits/s of 500-row updates (a benchmark: the assertion is on the data, not the time). */
    @Test
    void benchmarkCommitsOf500Rows() throws Exception {
        int commits = 20;
        int rows = 500;
        store.commit(CALENDAR, batch(0, rows)); // warm-up: statement caches, JIT
        long start = System.nanoTime();
        for (int c = 1; c <= commits; c++) {
            store.commit(CALENDAR, batch(c, rows));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<ItemKey, ItemStatus> status = store.status(CALENDAR);
        assertEquals((commits + 1) * rows / 2 + rows / 2, status.size());
        assertEquals(new Cursor("delta-" + commits), store.cursor(CALENDAR, Side.EXCHANGE));
        System.out.printf("FIGURE %s: %d commits of %d-row StatusUpdates (half new rows, half updates) in %.2f s = %.1f commits/s,"
                + " %.0f rows/s%n", getClass().getSimpleName(), commits, rows, seconds, commits / seconds, commits * rows / seconds);

        // the common case: a poll that found one change
        int small = 100;
        start = System.nanoTime();
        for (int c = 1; c <= small; c++) {
            store.commit(CONTACTS, new StatusUpdate().put(item("single-" + c, "ck", "\"e\"")).cursor(Side.EXCHANGE, new Cursor("d" + c)));
        }
        seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(small, store.status(CONTACTS).size());
        System.out.printf("FIGURE %s: %d commits of 1 row + 1 cursor in %.2f s = %.1f commits/s%n",
                getClass().getSimpleName(), small, seconds, small / seconds);
    }

    /** Half the rows update the previous batch's new rows, half are new. */
    private static StatusUpdate batch(int c, int rows) {
        StatusUpdate update = new StatusUpdate().cursor(Side.EXCHANGE, new Cursor("delta-" + c));
        for (int i = 0; i < rows / 2; i++) {
            update.put(item("uid-" + c + "-" + i, "ck-" + c, "\"e" + c + "\""));
            if (c > 0) {
                update.put(item("uid-" + (c - 1) + "-" + i, "ck-" + c, "\"e" + c + "\""));
            }
        }
        if (c == 0) {
            for (int i = 0; i < rows / 2; i++) {
                update.put(item("uid-warm-" + i, "ck", "\"e\""));
            }
        }
        return update;
    }
}
