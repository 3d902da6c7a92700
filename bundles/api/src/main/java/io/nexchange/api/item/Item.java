package io.nexchange.api.item;

import java.util.Objects;

/**
 * An item as one side holds it.
 *
 * @param key the backend-neutral identity
 * @param ref where this side keeps it: a Graph/EWS item id, a DAV resource href
 * @param version this side's version token: a Graph changeKey, an EWS ChangeKey, a DAV ETag
 * @param content the item in its interchange format
 */
public record Item(ItemKey key, String ref, String version, ItemContent content) {
    public Item {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(content, "content");
    }
}
