package io.nexchange.api.source;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a listing: an item that exists in some version, an item that is gone, or an item that exists but cannot
 * be read (the engine quarantines it until it changes, and the rest of the pair syncs).
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
    private final String summary;
    private final String problem;

    private Change(ItemKey key, String ref, String version, Item item, String summary, String problem) {
        this.key = Objects.requireNonNull(key, "key");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.version = version;
        this.item = item;
        this.summary = summary;
        this.problem = problem;
    }

    /** The item exists in this version, content included. */
    public static Change upsert(Item item) {
        return new Change(item.key(), item.ref(), item.version(), item, null, null);
    }

    /**
     * The item at {@code ref} exists in {@code version}; its content is fetched on demand.
     *
     * @param key the item's key if the listing tells it, else the best guess (a DAV source derives it from the
     *     resource name); the engine goes by {@code ref} for items it knows and by the fetched item's key otherwise
     */
    public static Change listed(ItemKey key, String ref, String version) {
        return new Change(key, ref, Objects.requireNonNull(version, "version"), null, null, null);
    }

    /** The item with this key, kept at {@code ref}, no longer exists. */
    public static Change removal(ItemKey key, String ref) {
        return new Change(key, ref, null, null, null, null);
    }

    /**
     * The item at {@code ref} exists in {@code version} but cannot be read into content (Graph sent a field the mapping
     * cannot read, an object without an identity). Not a removal: the engine keeps what it synced of the item,
     * quarantines it with {@code problem} until it shows up in another version, and syncs the rest.
     *
     * @param key the item's key if known, else the best guess (its ref as a key)
     * @param summary what a person knows the item by (subject, name), empty if unknown
     * @param problem why it cannot be read, for the operator, naming the item's field where known
     */
    public static Change unreadable(ItemKey key, String ref, String version, String summary, String problem) {
        return new Change(key, ref, Objects.requireNonNull(version, "version"), null, Objects.requireNonNull(summary, "summary"),
                Objects.requireNonNull(problem, "problem"));
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

    /** Whether the item exists but could not be read ({@link #unreadable}). */
    public boolean isUnreadable() {
        return problem != null;
    }

    /** The version the item exists in, unless this is a removal. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** Why an {@link #unreadable} item could not be read; empty for every other change. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * What a person knows an {@link #unreadable} item by (may be empty); empty for every other change, whose content
     * tells.
     */
    public String summary() {
        return summary == null ? "" : summary;
    }

    /** The item with its content, if the source handed it along (never for a removal or an unreadable item). */
    public Optional<Item> item() {
        return Optional.ofNullable(item);
    }

    @Override
    public String toString() {
        return (isRemoval() ? "removed " : isUnreadable() ? "unreadable " : item == null ? "listed " : "upsert ") + key;
    }
}
