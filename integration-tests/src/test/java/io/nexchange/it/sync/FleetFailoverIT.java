package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.SandboxOptions;
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
import java.time.LocalDate;
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
 * schedule while the sandbox's events keep being edited. Two instances sync, a third starts its engine and joins
 * (rebalance within about an interval), one is killed with {@code kill -9} (its mailboxes move to the others within the
 * lease time), another is paused with SIGSTOP past its lease and woken with SIGCONT (fencing), the killed one is started
 * again, and the first is stopped cleanly (its mailboxes move at once). At the end Radicale equals the sandbox (every
 * edit, no duplicate), and the database's own history proves that no instance ever committed, and no instance's DAV
 * connection ever wrote, for a mailbox whose lease it did not hold at that moment. The longest sync gap of a mailbox is
 * reported per scenario.
 *
 * <p>Kept short for CI: the three runtimes boot together (node-c without its engine, installed later as its join), the
 * mailboxes are small, the lease is 9 s and the interval 3 s.
 *
 * <p>How it observes: every instance reaches Radicale through its own HTTP proxy ({@link FaultProxy}, which logs each
 * request with its time) and connects to PostgreSQL with its name as {@code ApplicationName}; triggers the test installs
 * log every lease acquisition and release ({@code lease_log}) and every commit with the committing instance
 * ({@code commit_log}, by {@code application_name}), on the database's clock, which is this machine's clock.
 */
class FleetFailoverIT {
    static final int MAILBOXES = 6;
    /** Few items per mailbox: the initial sync is not what this test is about. */
    static final int EVENTS = 12;
    static final int CONTACTS = 4;
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
    /** The scenarios in order, with when each began. */
    final List<Map.Entry<String, Instant>> scenarios = new CopyOnWriteArrayList<>();
    long began;
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
            sandbox = SandboxServer.start(SandboxOptions.defaults().users(MAILBOXES).seed(SEED).stateDir(temp.resolve("sandbox"))
                    .anchorDate(LocalDate.now()).eventsPerMailbox(EVENTS).contactsPerMailbox(CONTACTS));
            radicale = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
            mailboxes = SyncRig.mailboxes(sandbox);
            SyncRig.addAccounts(radicale, mailboxes, temp.resolve("passwords"));
            for (String node : NODES) {
                FaultProxy proxy = FaultProxy.start(FaultProxy.Mode.HTTP, radicale.port());
                proxies.put(node, proxy);
                bases.put(node, SyncRig.prepareInstance(temp.resolve(node), sandbox, radicale, temp.resolve("passwords"), "graph",
                        config(node, proxy, radicale, temp)));
            }
            began = System.nanoTime();
            // all three boot at once; node-c without its engine, which it starts later to join the running fleet
            startTogether(NODES);
            installHistoryTriggers();
            for (String node : NODES) {
                threads.add(BackendSwitchLiveIT.daemon("monitor-" + node, () -> monitor(node)));
            }
            SandboxServer tenant = sandbox;
            List<String> all = mailboxes;
            threads.add(BackendSwitchLiveIT.daemon("sandbox-editor", () -> edit(tenant, all)));

            Map<String, String> two = awaitHolders("the first two instances split the mailboxes", List.of("node-a", "node-b"),
                    mailboxes, Duration.ofSeconds(90));
            System.out.printf("[figures] 2 instances: %s%n", counts(two));
            Thread.sleep(INTERVAL * 2000L); // the steady state: every mailbox synced every interval by its owner
            scenario("2 instances, steady");

            Instant installing = Instant.now();
            runtimes.get("node-c").console("nexchange:features install engine");
            Instant joined = awaitMember("node-c", installing);
            scenario("node-c joins");
            Map<String, String> three = awaitHolders("a third instance takes its share", NODES, mailboxes, Duration.ofSeconds(60));
            double rebalance = seconds(joined, Instant.now());
            System.out.printf("[figures] node-c joined: rebalanced over 3 instances %.1f s after its first heartbeat (interval %d s):"
                    + " %s%n", rebalance, INTERVAL, counts(three));
            Thread.sleep(INTERVAL * 1000L);

            Instant killed = Instant.now();
            runtimes.remove("node-b").kill();
            scenario("kill -9 node-b");
            Map<String, String> afterKill = awaitHolders("node-b's mailboxes move to the others after kill -9",
                    List.of("node-a", "node-c"), mailboxes, Duration.ofSeconds(LEASE * 3L));
            double handover = seconds(killed, Instant.now());
            System.out.printf("[figures] kill -9 node-b: its mailboxes held by the others %.1f s later (lease %d s): %s%n",
                    handover, LEASE, counts(afterKill));
            assertTrue(handover <= LEASE * 1.25 + 10, "handed over within the lease time (+ a check and a run): " + handover);
            Thread.sleep(INTERVAL * 1000L);

            long pid = runtimes.get("node-c").pid();
            Instant paused = Instant.now();
            signal("STOP", pid);
            scenario("SIGSTOP node-c");
            awaitHolders("node-c's mailboxes move to node-a while it is paused", List.of("node-a"), mailboxes,
                    Duration.ofSeconds(LEASE * 3L));
            double pauseHandover = seconds(paused, Instant.now());
            System.out.printf("[figures] SIGSTOP node-c: its mailboxes held by node-a %.1f s later%n", pauseHandover);
            assertTrue(pauseHandover <= LEASE * 1.25 + 10, "handed over within the lease time: " + pauseHandover);
            Thread.sleep(2000); // paused well past its lease, while node-a writes its mailboxes
            Instant woken = Instant.now();
            signal("CONT", pid);
            Thread.sleep(LEASE * 1000L / 2); // it wakes in the middle of whatever it was doing
            String log = Files.readString(bases.get("node-c").resolve("log/nexchange.log"));
            System.out.printf("[figures] node-c woke after %.1f s paused: %s%n", seconds(paused, woken),
                    log.contains("lost the leases of") || log.contains("the lease was lost") ? "it found its leases lost"
                            : "no lease loss logged");

            Instant restarting = Instant.now();
            start("node-b"); // the killed one again, same instance directory and name
            Instant rejoined = awaitMember("node-b", restarting);
            scenario("node-b restarted");
            Map<String, String> again = awaitHolders("three instances again", NODES, mailboxes, Duration.ofSeconds(60));
            System.out.printf("[figures] node-b restarted: rebalanced %.1f s after its first heartbeat: %s%n",
                    seconds(rejoined, Instant.now()), counts(again));
            Thread.sleep(INTERVAL * 1000L);

            Instant stopping = Instant.now();
            runtimes.remove("node-a").stop(Duration.ofSeconds(30)); // SIGTERM, as systemctl stop does
            scenario("clean stop of node-a");
            Map<String, String> afterStop = awaitHolders("node-a's mailboxes move to the others after its clean stop",
                    List.of("node-b", "node-c"), mailboxes, Duration.ofSeconds(LEASE * 3L));
            double stopHandover = seconds(stopping, Instant.now());
            System.out.printf("[figures] clean stop of node-a: its mailboxes held by the others %.1f s after SIGTERM: %s%n",
                    stopHandover, counts(afterStop));
            assertTrue(stopHandover < LEASE, "a clean stop hands its mailboxes over before its leases could run out: "
                    + stopHandover);
            Thread.sleep(INTERVAL * 1000L); // edits keep flowing through the two left

            stop.set(true); // the editor stops; the instances take in its last edits
            Mismatches m = awaitConverged(sandbox, radicale, mailboxes, Duration.ofSeconds(60));
            assertTrue(m.isEmpty(), m.report());
            assertTrue(edits.get() >= 20, "edits kept flowing: " + edits.get());

            List<String> violations = fencingViolations(mailboxes);
            System.out.printf("[figures] %d commits and %d DAV writes checked against the lease history: %d outside a lease%n",
                    commitCount(), writes().size(), violations.size());
            assertEquals(List.of(), violations, "every commit and every DAV write was made under the writer's own lease");
            // reported, not bounded: on a loaded machine a run itself can take longer than the lease (the handovers above,
            // read from the database, are the checks)
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
        if (node.equals("node-c")) { // it joins later: the engine feature is installed while the others run
            cfg.put("io.nexchange.features.cfg", "boot = core,state,ops,nextcloud,auth-entra,graph\n");
        }
        cfg.put("io.nexchange.nextcloud.cfg", String.join("\n", "baseUrl = " + radicale.davBaseUrl().replace(
                ":" + radicale.port() + "/", ":" + proxy.port() + "/"), "connectTimeoutSeconds = 1", "readTimeoutSeconds = 4", ""));
        return cfg;
    }

    void start(String node) throws Exception {
        runtimes.put(node, SyncRig.start(bases.get(node)));
    }

    /** Boots the instances in parallel (each boot takes seconds of CPU: on two cores together is faster). */
    void startTogether(List<String> nodes) throws Exception {
        List<java.util.concurrent.CompletableFuture<Void>> boots = new ArrayList<>();
        for (String node : nodes) {
            boots.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    start(node);
                } catch (Exception e) {
                    throw new IllegalStateException(node + " did not start", e);
                }
            }));
        }
        java.util.concurrent.CompletableFuture.allOf(boots.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
    }

    /** A scenario begins now: the sync gaps are reported per scenario. */
    void scenario(String name) {
        scenarios.add(Map.entry(name, Instant.now()));
        System.out.printf("[figures] %.0f s: %s%n", (System.nanoTime() - began) / 1e9, name);
    }

    /**
     * Waits until the instance's record in the fleet is live and was started at or after {@code since}; returns when its
     * engine started (the record's {@code started_at}, just before its first heartbeat).
     */
    Instant awaitMember(String node, Instant since) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = database(); java.sql.PreparedStatement s = c.prepareStatement(
                    "SELECT started_at FROM instances WHERE instance_id = ? AND expires_at > now() AND started_at >= ?")) {
                s.setString(1, node);
                s.setTimestamp(2, java.sql.Timestamp.from(since));
                try (ResultSet rows = s.executeQuery()) {
                    if (rows.next()) {
                        return rows.getTimestamp(1).toInstant();
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node + " did not join the fleet within 60 s\n" + tails());
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

    /**
     * The engine's rendezvous owner of a mailbox among instances (its {@code Fleet.owner}, restated here as the test's
     * oracle): the highest FNV-1a hash of mailbox and instance, finished by splitmix64's mixer.
     */
    static String owner(String mailbox, List<String> instances) {
        String best = null;
        long bestScore = 0;
        for (String instance : instances) {
            long h = 0xcbf29ce484222325L;
            for (byte b : (mailbox + '\n' + instance).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            h ^= h >>> 30;
            h *= 0xbf58476d1ce4e5b9L;
            h ^= h >>> 27;
            h *= 0x94d049bb133111ebL;
            h ^= h >>> 31;
            if (best == null || Long.compareUnsigned(h, bestScore) > 0) {
                best = instance;
                bestScore = h;
            }
        }
        return best;
    }

    /**
     * Waits until exactly {@code nodes} hold the mailboxes' leases, each mailbox's by its owner among them (live leases,
     * by the database's clock).
     */
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
            boolean byOwner = holders.keySet().containsAll(mailboxes);
            for (Map.Entry<String, String> lease : holders.entrySet()) {
                byOwner &= lease.getValue().equals(owner(lease.getKey(), nodes));
            }
            if (byOwner && new java.util.TreeSet<>(holders.values()).equals(new java.util.TreeSet<>(nodes))) {
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

    /**
     * The longest time between two syncs of a mailbox (an OK run or a commit, on any instance), per scenario: a gap counts
     * for the scenario in which it ended (the sync that closed it).
     */
    void printGaps(List<String> mailboxes) throws Exception {
        Map<String, Double> longest = new LinkedHashMap<>();
        Map<String, String> which = new java.util.HashMap<>();
        scenarios.forEach(s -> longest.put(s.getKey(), 0.0));
        Map<String, List<Instant>> commits = new java.util.HashMap<>();
        try (Connection c = database(); Statement st = c.createStatement();
                ResultSet rows = st.executeQuery("SELECT mailbox, at FROM commit_log")) {
            while (rows.next()) {
                commits.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getTimestamp(2).toInstant());
            }
        }
        for (String mailbox : mailboxes) {
            // the runs the instances reported (a poll can miss one) and the commits the database logged (a run with changes)
            List<Instant> runs = new ArrayList<>(okRuns.getOrDefault(mailbox, List.of()));
            runs.addAll(commits.getOrDefault(mailbox, List.of()));
            runs.sort(null);
            for (int i = 1; i < runs.size(); i++) {
                String scenario = null;
                for (Map.Entry<String, Instant> s : scenarios) {
                    if (!runs.get(i).isBefore(s.getValue())) {
                        scenario = s.getKey();
                    }
                }
                double gap = seconds(runs.get(i - 1), runs.get(i));
                if (scenario != null && gap > longest.get(scenario)) {
                    longest.put(scenario, gap);
                    which.put(scenario, mailbox + " " + runs.get(i - 1) + " .. " + runs.get(i));
                }
            }
        }
        longest.forEach((scenario, gap) -> System.out.printf("[figures] longest sync gap, %s: %.1f s (%s; interval %d s, lease %d s)%n",
                scenario, gap, which.getOrDefault(scenario, "-"), INTERVAL, LEASE));
    }
}
