package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.nextcloud.internal.DavItemStore;
import io.nexchange.nextcloud.internal.DavSettings;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcSyncStateStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import io.nexchange.testing.radicale.RadicaleServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reading Nextcloud costs in the two cases where a sync used to download what it already had (issue 10): the
 * echo cycle right after an initial sync (Radicale lists the items the engine just wrote) and a resync after a dead
 * sync-token (a full listing). Counts Radicale's requests by method and the bytes on the wire (through a counting
 * relay), prints them, and asserts that neither case fetches content (no calendar-multiget REPORT).
 * {@code -Dengine.cost.items} (200) sizes it.
 */
class DavFetchCostTest {
    static final int ITEMS = Integer.getInteger("engine.cost.items", 200);
    static final Mailbox ALICE = new Mailbox("alice@example.org", "alice@example.org", "Alice");

    @TempDir
    Path temp;

    @Test
    void echoCycleAndDeadTokenResyncListWithoutFetching() throws Exception {
        MemoryStore exchange = new MemoryStore("graph");
        Owner owner = new Owner(ALICE, new Account("alice", ALICE.primarySmtp(), ""));
        MemoryStore.Collection calendar = exchange.collections.get(
                exchange.ensureCollection(owner, CollectionKind.CALENDAR, "").id());
        calendar.pageSize = 500;
        for (int i = 0; i < ITEMS; i++) {
            calendar.put("ev-" + i, ics("ev-" + i, "Event " + i));
        }
        try (HikariDataSource pool = DataSources.pool("jdbc:h2:file:" + temp.resolve("state"), "sa", Secret.of(""), 2, 10_000);
                RadicaleServer radicale = RadicaleServer.start();
                CountingRelay relay = new CountingRelay(radicale.port())) {
            new SchemaMigrator(pool, "test").migrate();
            JdbcSyncStateStore state = JdbcSyncStateStore.over(pool);
            radicale.addUser("alice", "alice-pw");
            try (DavItemStore dav = new DavItemStore(DavSettings.defaults(URI.create("http://127.0.0.1:" + relay.port() + "/")),
                    account -> new DavLogin(account.userId(), Secret.of("alice-pw")))) {
                EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0],
                        "caldav"), Set.of(CollectionKind.CALENDAR), "Exchange", "", 1, Duration.ofMinutes(5), "test");
                Map<String, ItemStore> stores = Map.of("exchange/graph", exchange, "nextcloud/caldav", dav);
                MailboxSync worker = new MailboxSync(m -> new Resolution(m, List.of(new Account("alice", m.primarySmtp(), ""))),
                        state, (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)), settings,
                        PairSync.Listener.NONE, Clock.systemUTC());
                assertEquals(MailboxResult.State.OK, worker.sync(ALICE, false).state());

                Cost echo = measure(radicale, relay, () -> worker.sync(ALICE, false));
                System.out.printf(Locale.ROOT, "Radicale, echo cycle after the initial sync of %d events: %s%n", ITEMS, echo);

                // the stored sync-token dies (pruned by the server): the next read is a full listing
                CollectionRef ours = dav.ensureCollection(owner, CollectionKind.CALENDAR, "Exchange");
                SyncPair pair = new SyncPair(ALICE.primarySmtp(), CollectionKind.CALENDAR, MailboxSync.EXCHANGE_DEFAULT, ours.id());
                state.commit(pair, new StatusUpdate().cursor(Side.NEXTCLOUD,
                        BackendCursor.wrap("caldav", new Cursor("sync:http://radicale.org/ns/sync/0000000000000000"))));
                Cost resync = measure(radicale, relay, () -> worker.sync(ALICE, false));
                System.out.printf(Locale.ROOT, "Radicale, dead sync-token resync of %d events: %s%n", ITEMS, resync);

                if (!Boolean.getBoolean("engine.cost.measureOnly")) { // set to measure a build before issue 10
                    assertEquals(1L, echo.requests().get("REPORT"), "echo: the sync-collection, no multiget: " + echo);
                    assertEquals(1L, resync.requests().get("REPORT"),
                            "resync: the refused sync-collection, then a listing PROPFIND, no multiget: " + resync);
                }
            }
        }
    }

    record Cost(Map<String, Long> requests, long sent, long received, String outcome) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d requests %s, %d bytes sent, %d bytes received (%s)",
                    requests.values().stream().mapToLong(Long::longValue).sum(), requests, sent, received, outcome);
        }
    }

    private static Cost measure(RadicaleServer radicale, CountingRelay relay, java.util.function.Supplier<MailboxResult> run) {
        int mark = radicale.mark();
        long sent = relay.sent.get();
        long received = relay.received.get();
        MailboxResult result = run.get();
        assertEquals(MailboxResult.State.OK, result.state(), result.summary());
        assertEquals(0, result.writes(), result.summary());
        Map<String, Long> byMethod = radicale.requestsSince(mark).stream()
                .collect(Collectors.groupingBy(r -> r.method(), TreeMap::new, Collectors.counting()));
        return new Cost(byMethod, relay.sent.get() - sent, relay.received.get() - received,
                result.state() + ", " + result.writes() + " written");
    }
}
