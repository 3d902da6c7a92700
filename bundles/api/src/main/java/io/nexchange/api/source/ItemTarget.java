package io.nexchange.api.source;

import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes items of one collection of one owner, always with optimistic concurrency: a write that
 * would overwrite a version the caller has not seen fails with {@link PreconditionFailedException}
 * instead of losing the other change.
 *
 * <p>Same threading rules as {@link ItemSource}: used by one thread at a time; each call blocks for one write
 * request (plus throttling waits) and retries throttled requests only within the throttling policy. Nothing is
 * cached between calls. A write either happened completely or threw: the engine records a status row only after a
 * call returned, so a write that threw is read again (and adopted, not repeated) on the next cycle.
 *
 * <p>Exceptions: {@link PreconditionFailedException} when the condition failed (the engine adopts or reconciles);
 * {@link StoreException} for every other failure (the item is retried next cycle; after several in a row the pair
 * stops for the cycle). A {@link RuntimeException} is a bug.
 */
@ConsumerType
public interface ItemTarget {

    /**
     * Creates an item that must not exist yet (DAV {@code If-None-Match: *}). Resource names are
     * derived deterministically from the key, so that a retried create after a crash finds the first
     * attempt instead of creating a duplicate.
     *
     * @throws PreconditionFailedException if an item with this key already exists
     */
    ItemVersion create(ItemKey key, ItemContent content) throws StoreException;

    /**
     * Replaces the item at {@code ref} if it is still in {@code expectedVersion}.
     *
     * @throws PreconditionFailedException if the item changed since (or is gone)
     */
    ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException;

    /**
     * Deletes the item at {@code ref} if it is still in {@code expectedVersion}. Deleting an item that is
     * already gone succeeds.
     *
     * @throws PreconditionFailedException if the item changed since
     */
    void delete(ItemKey key, String ref, String expectedVersion) throws StoreException;

    /** Reads the current version of the item at {@code ref}, if it exists. */
    Optional<ItemVersion> version(String ref) throws StoreException;
}
