package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.source.ItemStore;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemStoresTest {
    private static final Map<String, Object> GRAPH = Map.of(ItemStore.SIDE, "exchange", ItemStore.BACKEND, "graph");

    @Test
    void oneBackendMayBeServedByOneStorePerKind() {
        // Graph calendar and Graph contacts are two bundles, two services with the same side and backend
        ItemStores stores = new ItemStores();
        MemoryStore calendar = new MemoryStore("calendar", Set.of(CollectionKind.CALENDAR));
        MemoryStore contacts = new MemoryStore("contacts", Set.of(CollectionKind.CONTACTS));
        stores.add(calendar, GRAPH);
        stores.add(contacts, GRAPH);

        assertEquals(Optional.of(calendar), stores.store("exchange", "graph", CollectionKind.CALENDAR));
        assertEquals(Optional.of(contacts), stores.store("exchange", "graph", CollectionKind.CONTACTS));
        assertTrue(stores.store("nextcloud", "graph", CollectionKind.CALENDAR).isEmpty());

        stores.remove(contacts, GRAPH);
        assertTrue(stores.store("exchange", "graph", CollectionKind.CONTACTS).isEmpty());
        assertEquals(Optional.of(calendar), stores.store("exchange", "graph", CollectionKind.CALENDAR));
    }

    @Test
    void aStoreWithoutSideAndBackendIsIgnored() {
        ItemStores stores = new ItemStores();
        stores.add(new MemoryStore("anonymous", Set.of(CollectionKind.CALENDAR)), Map.of());
        assertTrue(stores.store("exchange", "graph", CollectionKind.CALENDAR).isEmpty());
    }
}
