package io.nexchange.api.source;

import java.util.List;
import java.util.Objects;

/**
 * One page of changes.
 *
 * @param changes the changes on this page, in source order; a key may appear more than once across pages
 *     (sources replay), the later entry wins
 * @param next where to continue: the next page while {@code hasMore}, else the cursor to store for the
 *     next cycle
 * @param hasMore whether {@code next} leads to more pages of the same round
 * @param complete whether this round lists every item of the collection (a read from {@link Cursor#INITIAL}
 *     or after a dead cursor); then items the caller knows of that were not listed in the whole round are gone
 */
public record ChangePage(List<Change> changes, Cursor next, boolean hasMore, boolean complete) {
    public ChangePage {
        changes = List.copyOf(changes);
        Objects.requireNonNull(next, "next");
    }
}
