package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.Owner;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcSyncStateStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory bound of issue 15 at its size: one instance syncing 10,000 mailboxes (mostly empty: every hundredth
 * calendar holds an event) keeps at most 256 MB of heap for them once synced. The engine as the runtime runs it
 * (SyncScheduler, MailboxSync, 4 workers) with the state in JdbcSyncStateStore on H2 (file) through HikariCP; both
 * sides are in-memory stores whose collections exist before the baseline, so the run fits a CI budget and the heap
 * gained is the engine's and the state's (the Graph stores' share is measured by the scale benchmark, -Dbenchmark=scale).
 * Prints the figures.
 */
class TenThousandMailboxesTest {
    static final int MAILBOXES = Integer.getInteger("engine.scaleMailboxes", 10_000);
    static final long BOUND = 256L << 20;

    @TempDir
    Path temp;

    @Test
    void tenThousandMailboxesSyncAndIdleWithinTheMemoryBound() throws Exception {
        MemoryStore exchange = new MemoryStore("graph");
        MemoryStore nextcloud = new MemoryStore("vdir");
        List<Mailbox> mailboxes = new ArrayList<>();
        for (int i = 0; i < MAILBOXES; i++) {
            String smtp = "user" + i + "@example.org";
            Mailbox mailbox = new Mailbox("id-" + i, smtp, "User " + i);
            mailboxes.add(mailbox);
            Owner owner = new Owner(mailbox, account(smtp));
            // both sides' collections exist before the baseline, so what the heap gains is the engine's and the state's
            for (CollectionKind kind : CollectionKind.values()) {
                CollectionRef ref = exchange.ensureCollection(owner, kind, "");
                nextcloud.ensureCollection(owner, kind, "");
                if (i % 100 == 0 && kind == CollectionKind.CALENDAR) {
                    exchange.collections.get(ref.id()).put("event-" + i, MemoryStore.ics("event-" + i, "Meeting " + i));
                }
            }
        }
        long baseline = usedHeapAfterGc();
        try (HikariDataSource pool = DataSources.pool("jdbc:h2:file:" + temp.resolve("state"), "sa", Secret.of(""), 6, 30_000)) {
            new SchemaMigrator(pool, "test").migrate();
            JdbcSyncStateStore state = JdbcSyncStateStore.over(pool);
            EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0], "vdir"),
                    Set.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS), "", "", 4, Duration.ofMinutes(15), "scale-test");
            try (SyncScheduler scheduler = new SyncScheduler(() -> mailboxes,
                    listener -> new MailboxSync(mailbox -> new Resolution(mailbox, List.of(account(mailbox.primarySmtp()))), state,
                            (side, backend, kind) -> Optional.of(side.equals("exchange") ? exchange : nextcloud), settings, listener,
                            Clock.systemUTC()), 4, Clock.systemUTC())) {
                long start = System.nanoTime();
                List<MailboxResult> initial = scheduler.cycle(false).get(10, TimeUnit.MINUTES);
                double initialSeconds = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                List<MailboxResult> idle = scheduler.cycle(false).get(10, TimeUnit.MINUTES);
                double idleSeconds = (System.nanoTime() - start) / 1e9;
                long used = usedHeapAfterGc() - baseline;
                System.out.printf(java.util.Locale.ROOT, "%,d mailboxes: initial cycle %.1f s (%d items written), idle cycle %.1f s "
                        + "(%.2f ms per mailbox); heap held for them after GC (engine, state store, H2) %.1f MiB = %,d bytes "
                        + "per mailbox (bound %d MiB)%n", MAILBOXES, initialSeconds, writes(initial), idleSeconds,
                        idleSeconds * 1000 / MAILBOXES, used / 1048576.0, used / MAILBOXES, BOUND >> 20);
                assertEquals(Map.of(MailboxResult.State.OK, (long) MAILBOXES), states(initial));
                assertEquals(MAILBOXES / 100, writes(initial), "every hundredth calendar's event, once");
                assertEquals(Map.of(MailboxResult.State.OK, (long) MAILBOXES), states(idle));
                assertEquals(0, writes(idle), "the idle cycle writes nothing");
                assertTrue(used < BOUND, "heap held for " + MAILBOXES + " mailboxes: " + (used >> 20) + " MiB");
            }
        }
    }

    private static Account account(String smtp) {
        return new Account(smtp.substring(0, smtp.indexOf('@')), smtp, "");
    }

    private static Map<MailboxResult.State, Long> states(List<MailboxResult> results) {
        Map<MailboxResult.State, Long> out = new TreeMap<>();
        results.forEach(r -> out.merge(r.state(), 1L, Long::sum));
        return out;
    }

    private static long writes(List<MailboxResult> results) {
        return results.stream().mapToLong(MailboxResult::writes).sum();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
