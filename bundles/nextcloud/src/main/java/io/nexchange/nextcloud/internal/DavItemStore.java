package io.nexchange.nextcloud.internal;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavCredentials;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.nextcloud.internal.dav.DavHttpException;
import io.nexchange.nextcloud.internal.dav.DavResponse;
import io.nexchange.nextcloud.internal.dav.DavXml;
import io.nexchange.api.throttle.ThrottlePolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.namespace.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.w3c.dom.Element;

/**
 * The Nextcloud side over CalDAV/CardDAV: any server that does standard discovery (Nextcloud, Radicale,
 * sabre/dav based servers), as the {@link ItemStore} service of backend {@code caldav}. One {@link AccountSession}
 * per account, made on first use with the login from the best {@link DavCredentials} service (highest ranking; a
 * credential database replaces the configured logins by registering with a higher one) and dropped when the server
 * rejects it.
 *
 * <p>The default collection (empty name in {@link #ensureCollection}) is the one whose path segment is
 * {@code personal} (calendars) or {@code contacts} (address books), Nextcloud's defaults, else the first
 * writable one by href; when the account has none, it is created with that segment. Read-only and trashed
 * collections are never listed (see {@link #collections}).
 */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.nextcloud", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ItemStore.BACKEND + "=caldav", ItemStore.SIDE + "=nextcloud"})
@Designate(ocd = DavStoreConfiguration.class)
public final class DavItemStore implements ItemStore, AutoCloseable {
    private static final String DEFAULT_CALENDAR = "personal";
    private static final String DEFAULT_ADDRESSBOOK = "contacts";
    private static final Logger LOG = LoggerFactory.getLogger(DavItemStore.class);
    private static final List<QName> WRITE_PRIVILEGES = List.of(new QName(DavXml.DAV, "all"), new QName(DavXml.DAV, "write"),
            new QName(DavXml.DAV, "write-content"), new QName(DavXml.DAV, "bind"));

    /** A server pause up to this long is waited out by the request; a longer one ends the work in hand at once. */
    static final java.time.Duration THROTTLE_MAX_WAIT = java.time.Duration.ofSeconds(10);

    private final DavSettings settings;
    private final Clock clock;
    private final DavCredentials credentials;
    private final LoginGuard guard;
    private final ServerThrottle throttle;
    private final Map<String, AccountSession> sessions = new ConcurrentHashMap<>();
    /** The server's URL layout of principals and homes, learned from the first discovery (saves two requests per account). */
    private final HomeLayout layout;

    /**
     * The component: the best {@link DavCredentials} (highest ranking) and the {@link ThrottlePolicy}, which keeps the
     * server-wide pause after a 429.
     */
    @Activate
    public DavItemStore(DavStoreConfiguration config, @Reference(policyOption = ReferencePolicyOption.GREEDY) DavCredentials credentials,
            @Reference ThrottlePolicy throttling) {
        this(settings(config), credentials, throttling, loginRetry(config), Clock.systemUTC());
    }

    /** A store without a throttling policy (tests, benchmarks): a 429 still stops the call, but pauses nothing. */
    public DavItemStore(DavSettings settings, DavCredentials credentials) {
        this(settings, credentials, null, LoginRetry.DEFAULTS, Clock.systemUTC());
    }

    /** @param policy where the server-wide pause after a 429 is kept, or null for none */
    DavItemStore(DavSettings settings, DavCredentials credentials, ThrottlePolicy policy, LoginRetry retry, Clock clock) {
        this(settings, credentials, policy, retry, clock, new HomeLayout());
    }

    /** A store that starts from this layout (tests: one the server will not confirm). */
    static DavItemStore over(DavSettings settings, DavCredentials credentials, HomeLayout layout) {
        return new DavItemStore(settings, credentials, null, LoginRetry.DEFAULTS, Clock.systemUTC(), layout);
    }

    private DavItemStore(DavSettings settings, DavCredentials credentials, ThrottlePolicy policy, LoginRetry retry, Clock clock,
            HomeLayout layout) {
        this.layout = layout;
        this.settings = settings;
        this.credentials = credentials;
        this.clock = clock;
        this.guard = new LoginGuard(retry, clock);
        this.throttle = new ServerThrottle(policy, settings.baseUrl(), THROTTLE_MAX_WAIT, clock);
    }

    /** The same as the two-argument constructor (tests, the sync benchmark). */
    public static DavItemStore over(DavSettings settings, DavCredentials credentials) {
        return new DavItemStore(settings, credentials);
    }

    static LoginRetry loginRetry(DavStoreConfiguration config) {
        return new LoginRetry(Duration.ofMinutes(config.rejectedLoginRetryMinutes()), Duration.ofMinutes(config.rejectedLoginRetryMaxMinutes()),
                config.rejectedLoginRetryBudget());
    }

    static DavSettings settings(DavStoreConfiguration config) {
        if (config.baseUrl() == null || config.baseUrl().isBlank()) {
            throw new IllegalArgumentException("io.nexchange.nextcloud: baseUrl is not set (Nextcloud: https://<host>/remote.php/dav/)");
        }
        return new DavSettings(URI.create(config.baseUrl().strip()), Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.readTimeoutSeconds()), config.multigetBatchSize(), config.syncLimit(), config.maxConnectionsPerAccount(),
                Duration.ofHours(config.fullListingHours()), (long) config.maxAnswerMegabytes() << 20);
    }

    HomeLayout layout() {
        return layout;
    }

    @Override
    public Set<CollectionKind> kinds() {
        return EnumSet.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS);
    }

    AccountSession session(Account account) throws StoreException {
        AccountSession session = sessions.get(account.userId());
        if (session != null) {
            return session;
        }
        // looked up each time there is no session: a held-back account notices new credentials at once
        DavLogin login = credentials.login(account);
        guard.check(account.userId(), login);
        AccountSession created = new AccountSession(account.userId(), login, settings, guard, throttle, () -> forget(account.userId()));
        layout.guess(login.username()).ifPresent(created::guess);
        AccountSession raced = sessions.putIfAbsent(account.userId(), created);
        if (raced != null) {
            created.close();
            return raced;
        }
        return created;
    }

    private void forget(String userId) {
        AccountSession removed = sessions.remove(userId);
        if (removed != null) {
            removed.close();
        }
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        AccountSession session = session(owner.account());
        return usable(session, kind, homeMembers(session, kind));
    }

    /** The home's collections of this kind, usable or not (read-only, trashed). */
    private List<DavResponse> homeMembers(AccountSession session, CollectionKind kind) throws StoreException {
        Optional<AccountSession.Homes> guess = session.unconfirmedGuess(kind);
        if (guess.isPresent()) {
            Optional<List<DavResponse>> members = guessedHomeMembers(session, kind, guess.get());
            if (members.isPresent()) {
                return members.get();
            }
        }
        String home = home(session, kind);
        return members(kind, home, listHome(session, kind, home));
    }

    private static final String[] HOME_LISTING = {"d:resourcetype", "d:displayname", "c:supported-calendar-component-set",
            "d:current-user-privilege-set", "nc:deleted-at", "d:sync-token"};

    private static List<DavResponse> listHome(AccountSession session, CollectionKind kind, String home, String... more)
            throws StoreException {
        String[] props = java.util.stream.Stream.concat(java.util.Arrays.stream(HOME_LISTING), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return session.call("listing the " + noun(kind) + "s in " + home,
                dav -> dav.propfind(session.url(home), "1", DavXml.propfind(props)));
    }

    /**
     * Lists the guessed home, asking who the login is and who owns the home: the members if the server names the
     * guessed principal for both, else empty (the guess is dropped, the homes are discovered and guessing stops).
     */
    private Optional<List<DavResponse>> guessedHomeMembers(AccountSession session, CollectionKind kind, AccountSession.Homes guess)
            throws StoreException {
        String home = (kind == CollectionKind.CALENDAR ? guess.calendarHome() : guess.addressbookHome()).orElseThrow();
        List<DavResponse> answer;
        try {
            answer = listHome(session, kind, home, "d:current-user-principal", "d:owner");
        } catch (io.nexchange.api.source.CredentialsRejectedException | io.nexchange.api.source.ServerThrottledException e) {
            throw e;
        } catch (StoreException e) {
            if (!(e.getCause() instanceof DavHttpException http) || http.status() >= 500) {
                throw e; // the server failed: discovery would not fare better
            }
            answer = List.of(); // 403, 404...: not this login's home
        }
        boolean confirmed = answer.stream().filter(r -> samePath(r.href(), home)).findFirst()
                .filter(self -> names(self, guess.principal()) && self.owner().filter(owner -> samePath(owner, guess.principal())).isPresent())
                .isPresent();
        if (!confirmed) {
            LOG.info("{}: the server does not confirm the homes guessed from another account's ({}); discovering them, "
                    + "for every account from now on", session.account(), home);
            layout.refute();
            session.refuteGuess();
            return Optional.empty();
        }
        session.confirmGuess(kind, guess);
        return Optional.of(members(kind, home, answer));
    }

    /** Whether the response's current-user-principal is that principal. */
    private static boolean names(DavResponse response, String principal) {
        return response.property(DavXml.CURRENT_USER_PRINCIPAL).map(DavXml::hrefs).orElse(List.of()).stream().anyMatch(href -> samePath(href, principal));
    }

    private static List<DavResponse> members(CollectionKind kind, String home, List<DavResponse> answer) {
        List<DavResponse> members = new ArrayList<>();
        for (DavResponse response : answer) {
            boolean trashedCalendar = kind == CollectionKind.CALENDAR && response.hasResourceType(DavXml.DELETED_CALENDAR);
            if (!samePath(response.href(), home) && (holds(response, kind) || trashedCalendar)) {
                members.add(response);
            }
        }
        members.sort(Comparator.comparing(DavResponse::href));
        return members;
    }

    /**
     * The collections items may be written into. Left out: read-only ones (Nextcloud's birthday calendar, the
     * system address book and the recently-contacted one: PUT answers 403/404) and trashed calendars (Nextcloud
     * keeps them listed with {@code nc:deleted-at}, and still accepts PUTs into them).
     */
    private List<CollectionRef> usable(AccountSession session, CollectionKind kind, List<DavResponse> all) {
        List<DavResponse> members = new ArrayList<>();
        for (DavResponse member : all) {
            if (isTrashed(member)) {
                LOG.debug("{}: {} is in the trash bin; not used", session.account(), member.href());
            } else if (!writable(member)) {
                LOG.debug("{}: {} is read-only; not used", session.account(), member.href());
            } else {
                members.add(member);
            }
        }
        String defaultSegment = kind == CollectionKind.CALENDAR ? DEFAULT_CALENDAR : DEFAULT_ADDRESSBOOK;
        String defaultHref = members.stream().map(DavResponse::href).filter(h -> segment(h).equals(defaultSegment)).findFirst()
                .orElse(members.isEmpty() ? "" : members.get(0).href());
        List<CollectionRef> refs = new ArrayList<>();
        for (DavResponse member : members) {
            String href = member.href().endsWith("/") ? member.href() : member.href() + "/";
            member.text(DavXml.SYNC_TOKEN).flatMap(DavItemSource::changeCount).ifPresent(changes -> session.noteChanges(href, changes));
            refs.add(new CollectionRef(kind, href, member.displayName().orElse(segment(href)), member.href().equals(defaultHref)));
        }
        return refs;
    }

    private static boolean isTrashed(DavResponse member) {
        return member.hasResourceType(DavXml.DELETED_CALENDAR) || member.text(DavXml.DELETED_AT).filter(t -> !t.isBlank()).isPresent();
    }

    /** Whether the login may add members (a server that does not say is taken at its word when it refuses). */
    private static boolean writable(DavResponse member) {
        Optional<Element> privileges = member.property(DavXml.CURRENT_USER_PRIVILEGE_SET);
        if (privileges.isEmpty()) {
            return true;
        }
        Set<QName> granted = DavXml.privileges(privileges.get());
        return WRITE_PRIVILEGES.stream().anyMatch(granted::contains);
    }

    /** A calendar counts only if it can hold events (Nextcloud also has task-only calendars). */
    private static boolean holds(DavResponse response, CollectionKind kind) {
        if (kind == CollectionKind.CONTACTS) {
            return response.hasResourceType(DavXml.ADDRESSBOOK);
        }
        if (!response.hasResourceType(DavXml.CALENDAR)) {
            return false;
        }
        Optional<Element> components = response.property(DavXml.SUPPORTED_CALENDAR_COMPONENT_SET);
        if (components.isEmpty() || DavXml.children(components.get()).isEmpty()) {
            return true; // RFC 4791 5.2.3: absent means any component type
        }
        return DavXml.children(components.get()).stream().anyMatch(c -> "VEVENT".equalsIgnoreCase(c.getAttribute("name")));
    }

    /**
     * The collection of that name, else a new one. The default (empty name) is {@code personal} / {@code contacts}:
     * a Nextcloud user whose first login was with an app password has neither, and gets them here. A trashed
     * Nextcloud calendar of the wanted name blocks MKCALENDAR (405) but is left as the user trashed it (neither
     * restored nor purged): the new calendar gets the next free name ({@code personal-2}).
     */
    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        String wanted = name == null ? "" : name.strip();
        AccountSession session = session(owner.account());
        Optional<CollectionRef> known = session.knownCollection(kind, wanted);
        if (known.isPresent()) {
            return known.get();
        }
        List<DavResponse> members = homeMembers(session, kind);
        Optional<CollectionRef> found = find(usable(session, kind, members), wanted);
        if (found.isPresent()) {
            session.rememberCollection(kind, wanted, found.get());
            return found.get();
        }
        String home = home(session, kind);
        String baseSegment = wanted.isEmpty() ? (kind == CollectionKind.CALENDAR ? DEFAULT_CALENDAR : DEFAULT_ADDRESSBOOK)
                : ResourceNames.collectionSegment(wanted);
        String displayName = wanted.isEmpty() ? (kind == CollectionKind.CALENDAR ? "Personal" : "Contacts") : wanted;
        String segment = baseSegment;
        for (int n = 2; taken(members, segment); n++) {
            segment = baseSegment + "-" + n;
        }
        if (!segment.equals(baseSegment)) {
            LOG.info("{}: the {} {} exists but is {} (not used); creating {} instead", owner.account().userId(), noun(kind), baseSegment,
                    members.stream().filter(m -> segment(m.href()).equals(baseSegment)).anyMatch(DavItemStore::isTrashed)
                            ? "in Nextcloud's trash bin" : "read-only", segment);
        }
        String href = (home.endsWith("/") ? home : home + "/") + segment + "/";
        try {
            session.call("creating the " + noun(kind) + " " + href, dav -> {
                if (kind == CollectionKind.CALENDAR) {
                    dav.mkcalendar(session.url(href), displayName);
                } else {
                    dav.mkcolAddressbook(session.url(href), displayName);
                }
                return null;
            });
        } catch (StoreException e) {
            // another worker may have created it in between (405/409): look again before giving up
            if (!(e.getCause() instanceof DavHttpException http) || (http.status() != 405 && http.status() != 409)) {
                throw e;
            }
        }
        List<CollectionRef> after = collections(owner, kind);
        CollectionRef created = after.stream().filter(c -> samePath(c.id(), href)).findFirst()
                .orElseThrow(() -> new StoreException("Created the " + noun(kind) + " " + href + " for account " + owner.account().userId()
                        + " but the server does not list it as a writable one (does it support " + (kind == CollectionKind.CALENDAR ? "MKCALENDAR" : "extended MKCOL") + "?)", false));
        session.rememberCollection(kind, wanted, created);
        return created;
    }

    /** A segment already used by a collection we may not use (trashed, read-only, or of the other kind's shape). */
    private static boolean taken(List<DavResponse> members, String segment) {
        return members.stream().anyMatch(m -> segment(m.href()).equals(segment) && (isTrashed(m) || !writable(m)));
    }

    private static Optional<CollectionRef> find(List<CollectionRef> collections, String wanted) {
        if (wanted.isEmpty()) {
            return collections.stream().filter(CollectionRef::isDefault).findFirst();
        }
        String segment = ResourceNames.collectionSegment(wanted);
        return collections.stream()
                .filter(c -> c.displayName().equalsIgnoreCase(wanted) || segment(c.id()).equals(wanted) || segment(c.id()).equals(segment))
                .findFirst();
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        return new DavItemSource(session(owner.account()), collection, clock);
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        return new DavItemTarget(session(owner.account()), collection);
    }

    private String home(AccountSession session, CollectionKind kind) throws StoreException {
        AccountSession.Homes homes = session.homes();
        layout.learn(session.login().username(), homes);
        Optional<String> home = kind == CollectionKind.CALENDAR ? homes.calendarHome() : homes.addressbookHome();
        return home.orElseThrow(() -> new StoreException("The DAV server names no " + (kind == CollectionKind.CALENDAR ? "calendar-home-set" : "addressbook-home-set")
                + " for account " + session.account() + " (principal " + homes.principal() + "): is the "
                + (kind == CollectionKind.CALENDAR ? "calendar" : "contacts") + " app enabled for this user?", false));
    }

    static boolean samePath(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String href) {
        String path = DavResponse.toPathOf(href);
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String segment(String href) {
        String path = strip(href);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String noun(CollectionKind kind) {
        return kind == CollectionKind.CALENDAR ? "calendar" : "address book";
    }


    /** Closes every account's connections. */
    /** Closes every session's connections (also the component's deactivation). */
    @Deactivate
    @Override
    public void close() {
        for (String userId : List.copyOf(sessions.keySet())) {
            forget(userId);
        }
    }
}
