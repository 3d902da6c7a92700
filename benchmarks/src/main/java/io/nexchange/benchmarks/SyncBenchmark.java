package io.nexchange.benchmarks;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.ItemStore;
import io.nexchange.engine.internal.Direction;
import io.nexchange.engine.internal.EngineSettings;
import io.nexchange.engine.internal.MailboxResult;
import io.nexchange.engine.internal.MailboxSync;
import io.nexchange.engine.internal.PairResult;
import io.nexchange.engine.internal.Routing;
import io.nexchange.engine.internal.SyncScheduler;
import io.nexchange.engine.internal.SyncSettings;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.calendar.internal.store.CalendarSettings;
import io.nexchange.graph.calendar.internal.store.GraphCalendarStore;
import io.nexchange.graph.client.internal.GraphClientSettings;
import io.nexchange.graph.client.internal.GraphClientsImpl;
import io.nexchange.graph.contacts.internal.store.GraphContactsStore;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.nextcloud.internal.DavItemStore;
import io.nexchange.nextcloud.internal.DavSettings;
import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcSyncStateStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudServer;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Issue 5: the initial sync of a sandbox tenant (Graph over HTTPS, the generator's event mix with series and
 * exceptions, and contacts) into a real Radicale (or, with {@code -Dsync.server=nextcloud}, issue 11: the real Nextcloud of
 * ../shared/nextcloud) with one account per mailbox, through the product's plain classes
 * wired as in the runtime: GraphClientsImpl with the throttling policy (Outlook limits), GraphCalendarStore and
 * GraphContactsStore with their configuration defaults, DavItemStore, the JDBC state store on H2, and
 * SyncScheduler/MailboxSync with the engine's defaults. Then an echo cycle and an idle cycle, and last the sink's own
 * limit: the same .ics/.vcf bodies (as the server stored them) PUT into fresh collections of the same server by a
 * plain client, sequentially and (Radicale only) in parallel. Prints figures; not a test
 * ({@code SyncBenchmarkSmokeTest} runs a tiny configuration so it cannot rot).
 */
public final class SyncBenchmark {
    private static final String REGISTRATION = "default";
    private static final Set<String> DAV_WRITES = Set.of("PUT", "DELETE", "MKCOL", "MKCALENDAR", "PROPPATCH", "MOVE", "COPY");

    /**
     * What to run.
     *
     * @param rawMailboxes how many mailboxes' collections the raw PUT comparison copies (0 = all)
     */
    public record Settings(int mailboxes, int events, int contacts, int threads, int rawMailboxes, long seed, boolean nextcloud,
            boolean sandboxProcess, int serverNice) {
        /**
         * Issue 5's size unless overridden: -Dsync.mailboxes, -Dsync.events, -Dsync.contacts, -Dsync.threads;
         * -Dsync.server=nextcloud syncs into the real Nextcloud of ../shared/nextcloud instead of Radicale;
         * -Dsync.sandbox=process runs the sandbox in a JVM of its own at the lowest CPU priority ({@link Tenant});
         * -Dsync.serverNice=-10 renices Nextcloud's PHP process by that much for the whole run (sync and raw PUT alike:
         * as if it had its own cores, as on its own host; a negative value needs root).
         */
        public static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("sync.mailboxes", 200), Integer.getInteger("sync.events", 200),
                    Integer.getInteger("sync.contacts", 100), Integer.getInteger("sync.threads", 4),
                    Integer.getInteger("sync.rawMailboxes", 0), Long.getLong("sync.seed", 5),
                    "nextcloud".equalsIgnoreCase(System.getProperty("sync.server", "radicale")),
                    "process".equalsIgnoreCase(System.getProperty("sync.sandbox", "in-process")),
                    Integer.getInteger("sync.serverNice", 0));
        }

        /** Seconds: 2 mailboxes of 20 events and 10 contacts, into Radicale. */
        public static Settings smoke() {
            return new Settings(2, 20, 10, 2, 0, 5, false, false, 0);
        }

        /** The same, into Nextcloud. */
        public Settings intoNextcloud() {
            return new Settings(mailboxes, events, contacts, threads, rawMailboxes, seed, true, sandboxProcess, serverNice);
        }
    }

    /** Requests and writes of one cycle. */
    public record Cycle(String name, int mailboxes, int mailboxesOk, long calendarItems, long contactItems,
            double seconds, long graphRequests, Map<String, Long> graphByEndpoint, long davRequests, long davWrites,
            Map<String, Long> davByMethod, List<String> problems) {
        public long items() {
            return calendarItems + contactItems;
        }

        public double itemsPerSecond() {
            return items() / seconds;
        }
    }

    /** The plain client's PUT rate. */
    public record RawRate(int clients, long items, long failures, double seconds) {
        public double itemsPerSecond() {
            return items / seconds;
        }
    }

    /** Everything measured. */
    public record Figures(Cycle initial, Cycle echo, Cycle idle, long peakHeapSampled, long peakHeapPools,
            long heapBaseline, RawRate sequential, RawRate parallel, int rawMailboxes, RawRate sequentialSession) {
    }

    public static void main(String[] args) throws Exception {
        run(Settings.fromSystemProperties(), System.out);
    }

    /** Starts the sandbox and the DAV server, runs the cycles and the raw PUTs, prints the figures and stops both. */
    public static Figures run(Settings s, PrintStream out) throws Exception {
        Path temp = Files.createTempDirectory("nexchange-sync-bench");
        try {
            return run(s, out, temp);
        } finally {
            deleteRecursively(temp);
        }
    }

    private static Figures run(Settings s, PrintStream out, Path temp) throws Exception {
        out.printf(Locale.ROOT, "Sync benchmark: %d mailboxes x %d events + %d contacts (sandbox generator, seed %d), "
                + "%d engine threads; Java %s, %d cores, max heap %d MiB%n", s.mailboxes(), s.events(), s.contacts(),
                s.seed(), s.threads(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        long t0 = System.nanoTime();
        try (Tenant sandbox = s.sandboxProcess() ? Tenant.process(s, temp.resolve("sandbox")) : Tenant.inProcess(s, temp.resolve("sandbox"));
                DavTestServer dav = s.nextcloud() ? NextcloudServer.start() : RadicaleServer.start()) {
            List<String> upns = sandbox.mailboxes();
            if (s.serverNice() != 0 && dav instanceof NextcloudServer nextcloud) {
                renice(nextcloud.pid(), s.serverNice(), out);
            }
            if (upns.size() != s.mailboxes()) {
                throw new IllegalStateException("the sandbox made " + upns.size() + " mailboxes, not " + s.mailboxes());
            }
            Map<String, String> passwords = new TreeMap<>();
            for (String upn : upns) {
                // Nextcloud: the account owns the mailbox's address, as a real one would (its scheduling then sees it)
                passwords.put(localPart(upn), dav.addAccount(localPart(upn), upn));
            }
            long sourceEvents = 0;
            long sourceContacts = 0;
            for (String upn : upns) {
                sourceEvents += sandbox.events(upn);
                sourceContacts += sandbox.contacts(upn);
            }
            out.printf(Locale.ROOT, "Sandbox (%s) holds %d events (series counted once) and %d contacts; %s %d accounts; "
                    + "set up in %.1f s%n", sandbox.where(), sourceEvents, sourceContacts, dav.product(), upns.size(),
                    (System.nanoTime() - t0) / 1e9);

            HeapWatch heap = new HeapWatch();
            Figures figures;
            ServerTime.Spent serverSync = null;
            try (HikariDataSource pool = DataSources.pool("jdbc:h2:file:" + temp.resolve("state/nexchange"), "sa",
                    Secret.of(""), s.threads() + 2, 30_000);
                    Closing<GraphClientsImpl> graph = new Closing<>(sandbox.graphClients(), GraphClientsImpl::close);
                    DavItemStore davStore = DavItemStore.over(DavSettings.defaults(URI.create(dav.davBaseUrl())),
                            account -> new DavLogin(account.userId(), Secret.of(passwords.get(account.userId()))))) {
                new SchemaMigrator(pool, "bench").migrate();
                JdbcSyncStateStore state = JdbcSyncStateStore.over(pool);
                GraphClientsImpl clients = graph.value();
                // the configuration defaults of io.nexchange.graph.calendar / io.nexchange.graph.contacts
                ItemStore calendars = new GraphCalendarStore(clients, RegistrationAssignment.of(REGISTRATION),
                        CalendarSettings.defaults(), WindowsZones.load(), Clock.systemUTC());
                ItemStore contacts = new GraphContactsStore(clients, RegistrationAssignment.of(REGISTRATION), 100, false);
                EngineSettings settings = new EngineSettings(SyncSettings.defaults().with(Direction.EXCHANGE_TO_NEXTCLOUD),
                        Routing.parse("graph", new String[0], "caldav"),
                        Set.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS), "", "", s.threads(), Duration.ofMinutes(15),
                        "bench");
                List<Mailbox> mailboxes = upns.stream().map(upn -> new Mailbox(upn, upn, upn)).toList();
                try (SyncScheduler scheduler = new SyncScheduler(() -> mailboxes,
                        listener -> new MailboxSync(
                                // the "localpart" account directory: the DAV accounts are named by local parts
                                mailbox -> new Resolution(mailbox, List.of(new Account(localPart(mailbox.primarySmtp()),
                                        mailbox.primarySmtp(), mailbox.displayName()))),
                                state, (side, backend, kind) -> Optional.of(!side.equals("exchange") ? davStore
                                        : kind == CollectionKind.CALENDAR ? calendars : contacts),
                                settings, listener, Clock.systemUTC()),
                        s.threads(), Clock.systemUTC())) {
                    heap.start();
                    ServerTime serverTime = ServerTime.start(dav);
                    Cycle initial = cycle("initial sync", scheduler, sandbox, dav);
                    serverSync = serverTime.print(out, "initial sync");
                    heap.stop();
                    Cycle echo = cycle("second cycle", scheduler, sandbox, dav);
                    Cycle idle = cycle("third cycle", scheduler, sandbox, dav);
                    figures = new Figures(initial, echo, idle, heap.sampledPeak(), heap.poolPeaks(), heap.baseline(),
                            null, null, 0, null);
                }
            }
            print(out, figures);

            List<Written> collections = writtenCollections(dav, passwords.keySet(), s.rawMailboxes());
            int rawMailboxes = s.rawMailboxes() <= 0 ? upns.size() : Math.min(s.rawMailboxes(), upns.size());
            RawPut raw = new RawPut(dav, passwords, false);
            ServerTime rawTime = ServerTime.start(dav);
            RawRate sequential = raw.put(collections, 1, "raw1-");
            ServerTime.Spent serverRaw = rawTime.print(out, "sequential raw PUT");
            // the kit's Nextcloud runs one PHP worker (parallel writes into its SQLite fail): parallel clients only queue
            RawRate parallel = s.nextcloud() ? null : raw.put(collections, s.threads(), "raw" + s.threads() + "-");
            // the product keeps Nextcloud's session cookie (DavClient), which spares the server the app-password login
            // of each request: the same client doing so is the comparison with the same per-request server work
            RawRate session = null;
            ServerTime.Spent serverSession = null;
            if (s.nextcloud()) {
                ServerTime sessionTime = ServerTime.start(dav);
                session = new RawPut(dav, passwords, true).put(collections, 1, "raw1s-");
                serverSession = sessionTime.print(out, "sequential raw PUT keeping the session cookie");
            }
            figures = new Figures(figures.initial(), figures.echo(), figures.idle(), figures.peakHeapSampled(),
                    figures.peakHeapPools(), figures.heapBaseline(), sequential, parallel, rawMailboxes, session);
            printRaw(out, figures);
            if (serverSync != null && serverRaw != null) {
                printWithoutWaits(out, figures.initial().items(), serverSync, sequential.items(), serverRaw, "plain raw PUT");
            }
            if (serverSync != null && serverSession != null) {
                printWithoutWaits(out, figures.initial().items(), serverSync, session.items(), serverSession,
                        "raw PUT keeping the session cookie");
            }
            return figures;
        }
    }

    private static void renice(long pid, int by, PrintStream out) throws IOException, InterruptedException {
        Process renice = new ProcessBuilder("renice", "-n", Integer.toString(by), "-p", Long.toString(pid)).redirectErrorStream(true).start();
        String said = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (renice.waitFor() != 0) {
            throw new IllegalStateException("renice -n " + by + " -p " + pid + " failed: " + said);
        }
        out.printf(Locale.ROOT, "Nextcloud's PHP process (pid %d) reniced by %d for the whole run (sync and raw PUT alike)%n", pid, by);
    }

    /** try-with-resources for what has a close() but is not AutoCloseable. */
    private record Closing<T>(T value, java.util.function.Consumer<T> closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.accept(value);
        }
    }

    // ---- the engine's cycles -----------------------------------------------------------------------------------

    private static Cycle cycle(String name, SyncScheduler scheduler, Tenant sandbox, DavTestServer server)
            throws Exception {
        sandbox.resetCounters();
        int mark = server.mark();
        long start = System.nanoTime();
        List<MailboxResult> results = scheduler.cycle(false).get(6, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        RequestCounts graph = sandbox.counters();
        List<DavTestServer.Request> dav = server.requestsSince(mark);
        Map<String, Long> byMethod = dav.stream().collect(Collectors.groupingBy(DavTestServer.Request::method,
                TreeMap::new, Collectors.counting()));
        long davWrites = dav.stream().filter(r -> DAV_WRITES.contains(r.method())).count();
        long calendar = 0;
        long contacts = 0;
        List<String> problems = new ArrayList<>();
        for (MailboxResult r : results) {
            for (PairResult pair : r.pairs()) {
                if (pair.pair().kind() == CollectionKind.CALENDAR) {
                    calendar += pair.writes();
                } else {
                    contacts += pair.writes();
                }
            }
            if (r.state() != MailboxResult.State.OK) {
                problems.add(r.summary() + (r.error().isEmpty() ? "" : ": " + r.error()));
            }
        }
        int ok = (int) results.stream().filter(r -> r.state() == MailboxResult.State.OK).count();
        return new Cycle(name, results.size(), ok, calendar, contacts, seconds, graph.total(), graph.byEndpoint(), dav.size(),
                davWrites, byMethod, problems);
    }

    /**
     * The Exchange side: the sandbox in this JVM (the default, as issue 5's figures were taken), or in a JVM of its own
     * started with {@code nice -n 19} ({@code -Dsync.sandbox=process}). The product never runs the sandbox: it stands in
     * for Microsoft's servers, whose CPU is not on the connector's machine. In this JVM it competes for the two cores
     * with the engine and with what is measured (Nextcloud's PHP worker); at the lowest priority it takes only what
     * they leave, as if Graph ran elsewhere, and this JVM's CPU figure is the product's alone.
     */
    interface Tenant extends AutoCloseable {
        String where();

        List<String> mailboxes() throws Exception;

        int events(String upn) throws Exception;

        int contacts(String upn) throws Exception;

        void resetCounters() throws Exception;

        RequestCounts counters() throws Exception;

        GraphClientsImpl graphClients() throws Exception;

        @Override
        void close();

        static Tenant inProcess(Settings s, Path stateDir) throws IOException {
            SandboxServer sandbox = SandboxServer.start(SandboxOptions.defaults().users(s.mailboxes()).seed(s.seed())
                    .eventsPerMailbox(s.events()).contactsPerMailbox(s.contacts()).stateDir(stateDir));
            return new Tenant() {
                public String where() {
                    return "in this JVM";
                }

                public List<String> mailboxes() {
                    return sandbox.mailboxes();
                }

                public int events(String upn) {
                    return sandbox.eventIds(upn).size();
                }

                public int contacts(String upn) {
                    return sandbox.contactIds(upn).size();
                }

                public void resetCounters() {
                    sandbox.resetCounters();
                }

                public RequestCounts counters() {
                    return sandbox.counters();
                }

                public GraphClientsImpl graphClients() throws Exception {
                    TokenProvider tokens = new MsalTokens(REGISTRATION, ConfidentialClientApplication.builder(sandbox.demoApp().clientId(),
                            ClientCredentialFactory.createFromSecret(sandbox.demoApp().clientSecret()))
                            .authority(sandbox.authority()).instanceDiscovery(false)
                            .sslSocketFactory(sandbox.clientSslContext().getSocketFactory()).build());
                    return clients(sandbox.graphBaseUrl(), sandbox.truststorePath(), String.valueOf(sandbox.truststorePassword()), tokens);
                }

                public void close() {
                    sandbox.close();
                }
            };
        }

        static Tenant process(Settings s, Path stateDir) throws Exception {
            ScaleBenchmark.SandboxProcess sandbox = ScaleBenchmark.SandboxProcess.start(stateDir, 19, 768, "--users",
                    Integer.toString(s.mailboxes()), "--seed", Long.toString(s.seed()), "--events", Integer.toString(s.events()),
                    "--contacts", Integer.toString(s.contacts()));
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            return new Tenant() {
                public String where() {
                    return "its own JVM at nice 19";
                }

                public List<String> mailboxes() throws Exception {
                    List<String> upns = new ArrayList<>();
                    sandbox.admin("GET", "/_sandbox/mailboxes", null).path("mailboxes").forEach(n -> upns.add(n.asText()));
                    return upns;
                }

                public int events(String upn) throws Exception {
                    return sandbox.admin("GET", "/_sandbox/mailboxes/" + upn + "/events", null).size();
                }

                public int contacts(String upn) throws Exception {
                    return sandbox.admin("GET", "/_sandbox/mailboxes/" + upn + "/contacts", null).size();
                }

                public void resetCounters() throws Exception {
                    sandbox.admin("POST", "/_sandbox/counters/reset", null);
                }

                public RequestCounts counters() throws Exception {
                    return json.treeToValue(sandbox.admin("GET", "/_sandbox/counters", null), RequestCounts.class);
                }

                public GraphClientsImpl graphClients() {
                    return clients(sandbox.graphBaseUrl, sandbox.truststore, sandbox.truststorePassword, sandbox.tokens);
                }

                public void close() {
                    sandbox.close();
                }
            };
        }

        private static GraphClientsImpl clients(String graphBaseUrl, Path truststore, String truststorePassword, TokenProvider tokens) {
            GraphClientSettings settings = GraphClientSettings.defaults().withBaseUrl(graphBaseUrl)
                    .withTruststore(truststore, Secret.of(truststorePassword));
            return new GraphClientsImpl(settings, new ThrottleController(ThrottleLimits.OUTLOOK),
                    registration -> REGISTRATION.equals(registration) ? tokens : null);
        }
    }

    /**
     * Where the Nextcloud server's time went during a run (its PHP process's scheduler statistics): on a CPU, runnable
     * but waiting for a CPU (other processes on the same cores), or neither (idle: no request to serve, or on disk);
     * beside it the CPU this JVM used (engine, stores, the in-process sandbox: it competes with PHP for the same
     * cores). Sampled every 200 ms, so it also prints a timeline: the server's idle share in each tenth of the run.
     * Radicale: nothing is printed.
     */
    private static final class ServerTime implements AutoCloseable {
        private static final long SAMPLE_MILLIS = 200;
        private final NextcloudServer server;
        private final long startNanos = System.nanoTime();
        private final long startJvmCpu = jvmCpuNanos();
        /** (nanos since start, on CPU, waiting): cumulative since the start. */
        private final List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final NextcloudServer.Schedule before;
        private final Thread sampler;
        private volatile boolean running = true;

        private ServerTime(NextcloudServer server) {
            this.server = server;
            this.before = server == null ? null : server.schedule();
            if (server == null) {
                sampler = null;
                return;
            }
            samples.add(new long[] {0, 0, 0});
            sampler = new Thread(() -> {
                while (running) {
                    try {
                        Thread.sleep(SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    sample();
                }
            }, "server-time-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static ServerTime start(DavTestServer dav) {
            return new ServerTime(dav instanceof NextcloudServer nc ? nc : null);
        }

        private void sample() {
            NextcloudServer.Schedule spent = server.schedule().minus(before);
            samples.add(new long[] {System.nanoTime() - startNanos, spent.onCpuNanos(), spent.waitingNanos()});
        }

        private static long jvmCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        @Override
        public void close() {
            running = false;
            if (sampler != null) {
                sampler.interrupt();
            }
        }

        /** What the server's process spent in a run (seconds): wall time, on a CPU, waiting for one. */
        record Spent(double wall, double cpu, double waiting) {
            /** The run's time had the server never waited for a CPU (as on a core of its own). */
            double withoutWaits() {
                return wall - waiting;
            }
        }

        /** Prints the split and the idle share per tenth; null for Radicale (nothing is sampled). */
        Spent print(PrintStream out, String run) {
            close();
            if (server == null) {
                return null;
            }
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample();
            long[] last = samples.get(samples.size() - 1);
            double wall = last[0] / 1e9;
            double cpu = last[1] / 1e9;
            double waiting = last[2] / 1e9;
            double jvm = (jvmCpuNanos() - startJvmCpu) / 1e9;
            out.printf(Locale.ROOT, "  Nextcloud's PHP process during the %s (%.1f s): on a CPU %.1f s (%.0f %%), waiting for "
                    + "a CPU %.1f s (%.0f %%), neither (idle or on disk) %.1f s (%.0f %%); this JVM's CPU %.1f s; load average %.1f%n",
                    run, wall, cpu, 100 * cpu / wall, waiting, 100 * waiting / wall, wall - cpu - waiting,
                    100 * (wall - cpu - waiting) / wall, jvm, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            StringBuilder line = new StringBuilder();
            for (int tenth = 1; tenth <= 10; tenth++) {
                long[] from = at(last[0] * (tenth - 1) / 10);
                long[] to = at(last[0] * tenth / 10);
                double span = to[0] - from[0];
                double busy = (to[1] - from[1]) + (to[2] - from[2]);
                line.append(String.format(Locale.ROOT, " %3.0f", span <= 0 ? 0 : Math.max(0, 100 * (1 - busy / span))));
            }
            out.println("    idle % of the server in each tenth of the " + run + ":" + line);
            return new Spent(wall, cpu, waiting);
        }

        /** The last sample at or before that time. */
        private long[] at(long nanos) {
            long[] found = samples.get(0);
            for (long[] sample : samples) {
                if (sample[0] > nanos) {
                    break;
                }
                found = sample;
            }
            return found;
        }
    }

    // ---- the raw PUT rate ----------------------------------------------------------------------------------------

    /** One collection the sync wrote into, with the resources in it as the server stored them (by name). */
    private record Written(String user, String collection, boolean addressBook, Map<String, String> items) {}

    /**
     * The collections the sync wrote, of the first n users, read from the server's storage (Radicale's folder,
     * Nextcloud's database); Nextcloud's example event and card, which the sync did not write, are left out.
     */
    private static List<Written> writtenCollections(DavTestServer server, Set<String> users, int firstUsers) {
        Map<String, Map<String, Map<String, String>>> stored = server.storedItems();
        List<Written> out = new ArrayList<>();
        List<String> chosen = users.stream().sorted().limit(firstUsers <= 0 ? Long.MAX_VALUE : firstUsers).toList();
        for (String user : chosen) {
            stored.getOrDefault(user, Map.of()).forEach((collection, items) -> {
                Map<String, String> written = new TreeMap<>(items);
                written.values().removeIf(text -> text.contains("SUMMARY:Example event - open me!\r\n") || text.contains("FN:Leon Green\r\n"));
                if (!written.isEmpty()) {
                    boolean addressBook = written.values().iterator().next().startsWith("BEGIN:VCARD");
                    out.add(new Written(user, collection, addressBook, written));
                }
            });
        }
        return out;
    }

    /**
     * A plain DAV client: one HTTP/1.0 request per socket, Basic auth, one PUT per item, no reads. Hand-written on a
     * socket because Radicale speaks HTTP/1.0 and closes each connection, which java.net.http's HTTP/1.1 pool does not
     * expect (it sent PUTs on connections Radicale had closed: "header parser received no bytes"). PHP's built-in
     * server under the kit's Nextcloud closes each connection as well.
     */
    private static final class RawPut {
        private final DavTestServer server;
        private final Map<String, String> passwords;

        /** Whether the client sends back the cookies the server set, as the product's client does. */
        private final boolean keepSession;
        /** Per user, the cookies the server set (name to value), sent back when {@link #keepSession}. */
        private final Map<String, Map<String, String>> sessions = new java.util.concurrent.ConcurrentHashMap<>();

        RawPut(DavTestServer server, Map<String, String> passwords, boolean keepSession) {
            this.server = server;
            this.passwords = passwords;
            this.keepSession = keepSession;
        }

        private record Body(String user, String collection, String name, String contentType, byte[] bytes) {}

        /**
         * Makes a fresh collection beside each source collection (name prefixed, same kind; not timed), then PUTs
         * every body into it with {@code clients} threads taking items from one queue (timed).
         */
        RawRate put(List<Written> sources, int clients, String prefix) throws Exception {
            ConcurrentLinkedQueue<Body> queue = new ConcurrentLinkedQueue<>();
            for (Written source : sources) {
                String collection = (source.addressBook() ? server.addressBookHome(source.user()) : server.calendarHome(source.user()))
                        + prefix + source.collection();
                makeCollection(source.user(), collection, source.addressBook());
                source.items().forEach((name, text) -> queue.add(new Body(source.user(), collection, name,
                        source.addressBook() ? "text/vcard; charset=utf-8" : "text/calendar; charset=utf-8",
                        text.getBytes(StandardCharsets.UTF_8))));
            }
            long items = queue.size();
            LongAdder failures = new LongAdder();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    done.add(pool.submit(() -> {
                        Body b;
                        while (!stop.get() && (b = queue.poll()) != null) {
                            int status = send("PUT", b.user(), b.collection() + "/" + b.name(),
                                    Map.of("Content-Type", b.contentType(), "If-None-Match", "*"), b.bytes()).status();
                            if (status != 201 && status != 204) {
                                failures.increment();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            return new RawRate(clients, items, failures.sum(), (System.nanoTime() - start) / 1e9);
        }

        private void makeCollection(String user, String collection, boolean addressBook) throws IOException {
            Answer answer;
            if (addressBook) {
                String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><mkcol xmlns=\"DAV:\" "
                        + "xmlns:CR=\"urn:ietf:params:xml:ns:carddav\"><set><prop><resourcetype><collection/>"
                        + "<CR:addressbook/></resourcetype></prop></set></mkcol>";
                answer = send("MKCOL", user, collection + "/", Map.of("Content-Type", "application/xml; charset=utf-8"),
                        body.getBytes(StandardCharsets.UTF_8));
            } else {
                answer = send("MKCALENDAR", user, collection + "/", Map.of(), new byte[0]);
            }
            if (answer.status() != 201) {
                throw new IllegalStateException((addressBook ? "MKCOL " : "MKCALENDAR ") + user + "/" + collection
                        + " answered " + answer.status() + ": " + answer.text());
            }
        }

        private record Answer(int status, String text) {}

        private Answer send(String method, String user, String path, Map<String, String> headers, byte[] body)
                throws IOException {
            String auth = Base64.getEncoder().encodeToString((user + ":" + passwords.get(user)).getBytes(StandardCharsets.UTF_8));
            StringBuilder head = new StringBuilder(method).append(' ').append(path)
                    .append(" HTTP/1.0\r\nHost: 127.0.0.1:").append(server.port())
                    .append("\r\nAuthorization: Basic ").append(auth)
                    .append("\r\nContent-Length: ").append(body.length).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            Map<String, String> cookies = sessions.computeIfAbsent(user, u -> new java.util.concurrent.ConcurrentHashMap<>());
            if (keepSession && !cookies.isEmpty()) {
                head.append("Cookie: ").append(cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining("; "))).append("\r\n");
            }
            head.append("\r\n");
            try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(120_000);
                java.io.OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                out.write(body);
                out.flush();
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (keepSession) {
                    int end = response.indexOf("\r\n\r\n");
                    for (String line : response.substring(0, end < 0 ? response.length() : end).split("\r\n")) {
                        if (line.regionMatches(true, 0, "Set-Cookie:", 0, 11)) {
                            String pair = line.substring(11).strip().split(";", 2)[0];
                            int eq = pair.indexOf('=');
                            if (eq > 0) {
                                String value = pair.substring(eq + 1);
                                if (value.equals("deleted")) {
                                    cookies.remove(pair.substring(0, eq));
                                } else {
                                    cookies.put(pair.substring(0, eq), value);
                                }
                            }
                        }
                    }
                }
                // "HTTP/1.0 201 Created"
                int space = response.indexOf(' ');
                if (space < 0 || response.length() < space + 4) {
                    throw new IOException(method + " " + path + ": no HTTP answer: " + response);
                }
                return new Answer(Integer.parseInt(response.substring(space + 1, space + 4)), response);
            }
        }
    }

    // ---- heap ------------------------------------------------------------------------------------------------------

    /**
     * Peak heap during the initial sync, two ways: used heap sampled every 20 ms, and the sum of the heap pools' peak
     * usage (an upper bound: the pools peak at different moments). The baseline is the used heap after a GC just
     * before the sync, so it holds the in-process sandbox's tenant, which a real deployment does not carry.
     */
    private static final class HeapWatch {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean();
        private long baseline;
        private Thread sampler;

        void start() {
            System.gc();
            baseline = usedHeap();
            ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .forEach(MemoryPoolMXBean::resetPeakUsage);
            running.set(true);
            sampler = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(usedHeap(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            sampler.join();
        }

        long sampledPeak() {
            return peak.get();
        }

        long poolPeaks() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        }

        long baseline() {
            return baseline;
        }

        private static long usedHeap() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    // ---- output ------------------------------------------------------------------------------------------------

    private static void print(PrintStream out, Figures f) {
        Cycle c = f.initial();
        out.printf(Locale.ROOT, "Initial sync: %d items (%d events/series, %d contacts) in %.1f s = %.1f items/s; "
                + "mailboxes OK %d/%d%n", c.items(), c.calendarItems(), c.contactItems(), c.seconds(), c.itemsPerSecond(),
                c.mailboxesOk(), c.mailboxes());
        long batches = c.graphByEndpoint().getOrDefault("POST /$batch", 0L);
        out.printf(Locale.ROOT, "  Graph requests (sandbox counters: a $batch and each request in it count): %d = %.3f per item;"
                + " %d of them $batch envelopes; by endpoint %s%n", c.graphRequests(), per(c.graphRequests(), c.items()),
                batches, c.graphByEndpoint());
        out.printf(Locale.ROOT, "  DAV requests: %d = %.3f per item; DAV writes: %d = %.3f per item; by method %s%n",
                c.davRequests(), per(c.davRequests(), c.items()), c.davWrites(), per(c.davWrites(), c.items()), c.davByMethod());
        out.printf(Locale.ROOT, "  Peak heap used: %d MiB sampled every 20 ms (sum of heap pool peaks %d MiB); "
                + "used after GC before the sync %d MiB (includes the in-process sandbox)%n", f.peakHeapSampled() >> 20,
                f.peakHeapPools() >> 20, f.heapBaseline() >> 20);
        for (Cycle idle : List.of(f.echo(), f.idle())) {
            out.printf(Locale.ROOT, "%s right after: %.1f s, %d items written, Graph requests %d (%.2f per mailbox) %s, "
                    + "DAV requests %d (%.2f per mailbox), DAV writes %d %s; mailboxes OK %d/%d%n", capitalised(idle.name()),
                    idle.seconds(), idle.items(), idle.graphRequests(), per(idle.graphRequests(), idle.mailboxes()),
                    idle.graphByEndpoint(), idle.davRequests(), per(idle.davRequests(), idle.mailboxes()), idle.davWrites(),
                    idle.davByMethod(), idle.mailboxesOk(), idle.mailboxes());
        }
        for (Cycle cycle : List.of(f.initial(), f.echo(), f.idle())) {
            cycle.problems().stream().limit(5).forEach(p -> out.println("  problem (" + cycle.name() + "): " + p));
        }
    }

    private static void printRaw(PrintStream out, Figures f) {
        double ours = f.initial().itemsPerSecond();
        out.printf(Locale.ROOT, "Raw PUT of the same bodies (as the server stored them, %d mailboxes' collections) into "
                + "fresh collections of the same server, plain HTTP/1.0 client, one PUT per item:%n", f.rawMailboxes());
        for (RawRate r : f.parallel() == null ? List.of(f.sequential()) : List.of(f.sequential(), f.parallel())) {
            out.printf(Locale.ROOT, "  %s, %d client%s: %d items in %.1f s = %.1f items/s (%d failed); our sync = %.0f %% of it%n",
                    r.clients() == 1 ? "sequential" : "parallel", r.clients(), r.clients() == 1 ? "" : "s", r.items(),
                    r.seconds(), r.itemsPerSecond(), r.failures(), 100 * ours / r.itemsPerSecond());
        }
        RawRate r = f.sequentialSession();
        if (r != null) {
            out.printf(Locale.ROOT, "  sequential, 1 client keeping the server's session cookie (as the sync does): %d items in %.1f s = "
                    + "%.1f items/s (%d failed); our sync = %.0f %% of it%n", r.items(), r.seconds(), r.itemsPerSecond(),
                    r.failures(), 100 * ours / r.itemsPerSecond());
        }
    }

    /**
     * The comparison with the server's waits for a CPU taken out of both runs: on this shared machine other processes
     * (other builds, and during the sync this JVM: the engine and the in-process sandbox) make the one PHP worker wait,
     * and not equally in the two runs; on a host of its own it would not.
     */
    private static void printWithoutWaits(PrintStream out, long syncItems, ServerTime.Spent sync, long rawItems,
            ServerTime.Spent raw, String rawName) {
        double syncRate = syncItems / sync.withoutWaits();
        double rawRate = rawItems / raw.withoutWaits();
        out.printf(Locale.ROOT, "  without the server's waits for a CPU (as if Nextcloud had a core of its own): sync %.1f s = %.1f "
                + "items/s, %s %.1f s = %.1f items/s; our sync = %.0f %% of it%n", sync.withoutWaits(), syncRate, rawName,
                raw.withoutWaits(), rawRate, 100 * syncRate / rawRate);
    }

    private static double per(long count, long items) {
        return items == 0 ? Double.NaN : (double) count / items;
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
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
