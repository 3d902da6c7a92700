package io.nexchange.api.source;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads the changes of one collection of one owner, listing apart from fetching: {@link #changes(Cursor)} lists
 * (key, ref, version) and may hand content along where it comes for free; {@link #fetch(List)} gets the content of
 * the refs the engine asks for, which are only those whose version differs from the last sync. An echo of the
 * engine's own writes, or a full listing after a dead cursor, then costs a listing, not a download of the collection.
 *
 * <p><b>Threading.</b> Called from the engine's worker threads. Implementations are not required to be
 * thread-safe: the engine uses one source per collection and pair run, from one thread.
 *
 * <p><b>Blocking.</b> A call blocks for one page or one fetch: typically one request round trip (a Graph
 * {@code $batch} of 20 for a fetch), plus throttling waits, and must not retry for longer than the throttling policy
 * allows. The engine checks its lease and its stop between pages, so pages should be
 * of bounded size.
 *
 * <p><b>Caching.</b> None across calls beyond what the cursor carries: the cursor is the whole position.
 *
 * <p><b>Exceptions.</b> {@link CursorExpiredException}: the cursor is dead, the engine reads from
 * {@link Cursor#INITIAL} and reconciles by key; {@link StoreException}: the round fails, nothing of the pair is
 * written this cycle; a {@link RuntimeException} is a bug.
 */
@ConsumerType
public interface ItemSource {

    /**
     * Reads one page of changes after {@code cursor}: removals, and existing items with or without their content
     * ({@link Change#listed} / {@link Change#upsert}).
     *
     * @param cursor {@link Cursor#INITIAL} for a full listing, or a cursor from an earlier page
     * @return the page; never null
     * @throws CursorExpiredException if the cursor is no longer valid (Graph 410 / syncStateNotFound,
     *     EWS ErrorInvalidSyncStateData, DAV valid-sync-token); the caller then reads from
     *     {@link Cursor#INITIAL} and reconciles against its status instead of recreating items
     * @throws StoreException for every other failure, with a message an operator can act on
     */
    ChangePage changes(Cursor cursor) throws StoreException;

    /**
     * Fetches the content of listed items, in as few requests as the backend allows (DAV calendar-multiget /
     * addressbook-multiget, Graph {@code $batch}, EWS GetItem), in batches of the source's choosing.
     *
     * @param refs refs this source listed without content; at most a few hundred per call
     * @return one change per ref that was answered: an {@link Change#upsert} with the item's content, key and current
     *     version, or a {@link Change#removal} for a ref that is gone by now; a ref the server did not answer for is
     *     left out (the engine then reads it again next cycle)
     * @throws StoreException if the fetch failed; nothing of the pair is written this cycle
     * @throws UnsupportedOperationException by default: a source that always hands content along with its listing
     *     is never asked
     */
    default List<Change> fetch(List<String> refs) throws StoreException {
        throw new UnsupportedOperationException(getClass().getName() + " hands content along with its listing");
    }
}
