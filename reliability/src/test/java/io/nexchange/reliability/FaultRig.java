package io.nexchange.reliability;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.api.state.SyncStateStore;
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
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.nextcloud.internal.DavItemStore;
import io.nexchange.nextcloud.internal.DavSettings;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcSyncStateStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import io.nexchange.testing.faults.FaultProxy;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole chain on loopback, as the runtime wires it, with a fault-injecting proxy on each wire: the sandbox tenant
 * (Entra + Graph over HTTPS) behind a TCP proxy (TLS end to end: the sandbox advertises the proxy's port in every link),
 * the Graph calendar and contacts stores over the real GraphClients (OkHttp, throttling policy), the engine
 * (SyncScheduler/MailboxSync), the CalDAV/CardDAV store, an HTTP proxy, and Radicale with one account per mailbox; the
 * state in a JDBC store (PostgreSQL or H2) that a test may swap.
 */
final class FaultRig implements AutoCloseable {
    static final String REGISTRATION = "default";
    private static final Pattern RADICALE_STATUS = Pattern.compile("\\] ([A-Z]+) response status for '([^']*)'.*?: (\\d{3})");

    final SandboxServer sandbox;
    final FaultProxy graphProxy;
    final RadicaleServer radicale;
    final FaultProxy davProxy;
    final List<String> mailboxes;
    final Map<String, String> passwords = new TreeMap<>();
    private final GraphClientsImpl clients;
    final Tokens tokens;
    final ItemStore calendars;
    final ItemStore contacts;
    final DavItemStore dav;
    volatile SyncStateStore state;
    /** Which sides the cycles write: Exchange to Nextcloud unless a test makes it two-way. */
    volatile Direction direction = Direction.EXCHANGE_TO_NEXTCLOUD;
    /** Engine threads, and how long a cycle may take before the test calls it a hang. */
    volatile int threads = 2;
    volatile Duration cycleTimeout = Duration.ofMinutes(3);

    FaultRig(Path temp, int users, int events, int contactsPerMailbox) throws Exception {
        this(temp, users, events, contactsPerMailbox, Duration.ofSeconds(2));
    }

    /** @param davReadTimeout how long a DAV request may wait (short for stalls; longer for Radicale reading big items) */
    FaultRig(Path temp, int users, int events, int contactsPerMailbox, Duration davReadTimeout) throws Exception {
        graphProxy = FaultProxy.start(FaultProxy.Mode.TCP, 0);
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(users).seed(16).eventsPerMailbox(events)
                .contactsPerMailbox(contactsPerMailbox).anchorDate(LocalDate.now()).stateDir(temp.resolve("sandbox"))
                .advertisedPort(graphProxy.port()).retryAfter("0.2"));
        graphProxy.forwardTo(sandbox.port());
        radicale = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN); // bcrypt would cost each request ~0.1 s
        davProxy = FaultProxy.start(FaultProxy.Mode.HTTP, radicale.port());
        mailboxes = List.copyOf(sandbox.mailboxes());
        for (String upn : mailboxes) {
            passwords.put(user(upn), radicale.addAccount(user(upn)));
        }
        tokens = new Tokens(sandbox);
        // short timeouts, so that a stalled answer costs seconds, not the production defaults' minutes
        GraphClientSettings settings = new GraphClientSettings(sandbox.graphBaseUrl(), sandbox.truststorePath(),
                Secret.of(new String(sandbox.truststorePassword())), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(8), Duration.ofSeconds(5));
        clients = new GraphClientsImpl(settings, new ThrottleController(ThrottleLimits.OUTLOOK),
                registration -> REGISTRATION.equals(registration) ? tokens : null);
        calendars = new GraphCalendarStore(clients, RegistrationAssignment.of(REGISTRATION), CalendarSettings.defaults(),
                WindowsZones.load(), Clock.systemUTC());
        contacts = new GraphContactsStore(clients, RegistrationAssignment.of(REGISTRATION), 100, false);
        dav = DavItemStore.over(new DavSettings(URI.create("http://127.0.0.1:" + davProxy.port() + "/"), Duration.ofSeconds(2),
                davReadTimeout, 100, 500, 4), account -> new DavLogin(account.userId(), Secret.of(passwords.get(account.userId()))));
    }

    /**
     * App-only tokens from the sandbox's token endpoint through msal4j, kept until 5 minutes before they expire (msal4j's
     * own cache misses for an authority with a port, see the sandbox README); {@link #forget()} empties the cache, so
     * that a token endpoint outage is met at once.
     */
    static final class Tokens implements io.nexchange.api.auth.TokenProvider {
        private final com.microsoft.aad.msal4j.ConfidentialClientApplication msal;
        private final Map<String, io.nexchange.api.auth.AccessToken> cached = new java.util.concurrent.ConcurrentHashMap<>();

        Tokens(SandboxServer sandbox) throws Exception {
            msal = com.microsoft.aad.msal4j.ConfidentialClientApplication.builder(sandbox.demoApp().clientId(),
                    com.microsoft.aad.msal4j.ClientCredentialFactory.createFromSecret(sandbox.demoApp().clientSecret()))
                    .authority(sandbox.authority()).instanceDiscovery(false)
                    .sslSocketFactory(sandbox.clientSslContext().getSocketFactory()).build();
        }

        @Override
        public String registration() {
            return FaultRig.REGISTRATION;
        }

        @Override
        public io.nexchange.api.auth.AccessToken token(String scope) throws io.nexchange.api.auth.AuthException {
            io.nexchange.api.auth.AccessToken token = cached.get(scope);
            if (token != null && token.expiresOn().isAfter(java.time.Instant.now().plusSeconds(300))) {
                return token;
            }
            try {
                var result = msal.acquireToken(com.microsoft.aad.msal4j.ClientCredentialParameters.builder(Set.of(scope)).build())
                        .get(30, TimeUnit.SECONDS);
                token = new io.nexchange.api.auth.AccessToken(Secret.of(result.accessToken()), result.expiresOnDate().toInstant(),
                        Set.of());
                cached.put(scope, token);
                return token;
            } catch (Exception e) {
                throw new io.nexchange.api.auth.AuthException(FaultRig.REGISTRATION, io.nexchange.api.auth.AuthProblem.SERVICE_UNAVAILABLE,
                        "the token endpoint did not answer: " + e.getMessage(), e);
            }
        }

        void forget() {
            cached.clear();
        }
    }

    static String user(String upn) {
        return upn.substring(0, upn.indexOf('@')).toLowerCase(Locale.ROOT);
    }

    static Owner owner(String upn) {
        return new Owner(new Mailbox(upn, upn, upn), new Account(user(upn), upn, upn));
    }

    /** A state store on its own pool; the caller closes the pool. */
    static HikariDataSource pool(String url, String user, String password) throws Exception {
        HikariDataSource pool = DataSources.pool(url, user, Secret.of(password), 4, 3_000);
        new SchemaMigrator(pool, "reliability").migrate();
        return pool;
    }

    void useState(javax.sql.DataSource pool) throws Exception {
        state = JdbcSyncStateStore.over(pool);
    }

    /** One cycle over every mailbox, as the engine's timer runs it; the scheduler is made anew on the current state store. */
    List<MailboxResult> cycle() throws Exception {
        try (SyncScheduler scheduler = scheduler()) {
            return scheduler.cycle(false).get(cycleTimeout.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * A scheduler over every mailbox on the current state store, as the runtime's engine makes one; the caller closes it.
     * The runtime's keeps running and has joined the fleet ({@link SyncScheduler#joinFleet}), so each mailbox's lease is
     * taken once and kept across cycles; one made per {@link #cycle} takes and releases every lease each time.
     */
    SyncScheduler scheduler() {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults().with(direction), Routing.parse("graph", new String[0], "caldav"),
                Set.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS), "", "", threads, Duration.ofMinutes(15), "reliability");
        List<Mailbox> list = mailboxes.stream().map(upn -> new Mailbox(upn, upn, upn)).toList();
        SyncStateStore current = state;
        return new SyncScheduler(() -> list,
                listener -> new MailboxSync(mailbox -> new Resolution(mailbox, List.of(owner(mailbox.primarySmtp()).account())),
                        current, (side, backend, kind) -> Optional.of(side.equals("exchange")
                                ? (kind == CollectionKind.CALENDAR ? calendars : contacts) : dav),
                        settings, listener, Clock.systemUTC()), threads, Clock.systemUTC());
    }

    /** What the Exchange side holds now, per mailbox and kind: the number of items its full listing has. */
    Map<String, Integer> sourceCounts() throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (String upn : mailboxes) {
            for (CollectionKind kind : CollectionKind.values()) {
                ItemStore store = kind == CollectionKind.CALENDAR ? calendars : contacts;
                CollectionRef ref = store.collections(owner(upn), kind).get(0);
                Set<String> keys = new java.util.HashSet<>();
                Cursor cursor = Cursor.INITIAL;
                ChangePage page;
                do {
                    page = store.source(owner(upn), ref).changes(cursor);
                    page.changes().forEach(c -> keys.add(c.key().value()));
                    cursor = page.next();
                } while (page.hasMore());
                counts.put(user(upn) + " " + kind, keys.size());
            }
        }
        return counts;
    }

    /** The content of every item the Exchange side lists for the mailbox and kind (full listing). */
    List<String> sourceTexts(String upn, CollectionKind kind) throws Exception {
        ItemStore store = kind == CollectionKind.CALENDAR ? calendars : contacts;
        CollectionRef ref = store.collections(owner(upn), kind).get(0);
        List<String> texts = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        Cursor cursor = Cursor.INITIAL;
        ChangePage page;
        do {
            page = store.source(owner(upn), ref).changes(cursor);
            for (var change : page.changes()) {
                change.item().ifPresentOrElse(i -> texts.add(i.content().text()), () -> {
                    if (!change.isRemoval() && !change.isUnreadable()) {
                        refs.add(change.ref());
                    }
                });
            }
            cursor = page.next();
        } while (page.hasMore());
        if (!refs.isEmpty()) {
            store.source(owner(upn), ref).fetch(refs).forEach(c -> c.item().ifPresent(i -> texts.add(i.content().text())));
        }
        return texts;
    }

    /** What Radicale stores, per user and kind: resources, and how many distinct UIDs they carry. */
    record Stored(Map<String, Integer> resources, Map<String, Integer> uids, Map<String, String> texts) {
    }

    Stored stored() {
        Map<String, Integer> resources = new TreeMap<>();
        Map<String, Integer> uids = new TreeMap<>();
        Map<String, String> texts = new HashMap<>();
        Pattern uid = Pattern.compile("(?m)^UID:(.*?)\\r?$");
        radicale.storedItems().forEach((user, collections) -> collections.forEach((collection, items) -> {
            if (items.isEmpty()) {
                return;
            }
            String kind = items.values().iterator().next().startsWith("BEGIN:VCARD") ? "CONTACTS" : "CALENDAR";
            Set<String> distinct = new java.util.HashSet<>();
            items.forEach((name, text) -> {
                Matcher m = uid.matcher(text.replace("\r\n ", "").replace("\r\n\t", "")); // unfolded: a GOID UID is folded
                distinct.add(m.find() ? m.group(1) : "(no UID) " + name);
                texts.put(user + "/" + collection + "/" + name, text);
            });
            resources.merge(user + " " + kind, items.size(), Integer::sum);
            uids.merge(user + " " + kind, distinct.size(), Integer::sum);
        }));
        return new Stored(resources, uids, texts);
    }

    /** Radicale's log: the successful writes (2xx PUT or DELETE) since the mark, by method. */
    Map<String, Integer> acceptedWritesSince(int logLine) {
        Map<String, Integer> writes = new TreeMap<>();
        List<String> lines = radicale.logText().lines().toList();
        for (String line : lines.subList(Math.min(logLine, lines.size()), lines.size())) {
            Matcher m = RADICALE_STATUS.matcher(line);
            if (m.find() && (m.group(1).equals("PUT") || m.group(1).equals("DELETE")) && m.group(3).startsWith("2")) {
                writes.merge(m.group(1), 1, Integer::sum);
            }
        }
        return writes;
    }

    int radicaleLogLines() {
        return (int) radicale.logText().lines().count();
    }

    /** Forgets every sync-token Radicale issued (its cache of them), as a restore or a cache wipe would. */
    void forgetRadicaleSyncTokens() throws IOException {
        try (var paths = Files.walk(radicale.storageFolder())) {
            List<Path> caches = paths.filter(p -> p.getFileName().toString().equals("sync-token")
                    && p.getParent().getFileName().toString().equals(".Radicale.cache")).toList();
            for (Path cache : caches) {
                try (var files = Files.walk(cache)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    List<String> mailboxUsers() {
        return new ArrayList<>(passwords.keySet());
    }

    @Override
    public void close() {
        dav.close();
        clients.close();
        davProxy.close();
        graphProxy.close();
        radicale.close();
        sandbox.close();
    }
}
