package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the reconciliation of a pair may do.
 *
 * @param direction which sides may be written
 * @param conflictPolicy who wins when both sides changed (one-way: always Exchange), for kinds without their own
 * @param guardShare the largest share of a collection's items one cycle may delete (0.5 = 50 %)
 * @param guardMinimumItems collections smaller than this are exempt from the share rule (not from the all-items rule)
 * @param batchSize status rows per commit
 * @param conflicts the conflict policy per kind and how long conflicts are kept
 */
public record SyncSettings(Direction direction, ConflictPolicy conflictPolicy, double guardShare, int guardMinimumItems,
        int batchSize, Conflicts conflicts) {
    public SyncSettings {
        if (!(guardShare >= 0 && guardShare <= 1)) {
            throw new IllegalArgumentException("deletionGuardShare must be between 0 and 1, was " + guardShare);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("commitBatchSize must be at least 1, was " + batchSize);
        }
    }

    public SyncSettings(Direction direction, ConflictPolicy conflictPolicy, double guardShare, int guardMinimumItems,
            int batchSize) {
        this(direction, conflictPolicy, guardShare, guardMinimumItems, batchSize, Conflicts.DEFAULT);
    }

    /**
     * The conflict policies of the kinds that have their own (else {@code conflictPolicy}), and the retention of the
     * conflicts kept in the state database.
     *
     * @param byKind a policy per kind, for kinds that do not follow {@code conflictPolicy}
     * @param retention conflicts resolved longer ago are removed
     * @param keptPerPair at most this many conflicts are kept per pair (the newest)
     */
    public record Conflicts(Map<CollectionKind, ConflictPolicy> byKind, Duration retention, int keptPerPair) {
        static final Conflicts DEFAULT = new Conflicts(Map.of(), Duration.ofDays(90), 200);

        public Conflicts {
            byKind = byKind.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(byKind));
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("conflictRetentionDays must be at least 1, was " + retention.toDays());
            }
            if (keptPerPair < 1) {
                throw new IllegalArgumentException("conflictsKeptPerPair must be at least 1, was " + keptPerPair);
            }
        }
    }

    /** The engine configuration's defaults: two-way, Exchange wins conflicts. */
    public static SyncSettings defaults() {
        return new SyncSettings(Direction.TWO_WAY, ConflictPolicy.EXCHANGE_WINS, 0.5, 10, 50);
    }

    /** The policy for conflicts of one kind: its own, else {@code conflictPolicy}. */
    public ConflictPolicy policyFor(CollectionKind kind) {
        return conflicts.byKind().getOrDefault(kind, conflictPolicy);
    }

    public SyncSettings with(Direction d) {
        return new SyncSettings(d, conflictPolicy, guardShare, guardMinimumItems, batchSize, conflicts);
    }

    /** The same with one policy for every kind. */
    public SyncSettings with(ConflictPolicy p) {
        return new SyncSettings(direction, p, guardShare, guardMinimumItems, batchSize,
                new Conflicts(Map.of(), conflicts.retention(), conflicts.keptPerPair()));
    }

    public SyncSettings with(Conflicts c) {
        return new SyncSettings(direction, conflictPolicy, guardShare, guardMinimumItems, batchSize, c);
    }

    public SyncSettings withBatchSize(int size) {
        return new SyncSettings(direction, conflictPolicy, guardShare, guardMinimumItems, size, conflicts);
    }
}
