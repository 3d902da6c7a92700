package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two stores of one backend, one per kind (as Graph calendar and Graph contacts), seen as one by the engine. */
class KindRoutedStoreTest {
    private static final Owner OWNER = new Owner(new Mailbox("a@x.org", "a@x.org", "A"), new Account("a", "a@x.org", ""));

    @Test
    void eachKindGoesToTheStoreThatServesIt() throws Exception {
        MemoryStore calendars = new MemoryStore("cal");
        MemoryStore contacts = new MemoryStore("card");
        KindRoutedStore routed = new KindRoutedStore(List.of(only(CollectionKind.CALENDAR, calendars),
                only(CollectionKind.CONTACTS, contacts)));

        assertEquals(EnumSet.allOf(CollectionKind.class), routed.kinds());
        CollectionRef book = routed.ensureCollection(OWNER, CollectionKind.CONTACTS, "");
        CollectionRef calendar = routed.ensureCollection(OWNER, CollectionKind.CALENDAR, "");
        assertTrue(contacts.collections.containsKey(book.id()));
        assertTrue(calendars.collections.containsKey(calendar.id()));
        assertEquals(1, contacts.collections.size());
        assertEquals(1, calendars.collections.size());
        assertEquals(contacts.collections.get(book.id()), routed.source(OWNER, book));
        assertEquals(calendars.collections.get(calendar.id()), routed.target(OWNER, calendar));

        KindRoutedStore calendarOnly = new KindRoutedStore(List.of(only(CollectionKind.CALENDAR, calendars)));
        assertThrows(StoreException.class, () -> calendarOnly.collections(OWNER, CollectionKind.CONTACTS));
    }

    private static ItemStore only(CollectionKind kind, MemoryStore store) {
        return new ItemStore() {
            @Override
            public Set<CollectionKind> kinds() {
                return Set.of(kind);
            }

            @Override
            public List<CollectionRef> collections(Owner owner, CollectionKind k) {
                return store.collections(owner, k);
            }

            @Override
            public CollectionRef ensureCollection(Owner owner, CollectionKind k, String name) {
                return store.ensureCollection(owner, k, name);
            }

            @Override
            public ItemSource source(Owner owner, CollectionRef collection) {
                return store.source(owner, collection);
            }

            @Override
            public ItemTarget target(Owner owner, CollectionRef collection) {
                return store.target(owner, collection);
            }
        };
    }
}
