package io.nexchange.api.source;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads the changes of one collection of one owner.
 *
 * <p><b>Threading.</b> Called from the engine's worker threads. Implementations are not required to be
 * thread-safe: the engine uses one source per collection and pair run, from one thread.
 *
 * <p><b>Blocking.</b> A call blocks for one page: typically one request round trip (a DAV source that fetches
 * content in the same call: one listing and one multiget), plus throttling waits, and must not retry for longer
 * than the throttling policy allows. The engine checks its lease and its stop between pages, so pages should be
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
     * Reads one page of changes after {@code cursor}.
     *
     * @param cursor {@link Cursor#INITIAL} for a full listing, or a cursor from an earlier page
     * @return the page; never null
     * @throws CursorExpiredException if the cursor is no longer valid (Graph 410 / syncStateNotFound,
     *     EWS ErrorInvalidSyncStateData, DAV valid-sync-token); the caller then reads from
     *     {@link Cursor#INITIAL} and reconciles against its status instead of recreating items
     * @throws StoreException for every other failure, with a message an operator can act on
     */
    ChangePage changes(Cursor cursor) throws StoreException;
}
