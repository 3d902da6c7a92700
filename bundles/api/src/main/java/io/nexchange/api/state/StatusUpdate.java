package io.nexchange.api.state;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Changes to one pair's state that are committed together: status rows written or removed and the
 * cursors reached, items put into or out of quarantine, and conflicts kept or restored. Committing cursors with the rows they cover (and the
 * quarantine records of the items they move past) is what makes a crash at any point resume without loss or
 * duplicates.
 */
public final class StatusUpdate {
    private final List<ItemStatus> upserts = new ArrayList<>();
    private final List<ItemKey> removals = new ArrayList<>();
    private final Map<Side, Cursor> cursors = new EnumMap<>(Side.class);
    private final List<QuarantinedItem> quarantined = new ArrayList<>();
    private final List<Released> released = new ArrayList<>();
    private final List<ConflictRecord> conflicts = new ArrayList<>();
    private final List<Long> restored = new ArrayList<>();

    /**
     * An item leaving quarantine: the record of the pair for {@code side} and {@code ref}.
     *
     * @since 1.2
     */
    public record Released(Side side, String ref) {
        public Released {
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(ref, "ref");
        }
    }

    public StatusUpdate put(ItemStatus status) {
        upserts.add(Objects.requireNonNull(status, "status"));
        return this;
    }

    public StatusUpdate remove(ItemKey key) {
        removals.add(Objects.requireNonNull(key, "key"));
        return this;
    }

    public StatusUpdate cursor(Side side, Cursor cursor) {
        cursors.put(Objects.requireNonNull(side, "side"), Objects.requireNonNull(cursor, "cursor"));
        return this;
    }

    /**
     * Records (or replaces) the quarantine record of {@code item.side()} and {@code item.ref()} in this pair.
     *
     * @since 1.2
     */
    public StatusUpdate quarantine(QuarantinedItem item) {
        quarantined.add(Objects.requireNonNull(item, "item"));
        return this;
    }

    /**
     * Ends the quarantine of the item at {@code ref} on {@code side}, if it has one.
     *
     * @since 1.2
     */
    public StatusUpdate release(Side side, String ref) {
        released.add(new Released(side, ref));
        return this;
    }

    /**
     * Keeps a resolved conflict with both versions (its id is ignored: the store assigns one), in the same commit as
     * the status row of the winner's write.
     *
     * @since 1.4
     */
    public StatusUpdate conflict(ConflictRecord conflict) {
        conflicts.add(Objects.requireNonNull(conflict, "conflict"));
        return this;
    }

    /**
     * Marks the restore of conflict {@code id} done, in the same commit as the status rows of its writes.
     *
     * @since 1.4
     */
    public StatusUpdate restored(long id) {
        restored.add(id);
        return this;
    }

    /** @since 1.4 */
    public List<ConflictRecord> conflicts() {
        return List.copyOf(conflicts);
    }

    /** @since 1.4 */
    public List<Long> restored() {
        return List.copyOf(restored);
    }

    /** @since 1.2 */
    public List<QuarantinedItem> quarantined() {
        return List.copyOf(quarantined);
    }

    /** @since 1.2 */
    public List<Released> released() {
        return List.copyOf(released);
    }

    public List<ItemStatus> upserts() {
        return List.copyOf(upserts);
    }

    public List<ItemKey> removals() {
        return List.copyOf(removals);
    }

    public Map<Side, Cursor> cursors() {
        return Map.copyOf(cursors);
    }

    public boolean isEmpty() {
        return upserts.isEmpty() && removals.isEmpty() && cursors.isEmpty() && quarantined.isEmpty() && released.isEmpty()
                && conflicts.isEmpty() && restored.isEmpty();
    }
}
