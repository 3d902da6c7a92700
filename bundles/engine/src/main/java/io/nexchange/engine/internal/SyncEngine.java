package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.MailboxDirectory;
import io.nexchange.api.extension.AuditSink;
import io.nexchange.api.extension.ConflictResolver;
import io.nexchange.api.extension.ItemTransformer;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync engine service. Thin: it tracks the ItemStore services by {@code nexchange.side} and
 * {@code nexchange.backend} (so a backend can come and go, or be swapped, while running), maps the configuration and
 * runs a {@link SyncScheduler}. A configuration change restarts the component (the scheduler stops between commits,
 * which the reconciliation tolerates). The configuration is required (every attribute has a default, so an empty
 * {@code io.nexchange.engine.cfg} will do): without it, the engine would start with defaults at boot and restart a moment
 * later when Config Admin delivers the file.
 */
@Component(name = "io.nexchange.engine", configurationPolicy = ConfigurationPolicy.REQUIRE, service = SyncControl.class)
@Designate(ocd = SyncEngineConfiguration.class)
public final class SyncEngine implements SyncControl {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final ItemStores stores = new ItemStores();
    private final Extensions extensions = new Extensions(Clock.systemUTC());
    private final SyncScheduler scheduler;
    private final BackendRouter router;
    private final ShadowReader shadow;
    private final SyncEngineConfiguration config;
    /**
     * The directories are dynamic (the best-ranked one, rebound in place): a better one arriving, such as the Graph
     * directory when the graph feature is installed beside the static list, must not restart the engine (a restart
     * stops the running syncs, forgets automatic routes and shadow reports, and leaves every mailbox without a sync
     * until the first cycle after it). Each cycle, run and shadow read reads the current one.
     */
    private volatile MailboxDirectory mailboxDirectory;
    private volatile AccountDirectory accountDirectory;

    @Activate
    public SyncEngine(@Reference SyncStateStore state, SyncEngineConfiguration config, Map<String, Object> properties,
            BundleContext context) {
        EngineSettings settings = settings(config, properties, context.getProperty("nexchange.base"));
        releaseLeftoverLeases(state, settings.holder());
        this.config = config;
        AccountDirectory accounts = mailbox -> accountDirectory.resolve(mailbox);
        this.router = new BackendRouter(settings.routing(), state, Clock.systemUTC(), config.routing_automatic(),
                java.time.Duration.ofMinutes(Math.max(0, config.routing_automaticRetryMinutes())));
        this.shadow = new ShadowReader(stores, accounts, router, settings.kinds(), Clock.systemUTC());
        this.scheduler = new SyncScheduler(() -> mailboxDirectory.mailboxes(),
                listener -> new MailboxSync(accounts, state, stores, settings, listener, Clock.systemUTC(), router, extensions),
                settings.threads(), Clock.systemUTC());
        LOG.info("Sync engine started: {} threads, every {} s, calendar {} ({} on conflicts), contacts {} ({} on conflicts), "
                + "deletion guard {} %, {}, automatic routing {}, Nextcloud backend {}", settings.threads(), config.intervalSeconds(),
                settings.sync(CollectionKind.CALENDAR).direction().label(), settings.sync().policyFor(CollectionKind.CALENDAR).label(),
                settings.sync(CollectionKind.CONTACTS).direction().label(), settings.sync().policyFor(CollectionKind.CONTACTS).label(),
                Math.round(settings.sync().guardShare() * 100),
                settings.routing().describe(), config.routing_automatic() ? "on" : "off", settings.routing().nextcloudBackend());
    }

    /** Starts the cycles once the directories are bound (Declarative Services binds them after the constructor). */
    @Activate
    void start() {
        if (config.scheduled()) {
            scheduler.start(Duration.ofSeconds(config.initialDelaySeconds()), Duration.ofSeconds(config.intervalSeconds()),
                    Duration.ofSeconds(Math.max(1, config.progressSeconds())));
        }
    }

    @Deactivate
    void deactivate() {
        scheduler.close();
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindMailboxDirectory(MailboxDirectory directory) {
        MailboxDirectory was = mailboxDirectory;
        mailboxDirectory = directory;
        if (was != null) {
            LOG.info("Mailbox directory now {} (was {}): the next cycle lists it; the engine goes on", describe(directory),
                    describe(was));
        }
    }

    void unbindMailboxDirectory(MailboxDirectory directory) {
        // a better one is bound first (greedy); the last one going away deactivates the engine (the reference is mandatory)
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAccountDirectory(AccountDirectory directory) {
        AccountDirectory was = accountDirectory;
        accountDirectory = directory;
        if (was != null) {
            LOG.info("Account directory now {} (was {}): mailboxes resolve through it from their next run; the engine goes on",
                    describe(directory), describe(was));
        }
    }

    void unbindAccountDirectory(AccountDirectory directory) {
        // as for the mailbox directory
    }

    private static String describe(Object directory) {
        return directory.getClass().getSimpleName();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStore(ItemStore store, Map<String, Object> properties) {
        stores.add(store, properties);
    }

    void removeStore(ItemStore store, Map<String, Object> properties) {
        stores.remove(store, properties);
    }

    // the extensions of io.nexchange.api.extension: dynamic, so that a bundle dropped into deploy/ (or removed) takes
    // effect on the next pair run without restarting the engine

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransformer(ItemTransformer transformer, Map<String, Object> properties) {
        extensions.addTransformer(transformer, properties);
    }

    void removeTransformer(ItemTransformer transformer) {
        extensions.removeTransformer(transformer);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addResolver(ConflictResolver resolver, Map<String, Object> properties) {
        extensions.addResolver(resolver, properties);
    }

    void removeResolver(ConflictResolver resolver) {
        extensions.removeResolver(resolver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSink(AuditSink sink) {
        extensions.addSink(sink);
    }

    void removeSink(AuditSink sink) {
        extensions.removeSink(sink);
    }

    /**
     * A process killed with -9 leaves its leases behind; this instance (same id) ends them at start so that its
     * mailboxes do not wait for them to expire (leaseSeconds, 15 minutes by default).
     */
    private static void releaseLeftoverLeases(SyncStateStore state, String holder) {
        try {
            int released = state.releaseLeases(holder);
            if (released > 0) {
                LOG.info("Released {} mailbox leases left by an earlier process of this instance ({})", released, holder);
            }
        } catch (StateException e) {
            LOG.warn("Could not release the leases of an earlier process of this instance ({}): {}; its mailboxes wait "
                    + "until those leases expire", holder, e.getMessage());
        }
    }

    /** Maps the configuration; invalid values fail activation with a message naming the setting. */
    static EngineSettings settings(SyncEngineConfiguration c) {
        return settings(c, Map.of(), null);
    }

    static EngineSettings settings(SyncEngineConfiguration c, Map<String, ?> properties, String instanceDirectory) {
        SyncSettings sync = new SyncSettings(Direction.parse(c.direction()), Extensions.parsePolicy(c.conflictPolicy()),
                c.deletionGuardShare(), c.deletionGuardMinimumItems(), c.commitBatchSize());
        Map<CollectionKind, ConflictPolicy> byKind = new java.util.EnumMap<>(CollectionKind.class);
        if (!c.conflictPolicy_calendar().isBlank()) {
            byKind.put(CollectionKind.CALENDAR, Extensions.parsePolicy(c.conflictPolicy_calendar()));
        }
        if (!c.conflictPolicy_contacts().isBlank()) {
            byKind.put(CollectionKind.CONTACTS, Extensions.parsePolicy(c.conflictPolicy_contacts()));
        }
        sync = sync.with(new SyncSettings.Conflicts(byKind, Duration.ofDays(c.conflictRetentionDays()), c.conflictsKeptPerPair()));
        Set<CollectionKind> kinds = EnumSet.noneOf(CollectionKind.class);
        for (String kind : c.kinds()) {
            switch (kind.trim().toLowerCase(Locale.ROOT)) {
                case "calendar": kinds.add(CollectionKind.CALENDAR); break;
                case "contacts": kinds.add(CollectionKind.CONTACTS); break;
                default: throw new IllegalArgumentException("kinds holds calendar and/or contacts, was '" + kind + "'");
            }
        }
        String holder = c.instanceId().isBlank() ? defaultInstanceId(instanceDirectory) : c.instanceId().trim();
        Map<CollectionKind, Direction> directions = new EnumMap<>(CollectionKind.class);
        directions.put(CollectionKind.CALENDAR, c.direction_calendar().isBlank() ? sync.direction()
                : Direction.parse(c.direction_calendar(), "direction.calendar"));
        directions.put(CollectionKind.CONTACTS, c.direction_contacts().isBlank() ? sync.direction()
                : Direction.parse(c.direction_contacts(), "direction.contacts"));
        return new EngineSettings(sync, Routing.of(c, properties),
                kinds, c.calendarName(), c.addressBookName(), c.threads(), Duration.ofSeconds(c.leaseSeconds()), holder,
                directions);
    }

    /** Host name and instance directory: the same after a restart, different for two instances. */
    private static String defaultInstanceId(String instanceDirectory) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + (instanceDirectory == null ? "pid-" + ProcessHandle.current().pid() : instanceDirectory);
    }

    @Override
    public CompletableFuture<MailboxResult> syncNow(String primarySmtp, boolean allowDeletions) {
        return scheduler.syncNow(primarySmtp, allowDeletions);
    }

    @Override
    public CompletableFuture<List<MailboxResult>> syncAll(boolean allowDeletions) {
        return scheduler.cycle(allowDeletions);
    }

    @Override
    public EngineSnapshot snapshot() {
        return scheduler.snapshot();
    }

    @Override
    public double lagSeconds() {
        return scheduler.lagSeconds();
    }

    @Override
    public void addListener(EngineListener listener) {
        scheduler.addListener(listener);
    }

    @Override
    public void removeListener(EngineListener listener) {
        scheduler.removeListener(listener);
    }

    @Override
    public BackendRouter router() {
        return router;
    }

    @Override
    public List<io.nexchange.api.Mailbox> mailboxes() throws io.nexchange.api.directory.DirectoryException {
        return mailboxDirectory.mailboxes();
    }

    @Override
    public ShadowReader shadowReader() {
        return shadow;
    }

    @Override
    public Fleet fleet() {
        return scheduler.fleet();
    }

    @Override
    public Set<String> runningExchangeBackends() {
        return stores.backends("exchange");
    }
}
