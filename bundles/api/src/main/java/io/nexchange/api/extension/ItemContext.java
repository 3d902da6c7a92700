package io.nexchange.api.extension;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import java.util.Objects;

/**
 * The item an extension is asked about: whose mailbox, which kind of collection, and its key. Immutable.
 *
 * @since 1.0
 */
public final class ItemContext {
    private final String mailbox;
    private final CollectionKind kind;
    private final ItemKey key;

    /**
     * @param mailbox the primary SMTP address of the Exchange mailbox the pair belongs to
     * @param kind the kind of the pair's collections
     * @param key the item's key (its identity on both sides; never changed by an extension)
     */
    public ItemContext(String mailbox, CollectionKind kind, ItemKey key) {
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.key = Objects.requireNonNull(key, "key");
    }

    public String mailbox() {
        return mailbox;
    }

    public CollectionKind kind() {
        return kind;
    }

    public ItemKey key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemContext c && mailbox.equals(c.mailbox) && kind == c.kind && key.equals(c.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mailbox, kind, key);
    }

    @Override
    public String toString() {
        return mailbox + " " + kind + " " + key;
    }
}
