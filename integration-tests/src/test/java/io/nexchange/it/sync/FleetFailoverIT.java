package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.faults.FaultProxy;
import io.nexchange.testing.postgres.PostgresServer;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's fleet test: real runtime processes on one PostgreSQL, syncing the sandbox into Radicale on their own
 * schedule while the sandbox's events keep being edited. Two instances start, a third joins (rebalance), one is killed
 * with {@code kill -9} (its mailboxes move to the others within the lease time), another is paused with SIGSTOP past
 * its lease and woken with SIGCONT (fencing), the killed one is started again. At the end Radicale equals the sandbox
 * (every edit, no duplicate), and the database's own history proves that no instance ever committed, and no instance's
 * DAV connection ever wrote, for a mailbox whose lease it did not hold at that moment.
 *
 * <p>How it observes: every instance reaches Radicale through its own HTTP proxy ({@link FaultProxy}, which logs each
 * request with its time) and connects to PostgreSQL with its name as {@code ApplicationName}; triggers the test installs
 * log every lease acquisition and release ({@code lease_log}) and every commit with the committing instance
 * ({@code commit_log}, by {@code application_name}), on the database's clock, which is this machine's clock.
 */
class FleetFailoverIT {
    static final int MAILBOXES = 6;
    static final long SEED = 15;
    static final int INTERVAL = 3;
    static final int LEASE = 9;
    static final List<String> NODES = List.of("node-a", "node-b", "node-c");

    final Map<String, RuntimeProcess> runtimes = new ConcurrentHashMap<>();
    final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    final Map<String, Path> bases = new LinkedHashMap<>();
    /** Per mailbox, the finish times of its OK runs on any instance, as their sync-status shows them. */
    final Map<String, List<Instant>> okRuns = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger edits = new AtomicInteger();
    PostgresServer postgres;
    String url;
    List<String> mailboxes = List.of();

    @Test
    void threeRuntimesOnOnePostgresRebalanceFailOverFenceAndLoseNothing() throws Exception {
        Path temp = Files.createTempDirectory("fleet-");
        SandboxServer sandbox = null;
        RadicaleServer radicale = null;
        List<Thread> threads = new ArrayList<>();
        try {
            postgres = PostgresServer.start();
            url = postgres.createDatabase("fleet");
            Files.writeString(temp.resolve("pg.password"), postgres.password() + "\n");
            sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, SEED);
            radicale = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
            mailboxes = SyncRig.mailboxes(sandbox);
            SyncRig.addAccounts(radicale, mailboxes, temp.resolve("passwords"));
            for (String node : NODES) {
                FaultProxy proxy = FaultProxy.start(FaultProxy.Mode.HTTP, radicale.port());
                proxies.put(node, proxy);
                bases.put(node, SyncRig.prepareInstance(temp.resolve(node), sandbox, radicale, temp.resolve("passwords"), "graph",
                        config(node, proxy, radicale, temp)));
            }
            long began = System.nanoTime();
            start("node-a");
            installHistoryTriggers();
            start("node-b");
            for (String node : NODES) {
                threads.add(BackendSwitchLiveIT.daemon("monitor-" + node, () -> monitor(node)));
            }
            SandboxServer tenant = sandbox;
            List<String> all = mailboxes;
            threads.add(BackendSwitchLiveIT.daemon("sandbox-editor", () -> edit(tenant, all)));

            Map<String, String> two = awaitHolders("the first two instances split the mailboxes", List.of("node-a", "node-b"),
                    mailboxes, Duration.ofSeconds(60));
            System.out.printf("[figures] 2 instances: %s%n", counts(two));

            Instant joined = Instant.now();
            start("node-c");
            Map<String, String> three = awaitHolders("a third instance takes its share", NODES, mailboxes, Duration.ofSeconds(60));
            System.out.printf("[figures] node-c joined: rebalanced over 3 instances %.1f s after it was ready: %s%n",
                    seconds(joined, Instant.now()), counts(three));

            Instant killed = Instant.now();
            runtimes.remove("node-b").kill();
            Map<String, String> afterKill = awaitHolders("node-b's mailboxes move to the others after kill -9",
                    List.of("node-a", "node-c"), mailboxes, Duration.ofSeconds(LEASE * 3L));
            double handover = seconds(killed, Instant.now());
            System.out.printf("[figures] kill -9 node-b: its mailboxes held by the others %.1f s later (lease %d s): %s%n",
                    handover, LEASE, counts(afterKill));
            assertTrue(handover <= LEASE * 1.25 + 10, "handed over within the lease time (+ a heartbeat and a check): " + handover);

            long pid = runtimes.get("node-c").pid();
            Instant paused = Instant.now();
            signal("STOP", pid);
            Map<String, String> afterPause = awaitHolders("node-c's mailboxes move to node-a while it is paused", List.of("node-a"),
                    mailboxes, Duration.ofSeconds(LEASE * 3L));
            System.out.printf("[figures] SIGSTOP node-c: its mailboxes held by node-a %.1f s later%n", seconds(paused, Instant.now()));
            Thread.sleep(2000); // paused well past its lease, while node-a writes its mailboxes
            Instant woken = Instant.now();
            signal("CONT", pid);
            Thread.sleep(LEASE * 1000L / 2); // it wakes in the middle of whatever it was doing
            String log = Files.readString(bases.get("node-c").resolve("log/nexchange.log"));
            System.out.printf("[figures] node-c woke after %.1f s paused: %s%n", seconds(paused, woken),
                    log.contains("lost the leases of") || log.contains("the lease was lost") ? "it found its leases lost"
                            : "no lease loss logged");

            start("node-b"); // the killed one again, same instance directory and name
            Map<String, String> again = awaitHolders("three instances again", NODES, mailboxes, Duration.ofSeconds(60));
            System.out.printf("[figures] node-b restarted: %s%n", counts(again));
            Thread.sleep(INTERVAL * 2000L); // edits keep flowing through all three

            stop.set(true); // the editor stops; the instances take in its last edits
            Mismatches m = awaitConverged(sandbox, radicale, mailboxes, Duration.ofSeconds(60));
            assertTrue(m.isEmpty(), m.report());
            assertTrue(edits.get() >= 20, "edits kept flowing: " + edits.get());

            List<String> violations = fencingViolations(mailboxes);
            System.out.printf("[figures] %d commits and %d DAV writes checked against the lease history: %d outside a lease%n",
                    commitCount(), writes().size(), violations.size());
            assertEquals(List.of(), violations, "every commit and every DAV write was made under the writer's own lease");
            printGaps(mailboxes);
            System.out.printf("[figures] FleetFailoverIT took %.0f s, %d sandbox edits%n", (System.nanoTime() - began) / 1e9,
                    edits.get());
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(3000);
            }
            for (RuntimeProcess runtime : runtimes.values()) {
                signal("CONT", runtime.pid());
                runtime.close();
            }
            proxies.values().forEach(FaultProxy::close);
            if (radicale != null) {
                radicale.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            SyncRig.deleteQuietly(temp);
        }
    }

    /** The instance's own files: PostgreSQL under its name, Radicale through its proxy, short cycles and leases. */
    Map<String, String> config(String node, FaultProxy proxy, RadicaleServer radicale, Path temp) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("io.nexchange.state.jdbc.cfg", String.join("\n", "url = " + url + "?ApplicationName=" + node,
                "user = " + postgres.user(), "password.file = " + temp.resolve("pg.password"), "pool.size = 4", ""));
        cfg.put("io.nexchange.engine.cfg", String.join("\n", "threads = 2", "scheduled = true", "intervalSeconds = " + INTERVAL,
                "initialDelaySeconds = 1", "progressSeconds = 60", "leaseSeconds = " + LEASE, "instanceId = " + node,
                "direction = exchange-to-nextcloud", "backend.default = graph", "nextcloudBackend = caldav", ""));
        // a write must end within two thirds of the lease (6 s): connect 1 s (and 1 s for a pooled connection) + read 4 s
        cfg.put("io.nexchange.nextcloud.cfg", String.join("\n", "baseUrl = " + radicale.davBaseUrl().replace(
                ":" + radicale.port() + "/", ":" + proxy.port() + "/"), "connectTimeoutSeconds = 1", "readTimeoutSeconds = 4", ""));
        return cfg;
    }

    void start(String node) throws Exception {
        runtimes.put(node, SyncRig.start(bases.get(node)));
    }

    static void signal(String signal, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    Connection database() throws Exception {
        return DriverManager.getConnection(url, postgres.user(), postgres.password());
    }

    /** Lease acquisitions and releases, and commits with the committing instance, logged by the database itself. */
    void installHistoryTriggers() throws Exception {
        try (Connection c = database(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE lease_log (mailbox VARCHAR(320), holder VARCHAR(255), op CHAR(1), at TIMESTAMPTZ)");
            s.execute("CREATE FUNCTION log_lease() RETURNS trigger AS $$ BEGIN"
                    + " IF TG_OP = 'DELETE' THEN INSERT INTO lease_log VALUES (OLD.mailbox, OLD.holder, 'D', clock_timestamp()); RETURN OLD;"
                    + " END IF; IF TG_OP = 'INSERT' OR OLD.token <> NEW.token THEN"
                    + " INSERT INTO lease_log VALUES (NEW.mailbox, NEW.holder, 'A', clock_timestamp()); END IF; RETURN NEW; END $$"
                    + " LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER leases_logged AFTER INSERT OR UPDATE OR DELETE ON leases FOR EACH ROW EXECUTE FUNCTION log_lease()");
            s.execute("CREATE TABLE commit_log (mailbox VARCHAR(320), instance TEXT, at TIMESTAMPTZ)");
            s.execute("CREATE FUNCTION log_commit() RETURNS trigger AS $$ BEGIN INSERT INTO commit_log VALUES (NEW.mailbox,"
                    + " current_setting('application_name'), clock_timestamp()); RETURN NEW; END $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER commits_logged AFTER UPDATE ON pairs FOR EACH ROW EXECUTE FUNCTION log_commit()");
            // what happened before the triggers: the holders as they stand now
            s.execute("INSERT INTO lease_log SELECT mailbox, holder, 'A', clock_timestamp() FROM leases");
        }
    }

    /** Waits until exactly {@code nodes} hold every mailbox's lease (live leases, by the database's clock). */
    Map<String, String> awaitHolders(String what, List<String> nodes, List<String> mailboxes, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, String> holders = Map.of();
        while (System.nanoTime() < deadline) {
            holders = new TreeMap<>();
            try (Connection c = database(); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT mailbox, holder FROM leases WHERE expires_at > now()")) {
                while (rows.next()) {
                    holders.put(rows.getString(1), rows.getString(2));
                }
            }
            if (holders.keySet().containsAll(mailboxes) && new java.util.TreeSet<>(holders.values()).equals(new java.util.TreeSet<>(nodes))) {
                return holders;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out: " + what + "; leases now: " + holders + "\n" + tails());
    }

    static Map<String, Integer> counts(Map<String, String> holders) {
        Map<String, Integer> counts = new TreeMap<>();
        holders.values().forEach(h -> counts.merge(h, 1, Integer::sum));
        return counts;
    }

    String tails() {
        StringBuilder out = new StringBuilder();
        bases.forEach((node, base) -> out.append("---- ").append(node).append('\n').append(SyncRig.logTail(base, 25)).append('\n'));
        return out.toString();
    }

    /** Edits event subjects all over the tenant, about four a second, until stopped. */
    void edit(SandboxServer sandbox, List<String> mailboxes) {
        Random random = new Random(SEED);
        while (!stop.get()) {
            String mailbox = mailboxes.get(random.nextInt(mailboxes.size()));
            List<String> ids = sandbox.eventIds(mailbox);
            if (!ids.isEmpty()) {
                int n = edits.incrementAndGet();
                sandbox.updateEvent(mailbox, ids.get(random.nextInt(ids.size())), "{\"subject\":\"Fleet edit " + n + "\"}");
            }
            BackendSwitchLiveIT.sleepQuietly(250);
        }
    }

    /** Collects the OK runs each instance reports (one thread per instance: a paused one blocks only its own). */
    void monitor(String node) {
        while (!stop.get()) {
            RuntimeProcess runtime = runtimes.get(node);
            try {
                if (runtime != null) {
                    Matcher row = BackendSwitchLiveIT.STATUS_ROW.matcher(runtime.console("nexchange:sync-status"));
                    while (row.find()) {
                        if (row.group(2).equals("OK") && !row.group(3).equals("-")) {
                            Instant finished = Instant.parse(row.group(3));
                            List<Instant> runs = okRuns.computeIfAbsent(row.group(1), k -> new CopyOnWriteArrayList<>());
                            if (!runs.contains(finished)) {
                                runs.add(finished);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                // killed or restarting: retried
            }
            BackendSwitchLiveIT.sleepQuietly(500);
        }
    }

    Mismatches awaitConverged(SandboxServer sandbox, RadicaleServer radicale, List<String> mailboxes, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Mismatches m;
        do {
            Thread.sleep(INTERVAL * 1000L);
            m = new Mismatches();
            SourceVsServer.Counts compared = SourceVsServer.compare(new GraphSource(sandbox), DavContent.of(radicale), mailboxes, m);
            if (m.isEmpty()) {
                System.out.printf("[figures] Radicale equals the sandbox: %d events, %d contacts (%d field checks), no duplicates%n",
                        compared.events(), compared.contacts(), compared.checks());
                return m;
            }
        } while (System.nanoTime() < deadline);
        return m;
    }

    /** A DAV write (PUT or DELETE) one instance's proxy relayed. */
    record Write(String node, String mailbox, Instant at, String request) {}

    List<Write> writes() {
        Map<String, String> byUser = new java.util.HashMap<>();
        mailboxes.forEach(mailbox -> byUser.put(SyncRig.account(mailbox), mailbox));
        List<Write> writes = new ArrayList<>();
        proxies.forEach((node, proxy) -> {
            for (FaultProxy.Request r : proxy.requests()) {
                if (r.method().equals("PUT") || r.method().equals("DELETE")) {
                    String user = r.path().replaceAll("^/+", "").split("/")[0];
                    writes.add(new Write(node, byUser.getOrDefault(user, user), r.at(), r.toString()));
                }
            }
        });
        return writes;
    }

    int commitCount() throws Exception {
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM commit_log")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * Every commit (by the committing connection's application name) and every DAV write (by the proxy it went through)
     * after the history began must fall where the lease history says its instance held the mailbox: the latest
     * acquisition or release of that mailbox at or before it is an acquisition by that instance.
     */
    List<String> fencingViolations(List<String> mailboxes) throws Exception {
        Map<String, List<Object[]>> history = new java.util.HashMap<>();
        Instant since;
        try (Connection c = database(); Statement s = c.createStatement()) {
            try (ResultSet rows = s.executeQuery("SELECT mailbox, holder, op, at FROM lease_log ORDER BY at")) {
                while (rows.next()) {
                    history.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(new Object[] {rows.getString(2),
                            rows.getString(3), rows.getTimestamp(4).toInstant()});
                }
            }
            try (ResultSet rows = s.executeQuery("SELECT MIN(at) FROM lease_log")) {
                rows.next();
                since = rows.getTimestamp(1).toInstant();
            }
            List<String> violations = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT mailbox, instance, at FROM commit_log ORDER BY at")) {
                while (rows.next()) {
                    check(history, rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant(), "commit", violations);
                }
            }
            for (Write w : writes()) {
                if (w.at().isAfter(since)) {
                    check(history, w.mailbox(), w.node(), w.at(), w.request(), violations);
                }
            }
            return violations;
        }
    }

    static void check(Map<String, List<Object[]>> history, String mailbox, String node, Instant at, String what,
            List<String> violations) {
        Object[] latest = null;
        for (Object[] event : history.getOrDefault(mailbox, List.of())) {
            if (((Instant) event[2]).isAfter(at)) {
                break;
            }
            latest = event;
        }
        if (latest == null || !latest[1].equals("A") || !latest[0].equals(node)) {
            violations.add(node + " " + what + " of " + mailbox + " at " + at + ", when the lease history says "
                    + (latest == null ? "nobody held it" : latest[1].equals("D") ? "it was released by " + latest[0]
                            : latest[0] + " held it (since " + latest[2] + ")"));
        }
    }

    void printGaps(List<String> mailboxes) {
        for (String mailbox : mailboxes) {
            List<Instant> runs = new ArrayList<>(okRuns.getOrDefault(mailbox, List.of()));
            runs.sort(null);
            double longest = 0;
            for (int i = 1; i < runs.size(); i++) {
                longest = Math.max(longest, seconds(runs.get(i - 1), runs.get(i)));
            }
            System.out.printf("[figures] %s: %d OK runs seen, longest gap between two %.1f s (interval %d s, lease %d s)%n", mailbox,
                    runs.size(), longest, INTERVAL, LEASE);
        }
    }
}
