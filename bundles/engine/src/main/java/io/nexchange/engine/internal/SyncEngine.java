package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.MailboxDirectory;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.state.SyncStateStore;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

    private final Map<String, ItemStore> stores = new ConcurrentHashMap<>();
    private final SyncScheduler scheduler;

    @Activate
    public SyncEngine(@Reference(policyOption = ReferencePolicyOption.GREEDY) MailboxDirectory mailboxes,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) AccountDirectory accounts,
            @Reference SyncStateStore state, SyncEngineConfiguration config) {
        EngineSettings settings = settings(config);
        this.scheduler = new SyncScheduler(mailboxes,
                listener -> new MailboxSync(accounts, state, this::store, settings, listener, Clock.systemUTC()),
                settings.threads(), Clock.systemUTC());
        if (config.scheduled()) {
            scheduler.start(Duration.ofSeconds(config.initialDelaySeconds()), Duration.ofSeconds(config.intervalSeconds()),
                    Duration.ofSeconds(Math.max(1, config.progressSeconds())));
        }
        LOG.info("Sync engine started: {} threads, every {} s, {}, {}, deletion guard {} %, Exchange backend {}{}, "
                + "Nextcloud backend {}", settings.threads(), config.intervalSeconds(), settings.sync().direction().label(),
                settings.sync().conflictPolicy().label(), Math.round(settings.sync().guardShare() * 100),
                settings.routing().exchangeDefault(), settings.routing().overrides().isEmpty() ? ""
                        : " (overrides " + settings.routing().overrides() + ")", settings.routing().nextcloudBackend());
    }

    @Deactivate
    void deactivate() {
        scheduler.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStore(ItemStore store, Map<String, Object> properties) {
        key(properties).ifPresent(k -> {
            stores.put(k, store);
            LOG.info("ItemStore available: {}", k);
        });
    }

    void removeStore(ItemStore store, Map<String, Object> properties) {
        key(properties).ifPresent(k -> stores.remove(k, store));
    }

    private static Optional<String> key(Map<String, Object> properties) {
        Object side = properties.get(ItemStore.SIDE);
        Object backend = properties.get(ItemStore.BACKEND);
        if (side == null || backend == null) {
            LOG.warn("An ItemStore without {} and {} service properties is ignored", ItemStore.SIDE, ItemStore.BACKEND);
            return Optional.empty();
        }
        return Optional.of(side + "/" + backend);
    }

    private Optional<ItemStore> store(String side, String backend) {
        return Optional.ofNullable(stores.get(side + "/" + backend));
    }

    /** Maps the configuration; invalid values fail activation with a message naming the setting. */
    static EngineSettings settings(SyncEngineConfiguration c) {
        SyncSettings sync = new SyncSettings(Direction.parse(c.direction()), ConflictPolicy.parse(c.conflictPolicy()),
                c.deletionGuardShare(), c.deletionGuardMinimumItems(), c.commitBatchSize());
        Set<CollectionKind> kinds = EnumSet.noneOf(CollectionKind.class);
        for (String kind : c.kinds()) {
            switch (kind.trim().toLowerCase(Locale.ROOT)) {
                case "calendar": kinds.add(CollectionKind.CALENDAR); break;
                case "contacts": kinds.add(CollectionKind.CONTACTS); break;
                default: throw new IllegalArgumentException("kinds holds calendar and/or contacts, was '" + kind + "'");
            }
        }
        String holder = c.instanceId().isBlank() ? defaultInstanceId() : c.instanceId().trim();
        return new EngineSettings(sync, Routing.parse(c.backend_default(), c.backend_override(), c.nextcloudBackend()),
                kinds, c.calendarName(), c.addressBookName(), c.threads(), Duration.ofSeconds(c.leaseSeconds()), holder);
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
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
}
