package io.nexchange.api.state;

import java.util.Objects;

/**
 * What sync last saw (or wrote) of an item on one side.
 *
 * @param ref where the side keeps it (item id, resource href)
 * @param version the side's version token at that time (changeKey, ETag)
 * @param hash the SHA-256 of the content at that time, to tell real edits from version churn
 */
public record SideStatus(String ref, String version, String hash) {
    public SideStatus {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(hash, "hash");
    }
}
