package io.nexchange.api.source;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One change read from a source: an item that is new or changed (with its full content), or an item
 * that is gone.
 */
public final class Change {
    private final ItemKey key;
    private final String ref;
    private final Item item;

    private Change(ItemKey key, String ref, Item item) {
        this.key = Objects.requireNonNull(key, "key");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.item = item;
    }

    /** The item exists in this version (created or changed). */
    public static Change upsert(Item item) {
        return new Change(item.key(), item.ref(), item);
    }

    /** The item with this key, kept at {@code ref}, no longer exists. */
    public static Change removal(ItemKey key, String ref) {
        return new Change(key, ref, null);
    }

    public ItemKey key() {
        return key;
    }

    public String ref() {
        return ref;
    }

    public boolean isRemoval() {
        return item == null;
    }

    /** The item, unless this is a removal. */
    public Optional<Item> item() {
        return Optional.ofNullable(item);
    }

    @Override
    public String toString() {
        return (isRemoval() ? "removed " : "upsert ") + key;
    }
}
