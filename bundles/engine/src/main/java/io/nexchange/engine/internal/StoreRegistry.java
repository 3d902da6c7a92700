package io.nexchange.engine.internal;

import io.nexchange.api.source.ItemStore;
import java.util.Optional;

/** The ItemStore services by side ({@code exchange}/{@code nextcloud}) and backend name. */
@FunctionalInterface
public interface StoreRegistry {
    Optional<ItemStore> store(String side, String backend);
}
