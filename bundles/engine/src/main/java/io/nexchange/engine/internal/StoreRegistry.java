package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.source.ItemStore;
import java.util.List;
import java.util.Optional;

/**
 * The ItemStore services by side ({@code exchange}/{@code nextcloud}) and backend name. A backend may come as
 * several stores, one per collection kind (Graph has a calendar store and a contacts store), so a side and a backend
 * name all of them.
 */
@FunctionalInterface
public interface StoreRegistry {
    /** Every store of the side and backend, empty when none runs. */
    List<ItemStore> stores(String side, String backend);

    /** The store of the side and backend that holds collections of {@code kind}. */
    default Optional<ItemStore> store(String side, String backend, CollectionKind kind) {
        return stores(side, backend).stream().filter(s -> s.kinds().contains(kind)).findFirst();
    }
}
