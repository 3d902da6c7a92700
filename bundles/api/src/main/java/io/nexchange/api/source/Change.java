package io.nexchange.api.source;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a listing: an item that exists in some version, or an item that is gone.
 *
 * <p>An existing item comes either <em>with</em> its content ({@link #upsert(Item)}: a source that gets content with
 * its listing anyway, such as a Graph delta page, hands it along and is never asked to fetch it) or <em>without</em>
 * ({@link #listed(ItemKey, String, String)}: key, ref and version only, such as a DAV sync-collection answer); the
 * engine then fetches the content through {@link ItemSource#fetch(java.util.List)} only for refs whose version
 * differs from what it synced last.
 *
 * @since 2.0
 */
public final class Change {
    private final ItemKey key;
    private final String ref;
    private final String version;
    private final Item item;

    private Change(ItemKey key, String ref, String version, Item item) {
        this.key = Objects.requireNonNull(key, "key");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.version = version;
        this.item = item;
    }

    /** The item exists in this version, content included. */
    public static Change upsert(Item item) {
        return new Change(item.key(), item.ref(), item.version(), item);
    }

    /**
     * The item at {@code ref} exists in {@code version}; its content is fetched on demand.
     *
     * @param key the item's key if the listing tells it, else the best guess (a DAV source derives it from the
     *     resource name); the engine goes by {@code ref} for items it knows and by the fetched item's key otherwise
     */
    public static Change listed(ItemKey key, String ref, String version) {
        return new Change(key, ref, Objects.requireNonNull(version, "version"), null);
    }

    /** The item with this key, kept at {@code ref}, no longer exists. */
    public static Change removal(ItemKey key, String ref) {
        return new Change(key, ref, null, null);
    }

    public ItemKey key() {
        return key;
    }

    public String ref() {
        return ref;
    }

    public boolean isRemoval() {
        return version == null;
    }

    /** The version the item exists in, unless this is a removal. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** The item with its content, if the source handed it along (never for a removal). */
    public Optional<Item> item() {
        return Optional.ofNullable(item);
    }

    @Override
    public String toString() {
        return (isRemoval() ? "removed " : item == null ? "listed " : "upsert ") + key;
    }
}
