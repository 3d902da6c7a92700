package io.nexchange.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.engine.internal.Direction;
import io.nexchange.engine.internal.MailboxResult;
import io.nexchange.engine.internal.SyncScheduler;
import io.nexchange.testing.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the sync state database takes per cycle (issue 16, the soak's finding): after the initial sync, idle cycles, then
 * cycles with edits on both sides (as the soak makes them), two-way; after each cycle the rows written by table (counted
 * at the JDBC connection), the write transactions, and the database's size: the H2 file, or PostgreSQL's database size
 * with its live and dead tuples (pg_stat_user_tables).
 *
 * <p>A benchmark, not in CI's default run: {@code mvn -pl reliability -am verify -Dtest=StateGrowthBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgrowth.mailboxes=1000}. Properties: {@code growth.mailboxes} (300),
 * {@code growth.idle} and {@code growth.edits} (10 cycles each), {@code growth.database} ({@code h2} or {@code postgresql}),
 * {@code growth.scheduler} ({@code kept}: one scheduler that joined the fleet, as the runtime's engine; {@code per-cycle}:
 * a new one each cycle, as the fault matrix), {@code growth.pauseSeconds} (between cycles, 0).
 */
class StateGrowthBenchmark {

    @Test
    void growth() throws Exception {
        int mailboxCount = Integer.getInteger("growth.mailboxes", 0);
        Assumptions.assumeTrue(mailboxCount > 0 && !Boolean.getBoolean("nexchange.hostile.smallHeap"),
                "runs with -Dgrowth.mailboxes=N only, in the default surefire execution");
        int idleCycles = Integer.getInteger("growth.idle", 10);
        int editCycles = Integer.getInteger("growth.edits", 10);
        boolean postgresql = System.getProperty("growth.database", "h2").equals("postgresql");
        boolean kept = System.getProperty("growth.scheduler", "kept").equals("kept");
        long pause = Long.getLong("growth.pauseSeconds", 0);
        Path temp = Files.createTempDirectory("nexchange-growth");
        PostgresServer postgres = postgresql ? PostgresServer.start() : null;
        RowCounter counter = new RowCounter();
        try (FaultRig rig = new FaultRig(temp, mailboxCount, 3, 1, Duration.ofSeconds(20));
                HikariDataSource pool = postgresql ? FaultRig.pool(postgres.createDatabase("state"), postgres.user(), postgres.password())
                        : FaultRig.pool("jdbc:h2:file:" + temp.resolve("state/state"), "sa", "")) {
            rig.direction = Direction.TWO_WAY;
            rig.threads = 4;
            rig.cycleTimeout = Duration.ofMinutes(30);
            rig.useState(counter.wrap(pool));
            SyncScheduler scheduler = null;
            if (kept) {
                scheduler = rig.scheduler();
                scheduler.joinFleet();
            }
            System.out.printf(Locale.ROOT, "GROWTH %d mailboxes (3 events, 1 contact each), two-way, state on %s, scheduler %s%n",
                    mailboxCount, postgresql ? "PostgreSQL" : "H2 (file)", kept ? "kept across cycles (joined the fleet, as the runtime)"
                            : "made anew each cycle");
            System.out.println("GROWTH cycle | kind | seconds | states | items written | write transactions | rows written | by table"
                    + " | database MB" + (postgresql ? " | live tuples | dead tuples" : ""));
            Map<String, List<String>> exchangeEvents = new HashMap<>();
            Map<String, List<String>> davEvents = new HashMap<>();
            Random random = new Random(16);
            int total = 2 + idleCycles + editCycles;
            double[] firstAndLast = new double[4];
            for (int cycle = 0; cycle < total; cycle++) {
                String kind = cycle == 0 ? "initial" : cycle == 1 ? "echo" : cycle < 2 + idleCycles ? "idle" : "edits";
                if (kind.equals("edits")) {
                    SoakBenchmark.editExchange(rig, random, exchangeEvents, cycle);
                    SoakBenchmark.editNextcloud(rig, random, davEvents, cycle);
                }
                Map<String, Long> before = counter.snapshot();
                long started = System.nanoTime();
                List<MailboxResult> results = scheduler != null
                        ? scheduler.cycle(false).get(rig.cycleTimeout.toSeconds(), TimeUnit.SECONDS) : rig.cycle();
                double seconds = (System.nanoTime() - started) / 1e9;
                Map<String, Long> written = RowCounter.since(before, counter.snapshot());
                long transactions = written.getOrDefault("transactions", 0L);
                written.remove("transactions");
                String size;
                if (postgresql) {
                    Thread.sleep(11_000); // the backends report their table statistics within 10 s of going idle
                    long[] stats = postgresStats(pool);
                    size = String.format(Locale.ROOT, "%.1f | %d | %d", stats[0] / 1e6, stats[1], stats[2]);
                    record(firstAndLast, kind, cycle, 2 + idleCycles, stats[0] / 1e6);
                } else {
                    double mb = h2Size(temp) / 1e6;
                    size = String.format(Locale.ROOT, "%.1f", mb);
                    record(firstAndLast, kind, cycle, 2 + idleCycles, mb);
                }
                System.out.printf(Locale.ROOT, "GROWTH %d | %s | %.1f | %s | %d | %d | %d | %s | %s%n", cycle, kind, seconds,
                        results.stream().collect(Collectors.groupingBy(r -> r.state().name(), TreeMap::new, Collectors.counting())),
                        results.stream().mapToInt(MailboxResult::writes).sum(), transactions, RowCounter.rows(written), written, size);
                assertTrue(results.stream().allMatch(r -> r.state() == MailboxResult.State.OK), "every mailbox OK in cycle " + cycle);
                if (pause > 0) {
                    Thread.sleep(pause * 1000);
                }
            }
            System.out.printf(Locale.ROOT, "GROWTH summary: database %.1f MB after the echo cycle, %.1f MB after %d idle cycles (%+.2f MB"
                    + " per idle cycle), %.1f MB after %d edit cycles (%+.2f MB per edit cycle)%n", firstAndLast[0], firstAndLast[1],
                    idleCycles, (firstAndLast[1] - firstAndLast[0]) / Math.max(1, idleCycles), firstAndLast[3], editCycles,
                    (firstAndLast[3] - firstAndLast[1]) / Math.max(1, editCycles));
            if (scheduler != null) {
                scheduler.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            try (var paths = Files.walk(temp)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** [0] after the echo cycle, [1] after the last idle cycle, [3] after the last edit cycle. */
    private static void record(double[] sizes, String kind, int cycle, int firstEdit, double mb) {
        if (kind.equals("echo")) {
            sizes[0] = mb;
            sizes[1] = mb;
        } else if (kind.equals("idle")) {
            sizes[1] = mb;
        } else if (kind.equals("edits")) {
            sizes[3] = mb;
        }
    }

    private static long h2Size(Path temp) throws Exception {
        try (var paths = Files.walk(temp.resolve("state"))) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The database's size in bytes, its live and its dead tuples. */
    private static long[] postgresStats(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_database_size(current_database()),"
                        + " COALESCE(SUM(n_live_tup), 0), COALESCE(SUM(n_dead_tup), 0) FROM pg_stat_user_tables")) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2), row.getLong(3)};
        }
    }
}
