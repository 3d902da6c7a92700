package io.nexchange.engine.internal;

/**
 * What the reconciliation of a pair may do.
 *
 * @param direction which sides may be written
 * @param conflictPolicy who wins when both sides changed (one-way: always Exchange)
 * @param guardShare the largest share of a collection's items one cycle may delete (0.5 = 50 %)
 * @param guardMinimumItems collections smaller than this are exempt from the share rule (not from the all-items rule)
 * @param batchSize status rows per commit
 */
public record SyncSettings(Direction direction, ConflictPolicy conflictPolicy, double guardShare, int guardMinimumItems,
        int batchSize) {
    public SyncSettings {
        if (!(guardShare >= 0 && guardShare <= 1)) {
            throw new IllegalArgumentException("deletionGuardShare must be between 0 and 1, was " + guardShare);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("commitBatchSize must be at least 1, was " + batchSize);
        }
    }

    public static SyncSettings defaults() {
        return new SyncSettings(Direction.EXCHANGE_TO_NEXTCLOUD, ConflictPolicy.EXCHANGE_WINS, 0.5, 10, 50);
    }

    public SyncSettings with(Direction d) {
        return new SyncSettings(d, conflictPolicy, guardShare, guardMinimumItems, batchSize);
    }

    public SyncSettings with(ConflictPolicy p) {
        return new SyncSettings(direction, p, guardShare, guardMinimumItems, batchSize);
    }

    public SyncSettings withBatchSize(int size) {
        return new SyncSettings(direction, conflictPolicy, guardShare, guardMinimumItems, size);
    }
}
