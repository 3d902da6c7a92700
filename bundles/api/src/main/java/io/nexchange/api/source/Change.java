package io.nexchange.api.source;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

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
 * <p>A source whose target names the items created through it by keys of its own (Graph gives an event a new iCalUId,
 * a contact a new id) tells the engine which of its items it created for which key: such an existing item comes with
 * its {@linkplain #creationMark() creation mark}, {@link #markFor(ItemKey)} of the key {@link ItemTarget#create} was
 * called with (Graph events: the {@code transactionId} of the POST). The engine then knows the item as that key's even
 * where it holds no status for it yet (a create whose answer was lost to a crash or a timeout), so its own creation is
 * never taken for a new item of that side.
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
    private final String creationMark;

    private Change(ItemKey key, String ref, String version, Item item, String summary, String problem, String creationMark) {
        this.key = Objects.requireNonNull(key, "key");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.version = version;
        this.item = item;
        this.summary = summary;
        this.problem = problem;
        this.creationMark = creationMark;
    }

    private Change(ItemKey key, String ref, String version, Item item, String summary, String problem) {
        this(key, ref, version, item, summary, problem, null);
    }

    /**
     * The creation mark of the item a target creates for {@code key}: a name-based UUID (RFC 4122 version 3) of
     * {@code "nexchange:" + key.value()}, short and opaque enough for any server field (Graph's event
     * {@code transactionId} holds it since the first two-way release, so events created before are recognised).
     *
     * @since 2.2
     */
    public static String markFor(ItemKey key) {
        return UUID.nameUUIDFromBytes(("nexchange:" + key.value()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * This change with the creation mark the item carries ({@link #markFor}: it was created through
     * {@link ItemTarget#create} for that key); an existing item's only, never a removal's.
     *
     * @throws IllegalStateException for a removal
     * @since 2.2
     */
    public Change withCreationMark(String mark) {
        if (isRemoval()) {
            throw new IllegalStateException("a removal carries no creation mark: " + this);
        }
        return new Change(key, ref, version, item, summary, problem, Objects.requireNonNull(mark, "mark"));
    }

    /**
     * The mark of the key the item was created for through this side's target ({@link #markFor}), if the source
     * can tell; empty for items created otherwise and for sources whose items keep the key they were created with.
     *
     * @since 2.2
     */
    public Optional<String> creationMark() {
        return Optional.ofNullable(creationMark);
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
