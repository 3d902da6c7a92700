package io.nexchange.api.item;

import java.util.Objects;

/**
 * Where an item is kept on one side and in which version, as returned by a write.
 *
 * @param ref the side's reference to the item (item id, resource href)
 * @param version the version token after the write; empty if the side did not return one
 *     (a DAV server that altered the body on PUT), in which case the caller re-reads it
 */
public record ItemVersion(String ref, String version) {
    public ItemVersion {
        Objects.requireNonNull(ref, "ref");
        version = version == null ? "" : version;
    }

    public boolean versionKnown() {
        return !version.isEmpty();
    }
}
