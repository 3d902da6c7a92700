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
 * cursors reached. Committing cursors with the rows they cover is what makes a crash at any point
 * resume without loss or duplicates.
 */
public final class StatusUpdate {
    private final List<ItemStatus> upserts = new ArrayList<>();
    private final List<ItemKey> removals = new ArrayList<>();
    private final Map<Side, Cursor> cursors = new EnumMap<>(Side.class);

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
        return upserts.isEmpty() && removals.isEmpty() && cursors.isEmpty();
    }
}
