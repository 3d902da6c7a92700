package io.nexchange.api.extension;

import io.nexchange.api.item.Item;
import io.nexchange.api.state.Side;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A conflict policy of an enterprise's own: decides which side wins when an item changed on both sides since the last
 * sync with different content (two-way sync only; one-way sync always takes Exchange). It is chosen by name: set
 * {@code conflictPolicy} in {@code etc/io.nexchange.engine.cfg} to the service's {@link #NAME} property. While no
 * service of that name is registered, conflicts are not resolved: the item is left as it is on both sides, reported
 * as the item's error naming the missing policy, and resolved on the first cycle after the service appears.
 *
 * <p>The winner's content is written to the other side (through the {@link ItemTransformer}s of that side); then every
 * {@link AuditSink} is told of the conflict.
 *
 * <p><b>Threading and blocking.</b> Called from the engine's worker threads, concurrently for different mailboxes:
 * implementations must be thread-safe, quick and free of per-item I/O. A {@link RuntimeException} leaves the conflict
 * unresolved this cycle (the item's error names the resolver).
 *
 * @since 1.0
 */
@ConsumerType
public interface ConflictResolver {
    /** Service property: the policy's name, as {@code conflictPolicy} names it (not one of the built-in names). */
    String NAME = "nexchange.conflict.policy";

    /**
     * @param item whose item this is
     * @param exchange the item as Exchange has it now
     * @param nextcloud the item as Nextcloud has it now
     * @return the side whose content wins; never null
     */
    Side winner(ItemContext item, Item exchange, Item nextcloud);
}
