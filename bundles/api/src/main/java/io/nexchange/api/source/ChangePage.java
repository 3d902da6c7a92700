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
 *     (unless {@code windowed})
 * @param windowed whether a complete round lists only the items of a window rather than every item of the collection
 *     (Graph's calendarView: the events of a span of time). An item the caller knows that such a round does not list
 *     may still exist outside the window: the caller asks {@link ItemSource#fetch} before taking it as gone, and an
 *     item that is still there has left the window (it is kept, and no longer synced until a round lists it again).
 *     Meaningful on the pages of a complete round; since 2.2
 */
public record ChangePage(List<Change> changes, Cursor next, boolean hasMore, boolean complete, boolean windowed) {
    public ChangePage {
        changes = List.copyOf(changes);
        Objects.requireNonNull(next, "next");
    }

    /** A page of a source without a window: a complete round lists every item of the collection. */
    public ChangePage(List<Change> changes, Cursor next, boolean hasMore, boolean complete) {
        this(changes, next, hasMore, complete, false);
    }
}
