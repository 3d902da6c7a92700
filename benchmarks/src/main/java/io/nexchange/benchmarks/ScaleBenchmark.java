package io.nexchange.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.directory.MailboxDirectory;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import io.nexchange.engine.internal.EngineListener;
import io.nexchange.engine.internal.Direction;
import io.nexchange.engine.internal.EngineSettings;
import io.nexchange.engine.internal.MailboxResult;
import io.nexchange.engine.internal.MailboxSync;
import io.nexchange.engine.internal.Routing;
import io.nexchange.engine.internal.SyncScheduler;
import io.nexchange.engine.internal.SyncSettings;
import io.nexchange.graph.calendar.internal.store.CalendarSettings;
import io.nexchange.graph.calendar.internal.store.GraphCalendarStore;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.internal.GraphClientSettings;
import io.nexchange.graph.client.internal.GraphClientsImpl;
import io.nexchange.graph.contacts.internal.store.GraphContactsStore;
import io.nexchange.graph.directory.internal.GraphMailboxDirectory;
import io.nexchange.graph.directory.internal.GraphMailboxDirectoryConfiguration;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcSyncStateStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import io.nexchange.testing.postgres.PostgresServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import io.nexchange.vdir.internal.VdirItemStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.sql.DataSource;

/**
 * Issue 15's scale benchmark: one instance (or several, {@code scale.instances}, sharing a PostgreSQL database as a fleet)
 * against a sandbox tenant of N mailboxes (10,000 by default, mostly quiet:
 * the sandbox's mailbox mix) that runs in its own process, so this JVM's heap and CPU are the product's alone. The
 * product's plain classes wired as the runtime wires them: the Graph mailbox directory, the Graph calendar and
 * contacts stores with the throttling policy (4 concurrent per app and mailbox), the vdir target, the state in
 * {@code JdbcSyncStateStore} on H2 (file) through HikariCP, and {@code SyncScheduler} + {@code MailboxSync}.
 *
 * <p>Prints: the initial sync, then idle cycles (time, CPU seconds of this JVM, Graph requests per mailbox by
 * endpoint from the sandbox's counters, database statements per mailbox counted at the JDBC connection), the heap
 * after GC (product) and the sandbox's own heap; then the scheduler running on its interval, spread, while edits
 * are made through the sandbox's admin API: the time from each edit to the target write (p50, p95, max).
 */
public final class ScaleBenchmark {
    static final String REGISTRATION = "default";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sizes and timings (system properties {@code scale.*}). */
    public record Settings(int mailboxes, String mix, int events, int contacts, int threads, int idleCycles,
            Duration interval, int edits, long seed, int instances, boolean postgres) {
        public Settings {
            if (instances > 1 && !postgres) {
                throw new IllegalArgumentException("scale.instances > 1 needs scale.database=postgresql (instances share it)");
            }
        }

        public static Settings fromSystemProperties() {
            int instances = Integer.getInteger("scale.instances", 1);
            return new Settings(Integer.getInteger("scale.mailboxes", 10_000), System.getProperty("scale.mix", "90/8/2"),
                    Integer.getInteger("scale.events", 40), Integer.getInteger("scale.contacts", 20),
                    Integer.getInteger("scale.threads", 4), Integer.getInteger("scale.idleCycles", 2),
                    Duration.ofSeconds(Integer.getInteger("scale.intervalSeconds", 120)), Integer.getInteger("scale.edits", 40),
                    Long.getLong("scale.seed", 15), instances,
                    instances > 1 || System.getProperty("scale.database", "h2").equals("postgresql"));
        }
    }

    /** One cycle's figures. */
    public record Cycle(String name, int mailboxes, int ok, long written, double seconds, double cpuSeconds,
            long graphRequests, Map<String, Long> graphByEndpoint, long dbStatements, Map<MailboxResult.State, Long> states) {
        double perMailbox(long n) {
            return mailboxes == 0 ? 0 : (double) n / mailboxes;
        }
    }

    /** What {@link #run} measured. */
    public record Figures(Cycle initial, List<Cycle> idle, long productHeapAfterGc, long sandboxHeapAfterGc,
            int sandboxMailboxesInMemory, List<Double> propagationSeconds, int editsMade) {
    }

    public static void main(String[] args) throws Exception {
        run(Settings.fromSystemProperties(), System.out);
    }

    public static Figures run(Settings s, PrintStream out) throws Exception {
        Path temp = Files.createTempDirectory("nexchange-scale-bench");
        try (SandboxProcess sandbox = SandboxProcess.start(s, temp.resolve("sandbox"))) {
            return run(s, out, temp, sandbox);
        } finally {
            deleteRecursively(temp);
        }
    }

    private static Figures run(Settings s, PrintStream out, Path temp, SandboxProcess sandbox) throws Exception {
        out.printf(Locale.ROOT, "Scale benchmark: %,d mailboxes (sandbox mix empty/small/busy %s of %d events + %d contacts, "
                + "seed %d) in a separate sandbox process; %d instance(s) in this JVM, %d engine threads each, vdir target, %s "
                + "state; Java %s, %d cores, load average %.1f, max heap %d MiB%n", s.mailboxes(), s.mix(), s.events(), s.contacts(),
                s.seed(), s.instances(), s.threads(), s.postgres() ? "PostgreSQL" : "H2", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().maxMemory() >> 20);
        PostgresServer postgres = s.postgres() ? PostgresServer.start() : null;
        List<AutoCloseable> closing = new ArrayList<>();
        try {
            String url = postgres != null ? postgres.createDatabase("scale") : "jdbc:h2:file:" + temp.resolve("state/nexchange");
            List<Instance> instances = new ArrayList<>();
            for (int i = 0; i < s.instances(); i++) {
                // each instance as its own process would have it: a pool, a state store, Graph clients with their own
                // throttling, the stores and a scheduler; they share the database, the sandbox and the vdir folder
                HikariDataSource pool = postgres != null ? DataSources.pool(url, postgres.user(), Secret.of(postgres.password()),
                        s.threads() + 2, 30_000) : DataSources.pool(url, "sa", Secret.of(""), s.threads() + 2, 30_000);
                closing.add(pool);
                if (i == 0) {
                    new SchemaMigrator(pool, "bench").migrate();
                }
                CountingDataSource counted = new CountingDataSource(pool);
                JdbcSyncStateStore state = JdbcSyncStateStore.over(counted.proxy());
                GraphClientsImpl clients = new GraphClientsImpl(GraphClientSettings.defaults().withBaseUrl(sandbox.graphBaseUrl)
                        .withTruststore(sandbox.truststore, Secret.of(sandbox.truststorePassword)),
                        new ThrottleController(ThrottleLimits.OUTLOOK), registration -> REGISTRATION.equals(registration)
                                ? sandbox.tokens : null);
                closing.add(clients::close);
                MailboxDirectory directory = new GraphMailboxDirectory(clients, configuration(GraphMailboxDirectoryConfiguration.class,
                        Map.of("registration", REGISTRATION)));
                ItemStore calendars = new GraphCalendarStore(clients, RegistrationAssignment.of(REGISTRATION),
                        CalendarSettings.defaults(), WindowsZones.load(), Clock.systemUTC());
                ItemStore contacts = new GraphContactsStore(clients, RegistrationAssignment.of(REGISTRATION), 100, false);
                ItemStore vdir = new VdirItemStore(temp.resolve("vdir"));
                // a 60 s lease: the fleet's heartbeat every 15 s, so a cycle after the start sees every instance
                EngineSettings settings = new EngineSettings(SyncSettings.defaults().with(Direction.EXCHANGE_TO_NEXTCLOUD),
                        Routing.parse("graph", new String[0], "vdir"),
                        Set.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS), "", "", s.threads(), Duration.ofSeconds(60),
                        "bench-" + (char) ('a' + i));
                SyncScheduler scheduler = new SyncScheduler(directory,
                        listener -> new MailboxSync(
                                mailbox -> new Resolution(mailbox, List.of(new Account(localPart(mailbox.primarySmtp()),
                                        mailbox.primarySmtp(), mailbox.displayName()))),
                                state, (side, backend, kind) -> Optional.of(!side.equals("exchange") ? vdir
                                        : kind == CollectionKind.CALENDAR ? calendars : contacts),
                                settings, listener, Clock.systemUTC()),
                        s.threads(), Clock.systemUTC());
                closing.add(scheduler);
                instances.add(new Instance(scheduler, counted));
            }
            // as the scheduled engine runs: in the fleet (leases kept across cycles, renewed by the heartbeat), even alone
            instances.forEach(i -> i.scheduler().joinFleet());
            for (Instance i : instances) {
                out.printf(Locale.ROOT, "Fleet as %s sees it: %s%n", instances.indexOf(i) == 0 ? "the first instance" : "the next",
                        i.scheduler().heartbeatNow());
            }
            Cycle initial = cycle("initial sync", instances, sandbox);
            print(out, initial);
            List<Cycle> idle = new ArrayList<>();
            for (int i = 0; i < s.idleCycles(); i++) {
                Cycle c = cycle(i == 0 ? "second cycle (reads the echo of its writes)" : "idle cycle " + i, instances, sandbox);
                print(out, c);
                idle.add(c);
            }
            long productHeap = usedHeapAfterGc();
            JsonNode sandboxMemory = sandbox.admin("GET", "/_sandbox/memory", null);
            out.printf(Locale.ROOT, "Heap after GC: product (%d instance(s): engine, stores, state of %,d mailboxes) %.1f MiB = %,d "
                    + "bytes per mailbox; sandbox process %.1f MiB (%,d of %,d mailboxes in memory, %,d changed)%n", s.instances(),
                    s.mailboxes(), productHeap / 1048576.0, productHeap / Math.max(1, s.mailboxes()),
                    sandboxMemory.path("heapUsedBytes").asLong() / 1048576.0, sandboxMemory.path("mailboxesInMemory").asInt(),
                    sandboxMemory.path("mailboxes").asInt(), sandboxMemory.path("changedMailboxes").asInt());
            List<Double> propagation = s.edits() > 0 ? propagation(s, instances, sandbox, out) : List.of();
            return new Figures(initial, idle, productHeap, sandboxMemory.path("heapUsedBytes").asLong(),
                    sandboxMemory.path("mailboxesInMemory").asInt(), propagation, s.edits());
        } finally {
            java.util.Collections.reverse(closing);
            for (AutoCloseable c : closing) {
                c.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** One instance of the fleet in this JVM: its scheduler and its counted connection pool. */
    record Instance(SyncScheduler scheduler, CountingDataSource db) {
    }

    /** A cycle on every instance at once (each runs the mailboxes it owns); the figures over all of them. */
    private static Cycle cycle(String name, List<Instance> instances, SandboxProcess sandbox) throws Exception {
        sandbox.admin("POST", "/_sandbox/counters/reset", null);
        long statements = instances.stream().mapToLong(i -> i.db().statements.sum()).sum();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<List<MailboxResult>>> running = new ArrayList<>();
        for (Instance i : instances) {
            running.add(i.scheduler().cycle(false));
        }
        List<MailboxResult> results = new ArrayList<>();
        for (var run : running) {
            results.addAll(run.get(6, TimeUnit.HOURS));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (cpuNanos() - cpu) / 1e9;
        long dbStatements = instances.stream().mapToLong(i -> i.db().statements.sum()).sum() - statements;
        JsonNode counters = sandbox.admin("GET", "/_sandbox/counters", null);
        Map<String, Long> byEndpoint = new TreeMap<>();
        long graph = 0;
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) counters.path("byEndpoint")::fields) {
            byEndpoint.put(e.getKey(), e.getValue().asLong());
            graph += e.getValue().asLong();
        }
        Map<MailboxResult.State, Long> states = new TreeMap<>();
        long written = 0;
        for (MailboxResult r : results) {
            states.merge(r.state(), 1L, Long::sum);
            written += r.writes();
        }
        int ok = (int) results.stream().filter(r -> r.state() == MailboxResult.State.OK).count();
        return new Cycle(name, results.size(), ok, written, seconds, cpuSeconds, graph, byEndpoint, dbStatements, states);
    }

    private static void print(PrintStream out, Cycle c) {
        out.printf(Locale.ROOT, "%s: %,d mailboxes in %.1f s (%.2f ms per mailbox; CPU of this JVM %.1f s = %.2f ms per mailbox), "
                + "%,d items written, states %s%n", capitalised(c.name()), c.mailboxes(), c.seconds(), c.seconds() * 1000 / Math.max(1, c.mailboxes()),
                c.cpuSeconds(), c.cpuSeconds() * 1000 / Math.max(1, c.mailboxes()), c.written(), c.states());
        out.printf(Locale.ROOT, "  Graph requests %,d = %.2f per mailbox %s%n", c.graphRequests(), c.perMailbox(c.graphRequests()),
                c.graphByEndpoint());
        out.printf(Locale.ROOT, "  database statements %,d = %.2f per mailbox%n", c.dbStatements(), c.perMailbox(c.dbStatements()));
    }

    /**
     * The scheduler on its interval (spread over it), and edits through the admin API at random moments: one new event
     * at a time in a random mailbox; the time from the edit to the engine's write of that mailbox's calendar.
     */
    private static List<Double> propagation(Settings s, List<Instance> instances, SandboxProcess sandbox, PrintStream out)
            throws Exception {
        Map<String, Instant> pending = new ConcurrentHashMap<>();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        EngineListener listener = new EngineListener() {
            @Override
            public void written(SyncPair pair, Side target, String action) {
                Instant edited = target == Side.NEXTCLOUD && pair.kind() == CollectionKind.CALENDAR ? pending.remove(pair.mailbox()) : null;
                if (edited != null) {
                    latencies.add(Duration.between(edited, Instant.now()).toMillis() / 1000.0);
                }
            }
        };
        instances.forEach(i -> i.scheduler().addListener(listener));
        List<String> upns = new ArrayList<>();
        sandbox.admin("GET", "/_sandbox/mailboxes", null).path("mailboxes").forEach(n -> upns.add(n.asText()));
        Random random = new Random(s.seed());
        long runMillis = s.interval().toMillis() * 2;
        out.printf(Locale.ROOT, "Propagation: the scheduler runs every %d s (spread over the interval), %d edits (a new event "
                + "each, in a random mailbox) over %d s%n", s.interval().toSeconds(), s.edits(), runMillis / 1000);
        instances.forEach(i -> i.scheduler().start(Duration.ZERO, s.interval(), Duration.ofMinutes(10)));
        long start = System.currentTimeMillis();
        for (int i = 0; i < s.edits(); i++) {
            long at = start + runMillis * i / s.edits();
            Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
            String upn = upns.get(random.nextInt(upns.size()));
            if (pending.containsKey(upn)) {
                continue;
            }
            String day = java.time.LocalDate.now().plusDays(1 + random.nextInt(20)).toString();
            pending.put(upn, Instant.now());
            sandbox.admin("POST", "/_sandbox/mailboxes/" + upn + "/events", "{\"subject\":\"scale edit " + i + "\",\"start\":{\"dateTime\":\""
                    + day + "T10:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"" + day + "T11:00:00\",\"timeZone\":\"UTC\"}}");
        }
        // every edit gets a full interval (and some) to arrive
        long deadline = System.currentTimeMillis() + s.interval().toMillis() + 30_000;
        while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        instances.forEach(i -> i.scheduler().removeListener(listener));
        List<Double> sorted = new ArrayList<>(latencies);
        sorted.sort(Comparator.naturalOrder());
        out.printf(Locale.ROOT, "  %d of %d edits written to the target; edit -> target write p50 %.1f s, p95 %.1f s, max %.1f s "
                + "(interval %d s)%s%n", sorted.size(), sorted.size() + pending.size(), percentile(sorted, 50), percentile(sorted, 95),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1), s.interval().toSeconds(),
                pending.isEmpty() ? "" : "; not written within interval + 30 s: " + pending.keySet());
        return sorted;
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** An instance of a configuration annotation: the given values, the declared defaults for the rest. */
    @SuppressWarnings("unchecked")
    static <A> A configuration(Class<A> type, Map<String, Object> values) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "annotationType" -> type;
            case "toString" -> type.getSimpleName() + values;
            case "hashCode" -> values.hashCode();
            case "equals" -> proxy == args[0];
            default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
        };
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** Counts the statements the state store executes (each execute/executeQuery/executeUpdate/executeBatch). */
    static final class CountingDataSource {
        final LongAdder statements = new LongAdder();
        private final DataSource target;

        CountingDataSource(DataSource target) {
            this.target = target;
        }

        DataSource proxy() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (p, m, a) -> {
                        Object r = invoke(target, m, a);
                        return r instanceof Connection c ? connection(c) : r;
                    });
        }

        private Connection connection(Connection c) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (p, m, a) -> {
                        Object r = invoke(c, m, a);
                        if (r instanceof Statement st && !m.getName().equals("unwrap")) {
                            return statement(st);
                        }
                        return r;
                    });
        }

        private Object statement(Statement st) {
            Set<Class<?>> types = new java.util.LinkedHashSet<>();
            types.add(Statement.class);
            if (st instanceof java.sql.PreparedStatement) {
                types.add(java.sql.PreparedStatement.class);
            }
            if (st instanceof java.sql.CallableStatement) {
                types.add(java.sql.CallableStatement.class);
            }
            return Proxy.newProxyInstance(getClass().getClassLoader(), types.toArray(Class<?>[]::new), (p, m, a) -> {
                if (m.getName().startsWith("execute")) {
                    statements.increment();
                }
                return invoke(st, m, a);
            });
        }

        private static Object invoke(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
            try {
                return m.invoke(target, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** The sandbox in its own JVM ({@code SandboxMain}), its admin API, and a token provider for its demo app. */
    static final class SandboxProcess implements AutoCloseable {
        final Process process;
        final String baseUrl;
        final String graphBaseUrl;
        final Path truststore;
        final String truststorePassword;
        final TokenProvider tokens;
        private final HttpClient http;

        private SandboxProcess(Process process, Properties p) throws Exception {
            this.process = process;
            this.baseUrl = p.getProperty("baseUrl");
            this.graphBaseUrl = p.getProperty("graphBaseUrl");
            this.truststore = Path.of(p.getProperty("truststore"));
            this.truststorePassword = p.getProperty("truststorePassword");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(truststore)) {
                ks.load(in, truststorePassword.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
            String secret = Files.readString(Path.of(p.getProperty("clientSecretFile"))).trim();
            ConfidentialClientApplication msal = ConfidentialClientApplication.builder(p.getProperty("clientId"),
                    ClientCredentialFactory.createFromSecret(secret)).authority(p.getProperty("authority")).instanceDiscovery(false)
                    .sslSocketFactory(ssl.getSocketFactory()).build();
            this.tokens = new MsalTokens(REGISTRATION, msal);
        }

        static SandboxProcess start(Settings s, Path stateDir) throws Exception {
            return start(stateDir, 0, Integer.getInteger("scale.sandboxHeapMb", 768), "--users", Integer.toString(s.mailboxes()),
                    "--seed", Long.toString(s.seed()), "--mix", s.mix(), "--events", Integer.toString(s.events()),
                    "--contacts", Integer.toString(s.contacts()));
        }

        /**
         * @param niceness added to the process's scheduling niceness ({@code nice -n}; 0: as this JVM), so the sandbox,
         *     which stands in for Microsoft's servers, can yield the cores to what is measured
         */
        static SandboxProcess start(Path stateDir, int niceness, int heapMb, String... options) throws Exception {
            Files.createDirectories(stateDir);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>();
            if (niceness != 0) {
                command.addAll(List.of("nice", "-n", Integer.toString(niceness)));
            }
            command.addAll(List.of(java, "-Xmx" + heapMb + "m", "-cp", System.getProperty("java.class.path"),
                    "io.nexchange.sandbox.internal.SandboxMain", "--port", "0", "--state-dir", stateDir.toString()));
            command.addAll(List.of(options));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(stateDir.resolve("sandbox.log").toFile()).start();
            Path properties = stateDir.resolve("sandbox.properties");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(properties) || !Files.readString(stateDir.resolve("sandbox.log")).contains("admin API")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the sandbox process did not start: " + Files.readString(stateDir.resolve("sandbox.log")));
                }
                Thread.sleep(200);
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(properties)) {
                p.load(in);
            }
            return new SandboxProcess(process, p);
        }

        JsonNode admin(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IOException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String localPart(String address) {
        return address.substring(0, address.indexOf('@'));
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is not worth failing the benchmark for
        }
    }
}
