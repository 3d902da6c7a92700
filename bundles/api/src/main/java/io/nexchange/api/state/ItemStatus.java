package io.nexchange.api.state;

import io.nexchange.api.item.ItemKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The last synchronised state of one item on both sides (vdirsyncer's status row). An item present on
 * one side only is mid-flight: written on one side, not yet confirmed on the other.
 */
public record ItemStatus(ItemKey key, SideStatus exchange, SideStatus nextcloud) {
    public ItemStatus {
        Objects.requireNonNull(key, "key");
        if (exchange == null && nextcloud == null) {
            throw new IllegalArgumentException("status of " + key + " has neither side");
        }
    }

    public Optional<SideStatus> side(Side side) {
        return Optional.ofNullable(side == Side.EXCHANGE ? exchange : nextcloud);
    }

    public ItemStatus with(Side side, SideStatus status) {
        return side == Side.EXCHANGE ? new ItemStatus(key, status, nextcloud) : new ItemStatus(key, exchange, status);
    }
}
