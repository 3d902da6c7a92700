package io.nexchange.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.admin.AdminApi;
import io.nexchange.sandbox.internal.entra.Entra;
import io.nexchange.sandbox.internal.ews.EwsApi;
import io.nexchange.sandbox.internal.ews.EwsServiceAccount;
import io.nexchange.sandbox.internal.fault.FaultInjector;
import io.nexchange.sandbox.internal.generator.TenantGenerator;
import io.nexchange.sandbox.internal.graph.GraphApi;
import io.nexchange.sandbox.internal.http.Counters;
import io.nexchange.sandbox.internal.http.RootHandler;
import io.nexchange.sandbox.internal.http.TlsMaterial;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.Group;
import io.nexchange.sandbox.internal.store.ItemIds;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.User;
import io.nexchange.sandbox.internal.throttle.Throttler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A Microsoft 365 emulator on loopback: Entra token endpoint and Microsoft Graph v1.0 (users,
 * calendars, events, contacts, delta, $batch) over HTTPS, with Outlook's throttling, fault injection,
 * a generated tenant and admin operations. Plain Java: tests create one with {@link #start}, the OSGi
 * component and the main class wrap it. Event and contact payloads of the admin methods are Graph JSON.
 */
public final class SandboxServer implements AutoCloseable {
    private static final String SECRET_FILE = "demo-client-secret.txt";

    private final SandboxOptions options;
    private final Path stateDir;
    private final boolean ownsStateDir;
    private final Tenant tenant;
    private final Entra entra;
    private final GraphApi graph;
    private final Throttler throttler;
    private final Throttler ewsThrottler;
    private final EwsApi ews;
    private volatile EwsServiceAccount ewsServiceAccount;
    private final Counters counters = new Counters();
    private final FaultInjector faults;
    private final TlsMaterial tls;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final AppRegistration demoApp;
    private final String baseUrl;
    private volatile DeadTokenMode deadTokenMode;

    private SandboxServer(SandboxOptions o) throws IOException {
        this.options = o;
        this.ownsStateDir = o.stateDir == null;
        this.stateDir = o.stateDir != null ? Files.createDirectories(o.stateDir) : Files.createTempDirectory("nexchange-sandbox");
        this.deadTokenMode = o.deadTokenMode;
        SecureRandom random = new SecureRandom();
        Clock system = Clock.systemUTC();
        LocalDate anchor = o.anchorDate != null ? o.anchorDate
                : LocalDate.now(ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Clock generationClock = Clock.fixed(anchor.minusDays(90).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        // mailboxes are generated on first use (and again when an unchanged one was dropped from memory)
        this.tenant = new TenantGenerator(o.seed, o.users, o.eventsPerMailbox, o.contactsPerMailbox, anchor, generationClock)
                .mix(new TenantGenerator.MailboxMix(o.emptyMailboxPercent, o.smallMailboxPercent))
                .cachedMailboxes(o.cachedMailboxes).liveClock(system).generate();
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048, random);
            this.entra = new Entra(tenant, gen.generateKeyPair(), system, () -> options.tokenLifetimeSeconds);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot create the token signing key", e);
        }
        this.demoApp = AppRegistration.builder("Nexchange demo")
                .clientId(TenantGenerator.uuid(o.seed, "demo-app").toString())
                .clientSecret(demoSecret(stateDir, random))
                .build();
        entra.register(demoApp);
        this.throttler = new Throttler(system, new Throttler.Settings(o.maxConcurrent, o.windowRequests, o.window, o.retryAfter));
        this.faults = new FaultInjector(o.seed);
        this.graph = new GraphApi(tenant, entra, throttler, counters, faults, () -> deadTokenMode, o.maxDeltaStates);
        // EWS has its own budget per (caller, mailbox), separate from Graph's, as in Exchange Online
        this.ewsThrottler = new Throttler(system, new Throttler.Settings(o.ewsMaxConcurrent, o.windowRequests, o.window, o.retryAfter));
        this.ewsServiceAccount = o.ewsServiceUser == null ? null
                : new EwsServiceAccount(o.ewsServiceUser, o.ewsServicePassword, o.ewsServiceImpersonation);
        this.ews = new EwsApi(tenant, entra, ewsThrottler, counters, faults, o.maxDeltaStates, () -> ewsServiceAccount,
                () -> tenant.users().stream().anyMatch(u -> u.onPremises));
        this.tls = TlsMaterial.generate(stateDir.resolve("sandbox-truststore.p12"), random);

        // The JDK server writes headers and body in separate segments; without TCP_NODELAY each
        // keep-alive request waits out the client's delayed ACK (~40 ms). Read once per JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        this.server = HttpsServer.create(new InetSocketAddress(loopback, o.port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        this.baseUrl = "https://127.0.0.1:" + (o.advertisedPort > 0 ? o.advertisedPort : server.getAddress().getPort());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "sandbox-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        AdminApi admin = new AdminApi(this);
        server.createContext("/", new RootHandler(baseUrl, tenant, entra, graph, ews, admin::handle, faults, counters));
        server.start();
        writeProperties();
    }

    /** Generates the tenant, starts HTTPS on 127.0.0.1 and writes the truststore and sandbox.properties. */
    public static SandboxServer start(SandboxOptions options) throws IOException {
        return new SandboxServer(options);
    }

    private static String demoSecret(Path dir, SecureRandom random) throws IOException {
        Path file = dir.resolve(SECRET_FILE);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        byte[] b = new byte[30];
        random.nextBytes(b);
        String secret = "Nx8Q~" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the state dir's own permissions apply
        }
        return secret;
    }

    private void writeProperties() throws IOException {
        Properties p = new Properties();
        p.setProperty("baseUrl", baseUrl);
        p.setProperty("graphBaseUrl", graphBaseUrl());
        p.setProperty("authority", authority());
        p.setProperty("ewsUrl", ewsUrl());
        p.setProperty("tenantId", tenant.tenantId);
        p.setProperty("tenantDomain", tenant.domain);
        p.setProperty("clientId", demoApp.clientId());
        p.setProperty("clientSecretFile", demoSecretFile().toString());
        p.setProperty("truststore", tls.truststore().toString());
        p.setProperty("truststorePassword", new String(tls.truststorePassword()));
        p.setProperty("truststorePasswordFile", truststorePasswordFile().toString());
        p.setProperty("truststoreType", "PKCS12");
        // the password on its own too, for clients configured with a password file (auth-entra, graph-client)
        Files.writeString(truststorePasswordFile(), new String(tls.truststorePassword()) + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(truststorePasswordFile(), PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the state dir's own permissions apply
        }
        // the certificate as PEM for curl and other non-Java clients (curl --cacert sandbox-cert.pem ...)
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(tls.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(certificatePemFile(), pem, StandardCharsets.US_ASCII);
            p.setProperty("certificatePem", certificatePemFile().toString());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("the sandbox certificate could not be encoded: " + e.getMessage(), e);
        }
        // written whole and then moved into place: scripts and tests wait for the file and read it at once
        Path temp = Files.createTempFile(stateDir, ".sandbox-", ".properties");
        try (var out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            p.store(out, "Nexchange sandbox (Microsoft 365 emulator) - connection settings for clients");
        }
        Files.move(temp, stateDir.resolve("sandbox.properties"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- where and how to connect ------------------------------------------------------------------

    /** File holding the truststore's password (first line). */
    public Path truststorePasswordFile() {
        return stateDir.resolve("sandbox-truststore.password");
    }

    /** The server certificate (self-signed, the trust anchor) as PEM. */
    public Path certificatePemFile() {
        return stateDir.resolve("sandbox-cert.pem");
    }

    /** e.g. https://127.0.0.1:4433 */
    public String baseUrl() {
        return baseUrl;
    }

    /** e.g. https://127.0.0.1:4433/v1.0 (for GraphServiceClient's request adapter). */
    public String graphBaseUrl() {
        return baseUrl + "/v1.0";
    }

    /** e.g. https://127.0.0.1:4433/EWS/Exchange.asmx (ExchangeService.setUrl). */
    public String ewsUrl() {
        return baseUrl + "/EWS/Exchange.asmx";
    }

    /** The msal4j authority: https://127.0.0.1:4433/{tenant id}/ */
    public String authority() {
        return baseUrl + "/" + tenant.tenantId + "/";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String tenantId() {
        return tenant.tenantId;
    }

    public String tenantDomain() {
        return tenant.domain;
    }

    /** The app registration with all roles and admin consent (its secret is also in {@link #demoSecretFile()}). */
    public AppRegistration demoApp() {
        return demoApp;
    }

    public Path demoSecretFile() {
        return stateDir.resolve(SECRET_FILE);
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The PKCS#12 truststore holding the sandbox's certificate. */
    public Path truststorePath() {
        return tls.truststore();
    }

    public char[] truststorePassword() {
        return tls.truststorePassword();
    }

    /** An SSLContext trusting exactly the sandbox certificate (loaded from the truststore file). */
    public SSLContext clientSslContext() {
        try {
            return tls.clientContext();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot load the sandbox truststore " + tls.truststore(), e);
        }
    }

    // ---- directory ---------------------------------------------------------------------------------

    public AppRegistration registerApp(AppRegistration app) {
        entra.register(app);
        return app;
    }

    /** UPNs of enabled users with a mailbox, in directory order. */
    public List<String> mailboxes() {
        List<String> out = new ArrayList<>();
        for (User u : tenant.users()) {
            if (u.hasMailbox() && u.accountEnabled) {
                out.add(u.userPrincipalName);
            }
        }
        return out;
    }

    /**
     * Collects garbage (a few rounds, until the used heap settles) and reports the heap and how many mailboxes hold
     * their items in memory. For the scale figures: the process should run nothing else.
     */
    public SandboxMemory memory() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used - 64 * 1024) {
                used = Math.min(used, now);
                break;
            }
            used = now;
        }
        int mailboxes = 0;
        int inMemory = 0;
        int changed = 0;
        for (User u : tenant.users()) {
            if (u.hasMailbox()) {
                mailboxes++;
                inMemory += u.mailboxSlot.inMemory() ? 1 : 0;
                changed += u.mailboxSlot.changed() ? 1 : 0;
            }
        }
        return new SandboxMemory(used, mailboxes, inMemory, changed);
    }

    /** UPNs of users without an Exchange Online mailbox. */
    public List<String> usersWithoutMailbox() {
        List<String> out = new ArrayList<>();
        for (User u : tenant.users()) {
            if (!u.hasMailbox()) {
                out.add(u.userPrincipalName);
            }
        }
        return out;
    }

    /** UPNs of disabled accounts (they keep their mailbox). */
    public List<String> disabledUsers() {
        List<String> out = new ArrayList<>();
        for (User u : tenant.users()) {
            if (!u.accountEnabled) {
                out.add(u.userPrincipalName);
            }
        }
        return out;
    }

    /** The directory object id of a user. */
    public String userId(String upn) {
        return user(upn).id;
    }

    // ---- groups -------------------------------------------------------------------------------------------

    /** The tenant's groups, in directory order. */
    public List<SandboxGroup> groups() {
        List<SandboxGroup> out = new ArrayList<>();
        for (Group g : tenant.groups()) {
            Tenant.Members direct = tenant.directMembers(g);
            Tenant.Members all = tenant.transitiveMembers(g);
            out.add(new SandboxGroup(g.id, g.displayName, g.mail, direct.users().stream().map(u -> u.userPrincipalName).toList(),
                    direct.groups().stream().map(n -> n.id).toList(), all.users().stream().map(u -> u.userPrincipalName).toList()));
        }
        return out;
    }

    /** The group with this display name (the generated names are unique). */
    public SandboxGroup group(String displayName) {
        return groups().stream().filter(g -> g.displayName().equalsIgnoreCase(displayName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No group named " + displayName));
    }

    /** Makes a user (UPN, mail or id) or a group (id) a direct member of a group. */
    public void addGroupMember(String groupId, String member) {
        Group g = groupById(groupId);
        String memberId = tenant.group(member).map(n -> n.id).orElseGet(() -> user(member).id);
        if (!g.memberIds.contains(memberId)) {
            g.memberIds.add(memberId);
        }
    }

    /** Removes a direct member (user UPN, mail or id, or group id) from a group. */
    public void removeGroupMember(String groupId, String member) {
        Group g = groupById(groupId);
        String memberId = tenant.group(member).map(n -> n.id).orElseGet(() -> user(member).id);
        if (!g.memberIds.remove(memberId)) {
            throw new IllegalArgumentException(member + " is not a direct member of group " + groupId);
        }
    }

    private Group groupById(String groupId) {
        return tenant.group(groupId).orElseThrow(() -> new IllegalArgumentException("No group " + groupId));
    }

    // ---- mailbox edits, as a user in Outlook would make them -----------------------------------------

    /** Creates an event (Graph JSON) in the default calendar; returns the stored event as Graph JSON. */
    public String createEvent(String mailbox, String eventJson) {
        Mailbox mb = mailbox(mailbox);
        Event e = read(eventJson, Event.class);
        return render(mb, mb.createEvent(null, e));
    }

    /** Applies a Graph JSON patch to an event, occurrence (which becomes an exception) or series master. */
    public String updateEvent(String mailbox, String eventId, String patchJson) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            var occurrence = ItemIds.parseOccurrence(eventId);
            if (occurrence.isPresent()) {
                return modifyOccurrence(mailbox, occurrence.get().masterId(), occurrence.get().originalStart(), patchJson);
            }
            Event item = mb.item(eventId).orElseThrow(() -> new IllegalArgumentException("No event " + eventId + " in " + mailbox));
            return render(mb, mb.updateItem(item, ev -> merge(ev, patchJson)));
        }
    }

    /**
     * Makes EWS show {@code subject} for one event (a series master or a single event) where Graph shows the stored one;
     * null makes both views the same again. The two views of a mailbox then differ in one field of one item, as the
     * shadow comparison ({@code nexchange:shadow}) must report. Neither view's change key moves.
     */
    public void setEwsSubject(String mailbox, String eventId, String subject) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            mb.item(eventId).orElseThrow(() -> new IllegalArgumentException("No event " + eventId + " in " + mailbox)).ewsSubject = subject;
        }
    }

    /**
     * A string value of {@link #malformEvent} (or of any item) holding this is served with the bytes FF FE in its
     * place: invalid UTF-8 in Graph's answer.
     */
    public static final String INVALID_UTF8 = "\u0000invalid-utf-8\u0000";

    /**
     * Makes Graph serve the event (a single or a series master) with {@code graphJson}'s fields over its rendering, as
     * they are: a malformed or half-filled event as real Graph can send one. The event changes (new changeKey, in the
     * next delta) like an edit; {@code {}} serves it well-formed again (another change).
     */
    public String malformEvent(String mailbox, String eventId, String graphJson) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            Event item = mb.item(eventId).orElseThrow(() -> new IllegalArgumentException("No event " + eventId + " in " + mailbox));
            com.fasterxml.jackson.databind.JsonNode fields;
            try {
                fields = Json.MAPPER.readTree(graphJson);
            } catch (IOException e) {
                throw new IllegalArgumentException("Not JSON: " + e.getMessage(), e);
            }
            if (!fields.isObject()) {
                throw new IllegalArgumentException("malform takes a JSON object of Graph event fields");
            }
            return render(mb, mb.updateItem(item, ev -> ev.graphOverride = fields.isEmpty() ? null
                    : (com.fasterxml.jackson.databind.node.ObjectNode) fields));
        }
    }

    /** Deletes an event or series (an occurrence id cancels that occurrence). */
    public void deleteEvent(String mailbox, String eventId) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            var occurrence = ItemIds.parseOccurrence(eventId);
            if (occurrence.isPresent()) {
                cancelOccurrence(mailbox, occurrence.get().masterId(), occurrence.get().originalStart());
                return;
            }
            mb.deleteItem(mb.item(eventId).orElseThrow(() -> new IllegalArgumentException("No event " + eventId + " in " + mailbox)));
        }
    }

    /** Turns one occurrence into an exception with the patch applied. */
    public String modifyOccurrence(String mailbox, String masterId, Instant originalStart, String patchJson) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            Event master = master(mb, masterId);
            if (!mb.isOccurrence(master, originalStart)) {
                throw new IllegalArgumentException("The series " + masterId + " has no occurrence at " + originalStart);
            }
            Event ex = mb.updateOccurrence(master, originalStart, ev -> merge(ev, patchJson));
            return render(mb, ex);
        }
    }

    public void cancelOccurrence(String mailbox, String masterId, Instant originalStart) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            Event master = master(mb, masterId);
            if (!mb.isOccurrence(master, originalStart)) {
                throw new IllegalArgumentException("The series " + masterId + " has no occurrence at " + originalStart);
            }
            mb.cancelOccurrence(master, originalStart);
        }
    }

    /**
     * Cancels many occurrences of a series at once (the series is expanded once, not once per occurrence): a series with
     * thousands of cancelled occurrences, as hostile input.
     */
    public void cancelOccurrences(String mailbox, String masterId, List<Instant> originalStarts) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            Event master = master(mb, masterId);
            java.util.Set<Instant> occurrences = new java.util.HashSet<>(mb.occurrenceStarts(master, originalStarts.stream()
                    .max(Instant::compareTo).orElse(Instant.EPOCH)));
            for (Instant start : originalStarts) {
                if (!occurrences.contains(start)) {
                    throw new IllegalArgumentException("The series " + masterId + " has no occurrence at " + start);
                }
            }
            for (Instant start : originalStarts) {
                mb.cancelOccurrence(master, start);
            }
        }
    }

    /** Moves the end of a series: it now ends on {@code lastDate}. */
    public void endSeries(String mailbox, String masterId, LocalDate lastDate) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            mb.endSeries(master(mb, masterId), lastDate);
        }
    }

    /** An event, occurrence or exception as Graph JSON (UTC), or null. */
    public String event(String mailbox, String eventId) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            return mb.event(eventId).map(e -> render(mb, e)).orElse(null);
        }
    }

    /** Ids of the series masters and single items of the default calendar. */
    public List<String> eventIds(String mailbox) {
        Mailbox mb = mailbox(mailbox);
        List<String> out = new ArrayList<>();
        mb.items(mb.defaultCalendar().id).forEach(e -> out.add(e.id));
        return out;
    }

    public String createContact(String mailbox, String contactJson) {
        Mailbox mb = mailbox(mailbox);
        Contact c = mb.createContact(null, read(contactJson, Contact.class));
        return Json.MAPPER.valueToTree(c).toString();
    }

    public String updateContact(String mailbox, String contactId, String patchJson) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            Contact c = mb.contact(contactId).orElseThrow(() -> new IllegalArgumentException("No contact " + contactId + " in " + mailbox));
            String id = c.id;
            String folder = c.parentFolderId;
            String created = c.createdDateTime;
            mb.updateContact(c, target -> {
                try {
                    Json.MAPPER.readerForUpdating(target).readValue(patchJson);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                target.id = id;
                target.parentFolderId = folder;
                target.createdDateTime = created;
            });
            return Json.MAPPER.valueToTree(c).toString();
        }
    }

    public void deleteContact(String mailbox, String contactId) {
        Mailbox mb = mailbox(mailbox);
        synchronized (mb) {
            mb.deleteContact(mb.contact(contactId).orElseThrow(() -> new IllegalArgumentException("No contact " + contactId + " in " + mailbox)));
        }
    }

    /** Ids of the contacts of all folders. */
    public List<String> contactIds(String mailbox) {
        List<String> out = new ArrayList<>();
        mailbox(mailbox).allContacts().forEach(c -> out.add(c.id));
        return out;
    }

    /** The EWS id of an item: the same identifier as its Graph REST id, in standard base64. */
    public static String ewsIdOf(String graphRestId) {
        return ItemIds.restToEws(graphRestId);
    }

    /** The Graph REST id of an item from its EWS id. */
    public static String graphIdOf(String ewsId) {
        return ItemIds.ewsToRest(ewsId);
    }

    /** Creates a contact folder below the default "Contacts" folder; returns its id. */
    public String createContactFolder(String mailbox, String displayName) {
        return mailbox(mailbox).createContactFolder(displayName).id;
    }

    // ---- counters, throttling, faults, delta tokens ---------------------------------------------------

    public RequestCounts counters() {
        return counters.snapshot();
    }

    /**
     * The meeting messages (invitations, updates, cancellations, responses) Exchange would have sent for the Graph and
     * EWS writes so far, oldest first. Admin API edits send none.
     */
    public List<MeetingMessage> meetingMessages() {
        return tenant.meetingMessages.messages();
    }

    /** How many meeting messages the Graph and EWS writes would have sent so far. */
    public int meetingMessageCount() {
        return tenant.meetingMessages.count();
    }

    /** Forgets the meeting messages recorded so far. */
    public void clearMeetingMessages() {
        tenant.meetingMessages.clear();
    }

    public void resetCounters() {
        counters.reset();
    }

    /** Changes the throttling limits at run time (and forgets the current windows). */
    public void setThrottling(int maxConcurrent, int windowRequests, Duration window, String retryAfter) {
        throttler.update(new Throttler.Settings(maxConcurrent, windowRequests, window, retryAfter));
        throttler.reset();
    }

    /**
     * Changes the EWS limits per (caller, mailbox) at run time: concurrent requests (beyond:
     * ErrorExceededConnectionCount) and requests per window (beyond: ErrorServerBusy whose
     * BackOffMilliseconds is {@code backOffSeconds} × 1000).
     */
    public void setEwsThrottling(int maxConcurrent, int windowRequests, Duration window, String backOffSeconds) {
        ewsThrottler.update(new Throttler.Settings(maxConcurrent, windowRequests, window, backOffSeconds));
        ewsThrottler.reset();
    }

    /**
     * Blocks EWS for app-only callers as Exchange Online does after its EWS retirement: for the whole tenant
     * ({@code tenant}), for every app whose client id is not in {@code allowedApps} (null: no allow list), and for the
     * mailboxes in {@code blockedMailboxes}. Blocked requests get HTTP 403. {@code setEwsBlocks(false, null, Set.of())}
     * lifts every block.
     */
    public void setEwsBlocks(boolean tenant, java.util.Set<String> allowedApps, java.util.Set<String> blockedMailboxes) {
        ews.setBlocks(new io.nexchange.sandbox.internal.ews.EwsApi.EwsBlocks(tenant,
                allowedApps == null ? null : java.util.Set.copyOf(allowedApps), java.util.Set.copyOf(blockedMailboxes)));
    }

    /**
     * Makes the tenant hybrid: these mailboxes (UPN, mail or id) live on the on-premises Exchange. Graph answers them
     * 404 {@code MailboxNotEnabledForRESTAPI}, app-only EWS (Exchange Online) {@code ErrorNonExistentMailbox}; the
     * EWS service account (the on-premises endpoint) serves them and no longer the cloud mailboxes. An empty set
     * makes every mailbox a cloud mailbox again.
     */
    public void setOnPremisesMailboxes(java.util.Set<String> mailboxes) {
        for (io.nexchange.sandbox.internal.store.User u : tenant.users()) {
            u.onPremises = mailboxes.stream().anyMatch(m -> m.equalsIgnoreCase(u.userPrincipalName) || m.equalsIgnoreCase(u.id)
                    || (u.mail != null && m.equalsIgnoreCase(u.mail)));
        }
    }

    /** Sets (or with a null username removes) the EWS Basic-auth service account. */
    public void setEwsServiceAccount(String username, String password, boolean impersonation) {
        this.ewsServiceAccount = username == null ? null : new EwsServiceAccount(username, password, impersonation);
    }

    public void addFault(FaultRule rule) {
        faults.add(rule);
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<FaultRule> faults() {
        return faults.active();
    }

    /**
     * Forgets the delta tokens and EWS sync states of a mailbox (null: all); their next use gets the
     * dead-token answer (EWS: ErrorInvalidSyncStateData).
     */
    public void expireDeltaTokens(String mailbox) {
        String userId = mailbox == null ? null : user(mailbox).id;
        graph.expireDeltaTokens(userId);
        ews.expireSyncStates(userId);
    }

    public void setDeadTokenMode(DeadTokenMode mode) {
        this.deadTokenMode = mode;
    }

    public DeadTokenMode deadTokenMode() {
        return deadTokenMode;
    }

    public void setTokenLifetimeSeconds(int seconds) {
        options.tokenLifetimeSeconds = seconds;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsStateDir) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private User user(String key) {
        return tenant.find(key).orElseThrow(() -> new IllegalArgumentException("No user '" + key + "' in the sandbox tenant"));
    }

    private Mailbox mailbox(String key) {
        User u = user(key);
        if (!u.hasMailbox()) {
            throw new IllegalArgumentException("User '" + key + "' has no mailbox");
        }
        return u.mailbox();
    }

    private static Event master(Mailbox mb, String masterId) {
        Event master = mb.item(masterId).orElseThrow(() -> new IllegalArgumentException("No event " + masterId));
        if (!master.isSeriesMaster()) {
            throw new IllegalArgumentException("Event " + masterId + " is not a series master");
        }
        return master;
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid " + type.getSimpleName() + " JSON: " + e.getMessage(), e);
        }
    }

    private static void merge(Event target, String patchJson) {
        String id = target.id;
        String ical = target.iCalUId;
        String type = target.type;
        String master = target.seriesMasterId;
        String originalStart = target.originalStart;
        String created = target.createdDateTime;
        try {
            Json.MAPPER.readerForUpdating(target).readValue(patchJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid event JSON: " + e.getMessage(), e);
        }
        target.id = id;
        target.iCalUId = ical;
        target.type = type;
        target.seriesMasterId = master;
        target.originalStart = originalStart;
        target.createdDateTime = created;
    }

    private static String render(Mailbox mb, Event e) {
        synchronized (mb) {
            ObjectNode n = Json.object();
            n.put("@odata.etag", "W/\"" + e.changeKey + "\"");
            n.setAll((ObjectNode) Json.MAPPER.valueToTree(e));
            return n.toString();
        }
    }
}
