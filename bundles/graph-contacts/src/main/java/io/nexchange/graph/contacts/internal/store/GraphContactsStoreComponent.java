package io.nexchange.graph.contacts.internal.store;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.GraphClients;
import io.nexchange.throttling.RegistrationAssignment;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** The Graph contacts ItemStore service; the work is done by {@link GraphContactsStore}. */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.graph.contacts",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {ItemStore.BACKEND + "=graph", ItemStore.SIDE + "=exchange"})
@Designate(ocd = GraphContactsStoreConfiguration.class)
public final class GraphContactsStoreComponent implements ItemStore {

    private final GraphContactsStore store;

    @Activate
    public GraphContactsStoreComponent(@Reference GraphClients clients, GraphContactsStoreConfiguration config) {
        this.store = new GraphContactsStore(clients, RegistrationAssignment.of(config.registrations()), config.pageSize(),
                config.allFolders());
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
