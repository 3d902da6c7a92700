package io.nexchange.state.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on embedded H2, a database file per test in a temp dir. */
class H2SyncStateStoreTest extends SyncStateStoreContract {
    static H2Files files;

    @BeforeAll
    static void createDirectory() {
        files = new H2Files();
    }

    @AfterAll
    static void deleteDirectory() {
        files.close();
    }

    @Override
    TestDatabase database() {
        return files;
    }

    /**
     * The soak's finding: the state file grew by megabytes per cycle. Many small commits over many pairs (new rows, cursors,
     * lease taken and released, as cycles with edits make them), once the way the store opened H2 before (WRITE_DELAY=0:
     * durable, but H2's background housekeeping off) and once as it opens it now; H2's retention time is shortened to 1 s
     * (45 s by default) so the space of replaced chunks can be reused within the test. H2's background writer must run (it
     * does the housekeeping), and the file must end smaller than without it (the crash test shows the commits durable).
     */
    @Test
    void theFileStaysNearItsDataUnderManySmallCommits() throws Exception {
        long[] before = smallCommits(files.fresh("housekeeping-off"), ";WRITE_DELAY=0;RETENTION_TIME=1000");
        long[] now = smallCommits(files.fresh("housekeeping-on"), ";RETENTION_TIME=1000");
        System.out.printf(java.util.Locale.ROOT, "FIGURE H2 file after 6 s of small commits: %.1f MB with WRITE_DELAY=0 (before, %d"
                + " commits), %.1f MB now (%d commits)%n", before[0] / 1e6, before[1], now[0] / 1e6, now[1]);
        assertTrue(now[2] > 0, "H2's background writer, which does its housekeeping, runs: WRITE_DELAY " + now[2]);
        assertTrue(now[0] < before[0], "the file stays nearer its data: " + now[0] + " bytes now, " + before[0] + " before");
    }

    /** Seeds 400 pairs, then 6 s of bursts of small commits and leases over them; the file's size, the commits made, WRITE_DELAY. */
    private static long[] smallCommits(TestDatabase.Target target, String settings) throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of(target.url().substring("jdbc:h2:file:".length()) + ".mv.db");
        long commits = 0;
        try (com.zaxxer.hikari.HikariDataSource pool = new TestDatabase.Target(target.url() + settings, target.user(),
                target.password()).pool(2)) {
            new SchemaMigrator(pool, "growth").migrate();
            JdbcSyncStateStore store = JdbcSyncStateStore.over(pool);
            java.util.List<io.nexchange.api.state.SyncPair> pairs = new java.util.ArrayList<>();
            for (int p = 0; p < 400; p++) {
                io.nexchange.api.state.SyncPair pair = new io.nexchange.api.state.SyncPair("user" + p + "@example.org",
                        io.nexchange.api.CollectionKind.CALENDAR, "exchange-" + p, "https://cloud.example.org/dav/" + p + "/");
                pairs.add(pair);
                io.nexchange.api.state.StatusUpdate seed = new io.nexchange.api.state.StatusUpdate()
                        .cursor(io.nexchange.api.state.Side.EXCHANGE, new io.nexchange.api.source.Cursor("delta-" + p + "-0"));
                for (int i = 0; i < 3; i++) {
                    seed.put(CrashingCommitter.row(p, i));
                }
                store.commit(pair, seed);
                commits++;
            }
            java.util.Random random = new java.util.Random(16);
            long end = System.nanoTime() + java.time.Duration.ofSeconds(6).toNanos();
            for (int round = 1; System.nanoTime() < end; round++) {
                if (round % 30 == 0) {
                    Thread.sleep(300); // cycles come in bursts: H2's housekeeping runs between them, as it does in service
                }
                int p = random.nextInt(pairs.size());
                store.commit(pairs.get(p), new io.nexchange.api.state.StatusUpdate().put(CrashingCommitter.row(p, 10 + round))
                        .cursor(io.nexchange.api.state.Side.EXCHANGE, new io.nexchange.api.source.Cursor("delta-" + p + "-" + round)));
                store.tryLease(pairs.get(p).mailbox(), "growth", java.time.Duration.ofMinutes(1)).orElseThrow().close();
                commits += 3;
            }
            assertTrue(store.status(pairs.get(0)).size() >= 3, "the rows are there");
            long writeDelay;
            try (java.sql.Connection connection = pool.getConnection(); java.sql.Statement query = connection.createStatement();
                    java.sql.ResultSet row = query.executeQuery(
                            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                row.next();
                writeDelay = Long.parseLong(row.getString(1));
            }
            return new long[] {java.nio.file.Files.size(file), commits, writeDelay}; // before the close, which compacts
        }
    }

    /** H2 database files under one temp dir. */
    static final class H2Files implements TestDatabase {
        private final Path directory;
        private final AtomicInteger count = new AtomicInteger();

        H2Files() {
            try {
                directory = Files.createTempDirectory("nexchange-h2-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Target fresh(String name) {
            return new Target("jdbc:h2:file:" + directory.resolve(name + "-" + count.incrementAndGet()), "nexchange", "h2-password");
        }

        @Override
        public void close() {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
