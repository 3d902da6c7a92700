package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.Resolution;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcSyncStateStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's split of the mailboxes: rendezvous ownership is fair and moves only what must move; schedulers sharing one
 * state database split the mailboxes by leases, a new one gets its share within a few checks of the fleet, one that stops
 * hands its share to the others at their next check, and a lease is never handed over while a run uses it.
 */
class FleetTest {
    @TempDir
    Path temp;

    @Test
    void ownershipIsAboutFairAndAJoiningInstanceTakesOnlyItsShareFromEachOther() {
        List<String> three = List.of("node-a", "node-b", "node-c");
        List<String> four = List.of("node-a", "node-b", "node-c", "node-d");
        Map<String, Integer> counts = new TreeMap<>();
        int moved = 0;
        for (int i = 0; i < 3000; i++) {
            String mailbox = "user" + i + "@example.org";
            String before = Fleet.owner(mailbox, three);
            String after = Fleet.owner(mailbox, four);
            counts.merge(before, 1, Integer::sum);
            if (!before.equals(after)) {
                assertEquals("node-d", after, "a mailbox moves only to the instance that joined");
                moved++;
            }
        }
        counts.values().forEach(n -> assertTrue(n > 900 && n < 1100, "about a third each: " + counts));
        assertTrue(moved > 600 && moved < 900, "about a quarter moves: " + moved);
        assertEquals(Fleet.owner("alice@example.org", three), Fleet.owner("alice@example.org", List.of("node-c", "node-a",
                "node-b")), "the same on every instance, whatever order it lists the others in");
    }

    @Test
    void theFleetIsCheckedFourTimesAnIntervalAndAtLeastEveryTenSecondsWhileLeasesAreRenewedEveryQuarterLease() {
        Fleet production = new Fleet(null, "node-a", "", java.time.Instant.EPOCH, Duration.ofSeconds(300), System::nanoTime);
        assertEquals(Duration.ofSeconds(75), production.beatEvery());
        assertEquals(Duration.ofSeconds(10), production.checkEvery(Duration.ofSeconds(300)));
        Fleet test = new Fleet(null, "node-a", "", java.time.Instant.EPOCH, Duration.ofSeconds(9), System::nanoTime);
        assertEquals(Duration.ofMillis(750), test.checkEvery(Duration.ofSeconds(3)));
        assertEquals(Duration.ofMillis(2250), test.checkEvery(Duration.ZERO), "no interval (benchmarks): every quarter lease");
    }

    @Test
    void aLeaseARunUsesIsHandedOverWhenTheRunEndsAndAnIdleOneAtOnce() throws Exception {
        try (HikariDataSource pool = DataSources.pool("jdbc:h2:file:" + temp.resolve("state"), "sa", Secret.of(""), 4, 10_000)) {
            new SchemaMigrator(pool, "test").migrate();
            JdbcSyncStateStore state = JdbcSyncStateStore.over(pool);
            Fleet a = new Fleet(state, "node-a", "", java.time.Instant.now(), Duration.ofSeconds(60), System::nanoTime);
            Fleet b = new Fleet(state, "node-b", "", java.time.Instant.now(), Duration.ofSeconds(60), System::nanoTime);
            List<String> toB = new ArrayList<>();
            for (int i = 0; toB.size() < 2; i++) {
                if (Fleet.owner("user" + i + "@example.org", List.of("node-a", "node-b")).equals("node-b")) {
                    toB.add("user" + i + "@example.org");
                }
            }
            a.beat(); // alone: node-a owns every mailbox and keeps their leases across runs
            Fleet.Held running = a.acquire(toB.get(0)).orElseThrow();
            a.runEnded(a.acquire(toB.get(1)).orElseThrow());
            assertTrue(a.holds(toB.get(1)), "kept after its run while node-a owns it");

            b.beat();
            a.beat(); // node-a sees node-b: both mailboxes are node-b's now
            assertEquals(1, a.releaseSurplus(), "the idle lease is handed over at once, the one a run uses is not");
            assertTrue(b.acquire(toB.get(1)).isPresent());
            assertTrue(b.acquire(toB.get(0)).isEmpty(), "never while node-a's run may still write under it");
            a.runEnded(running);
            assertFalse(a.holds(toB.get(0)), "released when the run ended");
            assertTrue(b.acquire(toB.get(0)).isPresent());
        }
    }

    @Test
    void schedulersOnOneDatabaseSplitTheMailboxesRebalanceOnJoinAndTakeOverFromOneThatLeft() throws Exception {
        MemoryStore exchange = new MemoryStore("graph");
        MemoryStore nextcloud = new MemoryStore("vdir");
        List<Mailbox> mailboxes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            mailboxes.add(new Mailbox("id-" + i, "user" + i + "@example.org", "User " + i));
        }
        try (HikariDataSource pool = DataSources.pool("jdbc:h2:file:" + temp.resolve("state"), "sa", Secret.of(""), 8, 10_000)) {
            new SchemaMigrator(pool, "test").migrate();
            JdbcSyncStateStore state = JdbcSyncStateStore.over(pool);
            Map<String, SyncScheduler> fleet = new HashMap<>();
            try {
                for (String node : List.of("node-a", "node-b")) {
                    fleet.put(node, start(node, state, mailboxes, exchange, nextcloud));
                }
                awaitSplit(state, Set.of("node-a", "node-b"), 24);
                fleet.put("node-c", start("node-c", state, mailboxes, exchange, nextcloud));
                Map<String, Integer> three = awaitSplit(state, Set.of("node-a", "node-b", "node-c"), 24);
                three.values().forEach(n -> assertTrue(n >= 3, "each takes about its share: " + three));

                String status = FleetSection.render(fleet.get("node-a").fleet(), state);
                assertTrue(status.startsWith("This instance: node-a, holds "), status);
                assertTrue(status.contains("node-c ") && status.contains("Mailbox leases (24):") && status.contains(
                        "  user0@example.org  " + Fleet.owner("user0@example.org", List.of("node-a", "node-b", "node-c"))), status);

                fleet.remove("node-b").close(); // a clean stop: leases released, record removed
                awaitSplit(state, Set.of("node-a", "node-c"), 24);
                // a lease is in the database a moment before the instance that took it has recorded it (the state store
                // returns once the write is on disk): the instances' own view is waited for too
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                int held;
                while ((held = fleet.get("node-a").fleet().heldMailboxes().size() + fleet.get("node-c").fleet().heldMailboxes().size())
                        != 24 && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertEquals(24, held, "the two left hold every mailbox: node-a " + fleet.get("node-a").fleet().heldMailboxes()
                        + ", node-c " + fleet.get("node-c").fleet().heldMailboxes());
            } finally {
                fleet.values().forEach(SyncScheduler::close);
            }
        }
    }

    private static SyncScheduler start(String node, JdbcSyncStateStore state, List<Mailbox> mailboxes, MemoryStore exchange,
            MemoryStore nextcloud) {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0], "vdir"),
                Set.of(CollectionKind.CALENDAR), "", "", 2, Duration.ofSeconds(2), node);
        SyncScheduler scheduler = new SyncScheduler(() -> mailboxes,
                listener -> new MailboxSync(m -> new Resolution(m, List.of(new Account(m.primarySmtp().substring(0,
                        m.primarySmtp().indexOf('@')), m.primarySmtp(), ""))), state,
                        (side, backend, kind) -> Optional.of(side.equals("exchange") ? exchange : nextcloud), settings, listener,
                        Clock.systemUTC()), 2, Clock.systemUTC());
        scheduler.start(Duration.ZERO, Duration.ofSeconds(2), Duration.ofMinutes(1));
        return scheduler;
    }

    /**
     * Waits until exactly {@code holders} hold all {@code total} mailboxes, each mailbox held by its owner among them;
     * returns the count per holder.
     */
    private static Map<String, Integer> awaitSplit(JdbcSyncStateStore state, Set<String> holders, int total) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Integer> counts = Map.of();
        List<String> live = new ArrayList<>(holders);
        while (System.nanoTime() < deadline) {
            counts = new TreeMap<>();
            Map<String, String> held = state.leaseHolders();
            boolean byOwner = true;
            for (Map.Entry<String, String> lease : held.entrySet()) {
                counts.merge(lease.getValue(), 1, Integer::sum);
                byOwner &= lease.getValue().equals(Fleet.owner(lease.getKey(), live));
            }
            if (byOwner && counts.keySet().equals(holders) && held.size() == total) {
                return counts;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not split between " + holders + " within 30 s: " + counts);
    }
}
