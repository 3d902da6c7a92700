package io.nexchange.api.item;

import io.nexchange.api.CollectionKind;
import java.util.Objects;

/**
 * The identity of an item that does not depend on the backend that read it, so that an item read
 * through EWS yesterday and through Graph today is recognised as the same item.
 *
 * <ul>
 *   <li>Events: the iCalendar UID of the series or single event ({@code iCalUId} in Graph, {@code UID}
 *       in EWS). Modified occurrences are part of their series' calendar object, not items of their own.
 *   <li>Contacts: the Exchange item id in its URL-safe REST encoding (EWS ids are converted), or,
 *       for items created on the Nextcloud side, the vCard UID.
 * </ul>
 *
 * @param kind the kind of collection the item lives in
 * @param value the identifier; never blank
 */
public record ItemKey(CollectionKind kind, String value) implements Comparable<ItemKey> {
    public ItemKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("item key is blank");
        }
    }

    public static ItemKey event(String uid) {
        return new ItemKey(CollectionKind.CALENDAR, uid);
    }

    public static ItemKey contact(String id) {
        return new ItemKey(CollectionKind.CONTACTS, id);
    }

    @Override
    public int compareTo(ItemKey other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + value;
    }
}
