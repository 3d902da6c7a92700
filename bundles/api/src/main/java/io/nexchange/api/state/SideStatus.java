package io.nexchange.api.state;

import java.util.Objects;

/**
 * What sync last saw (or wrote) of an item on one side.
 *
 * @param ref where the side keeps it (item id, resource href)
 * @param version the side's version token at that time (changeKey, ETag)
 * @param hash the SHA-256 of the content at that time, to tell real edits from version churn
 * @param outsideWindow the side still holds the item but its complete listings no longer show it: it is outside the
 *     side's window ({@link io.nexchange.api.source.ChangePage#windowed}; Graph's calendar: an event that ended more
 *     than the window's days ago). A later complete round that does not list it neither deletes it nor asks for it
 *     again; a round that lists it ends the mark. Since 1.5
 */
public record SideStatus(String ref, String version, String hash, boolean outsideWindow) {
    public SideStatus {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(hash, "hash");
    }

    /** What sync saw of an item its side lists. */
    public SideStatus(String ref, String version, String hash) {
        this(ref, version, hash, false);
    }
}
