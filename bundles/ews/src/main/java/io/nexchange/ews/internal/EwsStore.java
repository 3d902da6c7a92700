package io.nexchange.ews.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.auth.entra.EwsServiceAccount;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.throttling.RegistrationAssignment;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Exchange calendars and contacts through EWS. Each mailbox is served by the registration the rendezvous hash
 * assigns it (an Entra app registration for Exchange Online, or an on-premises service account) and impersonated
 * in every request. The collections are the mailbox's default calendar and contacts folders, addressed by their
 * distinguished names (no request needed to list them).
 *
 * <p>The DS component ({@code nexchange.backend=ews}, {@code nexchange.side=exchange}, PID {@code io.nexchange.ews},
 * configuration required so that installing the bundle alone registers no store). App registrations
 * (TokenProvider) and on-premises service accounts (EwsServiceAccount) come and go without restarting it: they are
 * looked up by name for every source and target.
 */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.ews", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ItemStore.BACKEND + "=ews", ItemStore.SIDE + "=exchange"})
@Designate(ocd = EwsStoreConfiguration.class)
public final class EwsStore implements ItemStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EwsStore.class);
    static final String CALENDAR = "calendar";
    static final String CONTACTS = "contacts";

    private final EwsClient client;
    private final Function<String, Optional<EwsCredentials>> credentials;
    private final RegistrationAssignment registrations;
    /** The on-premises EWS service accounts of a hybrid organisation, if any (onPremisesAccounts). */
    private final Optional<RegistrationAssignment> onPremises;
    /** Mailboxes the cloud endpoint did not know (ErrorNonExistentMailbox) and the on-premises one serves. */
    private final Set<String> onPremisesMailboxes = ConcurrentHashMap.newKeySet();
    private final EwsSettings settings;
    private final WindowsZones zones;
    private final Clock clock;
    private final Map<String, TokenProvider> tokenProviders = new ConcurrentHashMap<>();
    private final Map<String, EwsServiceAccount> serviceAccounts = new ConcurrentHashMap<>();

    @Activate
    public EwsStore(@Reference ThrottlePolicy policy, EwsStoreConfiguration config) {
        this(policy, config, settings(config));
    }

    private EwsStore(ThrottlePolicy policy, EwsStoreConfiguration config, EwsSettings settings) {
        this.client = new EwsClient(EwsHttp.httpClient(config), policy, settings);
        URI url = URI.create(config.url());
        this.credentials = name -> credentials(name, url);
        this.registrations = RegistrationAssignment.of(config.registrations());
        this.onPremises = config.onPremisesAccounts().length == 0 ? Optional.empty()
                : Optional.of(RegistrationAssignment.of(config.onPremisesAccounts()));
        this.settings = settings;
        this.zones = WindowsZones.load();
        this.clock = Clock.systemUTC();
    }

    private static EwsSettings settings(EwsStoreConfiguration config) {
        return new EwsSettings(config.serverVersion(), config.pageSize(), config.getItemBatch(), config.windowDaysBack(),
                config.windowDaysAhead(), ZoneId.of(config.mailboxTimeZone()), config.maxResponseBytes(),
                EwsSettings.defaults().maxElements(), Duration.ofSeconds(config.readTimeoutSeconds()),
                Duration.ofSeconds(config.throttleMaxWaitSeconds()));
    }

    /** Wired by hand (tests): credentials by registration name. */
    EwsStore(EwsClient client, Function<String, Optional<EwsCredentials>> credentials, RegistrationAssignment registrations,
            EwsSettings settings, WindowsZones zones, Clock clock) {
        this(client, credentials, registrations, Optional.empty(), settings, zones, clock);
    }

    /** Wired by hand (tests), with the on-premises service accounts of a hybrid organisation. */
    EwsStore(EwsClient client, Function<String, Optional<EwsCredentials>> credentials, RegistrationAssignment registrations,
            Optional<RegistrationAssignment> onPremises, EwsSettings settings, WindowsZones zones, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.registrations = Objects.requireNonNull(registrations, "registrations");
        this.onPremises = Objects.requireNonNull(onPremises, "onPremises");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.zones = Objects.requireNonNull(zones, "zones");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A service account of the name wins over an app registration of the same name. */
    private Optional<EwsCredentials> credentials(String name, URI url) {
        EwsServiceAccount account = serviceAccounts.get(name);
        if (account != null) {
            return Optional.of(new EwsCredentials.ServiceAccount(account));
        }
        TokenProvider tokens = tokenProviders.get(name);
        return tokens == null ? Optional.empty() : Optional.of(new EwsCredentials.OAuth(tokens, url));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTokenProvider(TokenProvider provider) {
        tokenProviders.put(provider.registration(), provider);
    }

    void removeTokenProvider(TokenProvider provider) {
        tokenProviders.remove(provider.registration(), provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addServiceAccount(EwsServiceAccount account) {
        serviceAccounts.put(account.name(), account);
    }

    void removeServiceAccount(EwsServiceAccount account) {
        serviceAccounts.remove(account.name(), account);
    }

    @Override
    public Set<CollectionKind> kinds() {
        return Set.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS);
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) {
        return List.of(defaultFolder(kind));
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        if (name == null || name.isEmpty()) {
            return defaultFolder(kind);
        }
        throw new StoreException("The EWS store serves each mailbox's default calendar and contacts folder only; '" + name
                + "' was asked for " + owner, false);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        EwsMailbox mailbox = mailbox(owner);
        return collection.kind() == CollectionKind.CALENDAR
                ? new EwsCalendarSource(mailbox, collection.id(), settings, zones, clock)
                : new EwsContactsSource(mailbox, collection.id());
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        EwsMailbox mailbox = mailbox(owner);
        return collection.kind() == CollectionKind.CALENDAR
                ? new EwsCalendarTarget(mailbox, collection.id(), zones, settings)
                : new EwsContactsTarget(mailbox, collection.id());
    }

    /** Requests sent so far by this store. */
    long requests() {
        return client.requests();
    }

    private static CollectionRef defaultFolder(CollectionKind kind) {
        return kind == CollectionKind.CALENDAR ? new CollectionRef(kind, CALENDAR, "Calendar", true)
                : new CollectionRef(kind, CONTACTS, "Contacts", true);
    }

    /**
     * The mailbox through its registration. In a hybrid organisation ({@code onPremisesAccounts} set) a mailbox the cloud
     * endpoint does not know (ErrorNonExistentMailbox) is served from then on through the on-premises service accounts,
     * as Autodiscover would send a client there, and back when the on-premises endpoint no longer knows it (moved to
     * the cloud); the first such answer is retried on the other side at once.
     */
    private EwsMailbox mailbox(Owner owner) throws StoreException {
        String smtp = owner.mailbox().primarySmtp();
        EwsCredentials cloud = credentials(registrations.assign(smtp), smtp);
        if (onPremises.isEmpty() || !cloud.oauth()) {
            return new EwsMailbox(client, cloud, smtp, settings, null);
        }
        String onPremisesName = onPremises.get().assign(smtp);
        if (onPremisesMailboxes.contains(smtp)) {
            return new EwsMailbox(client, credentials(onPremisesName, smtp), smtp, settings, () -> {
                if (onPremisesMailboxes.remove(smtp)) {
                    LOG.info("{}: the on-premises EWS no longer knows the mailbox (ErrorNonExistentMailbox); it is served "
                            + "through Exchange Online's EWS again", smtp);
                }
                return cloud;
            });
        }
        // the on-premises account is looked up only when Exchange Online does not know the mailbox
        return new EwsMailbox(client, cloud, smtp, settings, () -> {
            EwsCredentials onPremisesAccount = credentials(onPremisesName, smtp);
            if (onPremisesMailboxes.add(smtp)) {
                LOG.info("{}: Exchange Online's EWS does not know the mailbox (ErrorNonExistentMailbox); it is served through "
                        + "the on-premises EWS at {} (service account '{}')", smtp, onPremisesAccount.endpoint(),
                        onPremisesAccount.registration());
            }
            return onPremisesAccount;
        });
    }

    private EwsCredentials credentials(String registration, String smtp) throws StoreException {
        return credentials.apply(registration).orElseThrow(() -> new StoreException("No app registration or EWS "
                + "service account named '" + registration + "' is available for " + smtp + ": configure "
                + "etc/io.nexchange.auth.entra-" + registration + ".cfg (Exchange Online) or etc/io.nexchange.auth.ews.onprem-"
                + registration + ".cfg (on-premises), or fix registrations / onPremisesAccounts in etc/io.nexchange.ews.cfg", true));
    }
}
