package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.source.ItemStore;
import java.util.Optional;

/**
 * The ItemStore services by side ({@code exchange}/{@code nextcloud}), backend name and collection kind: one backend
 * may be served by one store per kind (Graph calendar and Graph contacts are separate bundles).
 */
@FunctionalInterface
public interface StoreRegistry {
    Optional<ItemStore> store(String side, String backend, CollectionKind kind);
}
