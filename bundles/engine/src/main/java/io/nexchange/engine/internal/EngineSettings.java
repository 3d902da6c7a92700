package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's settings.
 *
 * @param sync what the reconciliation may do
 * @param routing which backend serves which mailbox
 * @param kinds which collections to sync
 * @param calendarName the Nextcloud calendar the Exchange default calendar goes to ("" = the account's default)
 * @param addressBookName the Nextcloud address book the Exchange default contacts go to ("" = the account's default)
 * @param threads mailboxes synced at once
 * @param leaseTtl how long a mailbox lease lasts without renewal
 * @param holder this instance's id in the lease table
 * @param directions the direction of each kind (a kind not named goes in {@code sync}'s direction)
 */
public record EngineSettings(SyncSettings sync, Routing routing, Set<CollectionKind> kinds, String calendarName,
        String addressBookName, int threads, Duration leaseTtl, String holder, Map<CollectionKind, Direction> directions) {
    public EngineSettings {
        kinds = Set.copyOf(kinds);
        directions = Map.copyOf(directions);
        calendarName = calendarName == null ? "" : calendarName.trim();
        addressBookName = addressBookName == null ? "" : addressBookName.trim();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (leaseTtl.toSeconds() < 2) {
            throw new IllegalArgumentException("leaseSeconds must be at least 2 (the heartbeat renews every quarter of it), was "
                    + leaseTtl.toSeconds());
        }
    }

    /** Every kind in {@code sync}'s direction. */
    public EngineSettings(SyncSettings sync, Routing routing, Set<CollectionKind> kinds, String calendarName,
            String addressBookName, int threads, Duration leaseTtl, String holder) {
        this(sync, routing, kinds, calendarName, addressBookName, threads, leaseTtl, holder, new EnumMap<>(CollectionKind.class));
    }

    /** What the reconciliation of a pair of this kind may do: {@code sync} in the kind's direction. */
    public SyncSettings sync(CollectionKind kind) {
        Direction direction = directions.get(kind);
        return direction == null ? sync : sync.with(direction);
    }

    public String nextcloudName(CollectionKind kind) {
        return kind == CollectionKind.CALENDAR ? calendarName : addressBookName;
    }
}
