package io.nexchange.nextcloud.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavCredentials;
import io.nexchange.api.throttle.ThrottlePolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The CalDAV/CardDAV {@link ItemStore} service of the Nextcloud side. Thin: it builds a
 * {@link DavItemStore} from its configuration, the best {@link DavCredentials} service (highest
 * ranking; a credential database replaces the configured logins by registering with a higher one) and the
 * {@link ThrottlePolicy}, which keeps the server-wide pause after a 429.
 */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.nextcloud", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ItemStore.BACKEND + "=caldav", ItemStore.SIDE + "=nextcloud"})
@Designate(ocd = DavStoreConfiguration.class)
public final class DavStoreComponent implements ItemStore {
    private final DavItemStore store;

    @Activate
    public DavStoreComponent(DavStoreConfiguration config, @Reference(policyOption = ReferencePolicyOption.GREEDY) DavCredentials credentials,
            @Reference ThrottlePolicy throttling) {
        this(new DavItemStore(settings(config), credentials, throttling, loginRetry(config), Clock.systemUTC()));
    }

    DavStoreComponent(DavItemStore store) {
        this.store = store;
    }

    static DavSettings settings(DavStoreConfiguration config) {
        if (config.baseUrl() == null || config.baseUrl().isBlank()) {
            throw new IllegalArgumentException("io.nexchange.nextcloud: baseUrl is not set (Nextcloud: https://<host>/remote.php/dav/)");
        }
        return new DavSettings(URI.create(config.baseUrl().strip()), Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.readTimeoutSeconds()), config.multigetBatchSize(), config.syncLimit(), config.maxConnectionsPerAccount());
    }

    static LoginRetry loginRetry(DavStoreConfiguration config) {
        return new LoginRetry(Duration.ofMinutes(config.rejectedLoginRetryMinutes()), Duration.ofMinutes(config.rejectedLoginRetryMaxMinutes()),
                config.rejectedLoginRetryBudget());
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public Set<CollectionKind> kinds() {
        return store.kinds();
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        return store.collections(owner, kind);
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        return store.ensureCollection(owner, kind, name);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        return store.source(owner, collection);
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        return store.target(owner, collection);
    }
}
