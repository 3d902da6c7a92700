package io.nexchange.vdir.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The vdir {@link ItemStore} service for the Nextcloud side: active without configuration (the demo writes
 * to {@code data/vdir}); the engine picks it over the CalDAV store by {@code nexchange.backend=vdir}.
 */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.vdir", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {ItemStore.BACKEND + "=vdir", ItemStore.SIDE + "=nextcloud"})
@Designate(ocd = VdirStoreConfiguration.class)
public final class VdirStoreComponent implements ItemStore {
    private final VdirItemStore store;

    @Activate
    public VdirStoreComponent(VdirStoreConfiguration config, org.osgi.framework.BundleContext context) {
        this(new VdirItemStore(instanceDirectory(context).resolve(config.root())));
    }

    /** A relative root is below the runtime's instance directory (where etc, data and log are). */
    private static Path instanceDirectory(org.osgi.framework.BundleContext context) {
        String base = context.getProperty("nexchange.base");
        return Path.of(base == null ? "." : base);
    }

    VdirStoreComponent(VdirItemStore store) {
        this.store = store;
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
