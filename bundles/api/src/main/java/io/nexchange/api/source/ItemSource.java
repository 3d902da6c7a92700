package io.nexchange.api.source;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads the changes of one collection of one owner.
 *
 * <p>Called from the engine's worker threads; a call blocks for the duration of one request round
 * trip (plus throttling waits) and must not retry for longer than the throttling policy allows.
 * Implementations are not required to be thread-safe: the engine uses one source per collection and
 * cycle from one thread.
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
