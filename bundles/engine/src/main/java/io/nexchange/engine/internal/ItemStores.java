package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.source.ItemStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ItemStore services the engine sees, registered by their {@code nexchange.side} and {@code nexchange.backend}
 * properties under every kind they serve. Services come and go at any time (a backend installed, swapped or removed
 * while running).
 */
final class ItemStores implements StoreRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ItemStores.class);

    private final Map<String, ItemStore> byKey = new ConcurrentHashMap<>();

    void add(ItemStore store, Map<String, Object> properties) {
        prefix(properties).ifPresent(prefix -> {
            for (CollectionKind kind : store.kinds()) {
                ItemStore previous = byKey.put(prefix + kind, store);
                if (previous != null && previous != store) {
                    LOG.warn("Two ItemStores serve {} {}: the one registered last is used", prefix, kind);
                }
            }
            LOG.info("ItemStore available: {}{}", prefix, store.kinds());
        });
    }

    void remove(ItemStore store, Map<String, Object> properties) {
        prefix(properties).ifPresent(prefix -> {
            for (CollectionKind kind : List.of(CollectionKind.values())) {
                byKey.remove(prefix + kind, store);
            }
        });
    }

    @Override
    public Optional<ItemStore> store(String side, String backend, CollectionKind kind) {
        return Optional.ofNullable(byKey.get(side + "/" + backend + "/" + kind));
    }

    /** The backends of a side whose stores are registered now. */
    java.util.Set<String> backends(String side) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        byKey.keySet().forEach(key -> {
            String[] parts = key.split("/", 3);
            if (parts[0].equals(side)) {
                out.add(parts[1]);
            }
        });
        return out;
    }

    private static Optional<String> prefix(Map<String, Object> properties) {
        Object side = properties.get(ItemStore.SIDE);
        Object backend = properties.get(ItemStore.BACKEND);
        if (side == null || backend == null) {
            LOG.warn("An ItemStore without {} and {} service properties is ignored", ItemStore.SIDE, ItemStore.BACKEND);
            return Optional.empty();
        }
        return Optional.of(side + "/" + backend + "/");
    }
}
