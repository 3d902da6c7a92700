package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Several ItemStores registered under the same side and backend, each for its own kinds (the Graph calendar store
 * and the Graph contacts store are both {@code exchange/graph}), seen as one: each call goes to the first store
 * that serves the collection's kind.
 */
public final class KindRoutedStore implements ItemStore {
    private final List<ItemStore> stores;

    public KindRoutedStore(List<ItemStore> stores) {
        this.stores = List.copyOf(stores);
    }

    @Override
    public Set<CollectionKind> kinds() {
        Set<CollectionKind> kinds = EnumSet.noneOf(CollectionKind.class);
        stores.forEach(s -> kinds.addAll(s.kinds()));
        return kinds;
    }

    private ItemStore forKind(CollectionKind kind) throws StoreException {
        for (ItemStore store : stores) {
            if (store.kinds().contains(kind)) {
                return store;
            }
        }
        throw new StoreException("no store of this backend serves " + kind + " collections", false);
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        return forKind(kind).collections(owner, kind);
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        return forKind(kind).ensureCollection(owner, kind, name);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        return forKind(collection.kind()).source(owner, collection);
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        return forKind(collection.kind()).target(owner, collection);
    }
}
