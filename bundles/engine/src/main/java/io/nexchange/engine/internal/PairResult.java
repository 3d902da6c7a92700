package io.nexchange.engine.internal;

import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one reconciliation of a pair did.
 *
 * @param outcome how it ended
 * @param read changes read from each side
 * @param created items created on each side (key: the side written)
 * @param updated items updated on each side
 * @param deleted items deleted on each side
 * @param adopted items found on both sides without status (crash recovery, dead cursor, backend switch) and linked
 * @param conflicts items changed on both sides, resolved by the policy
 * @param suppressed one-way: Nextcloud-side creations, edits and deletions left alone (reported, not propagated)
 * @param errors per-item failures (the pair's cursors were then not advanced)
 * @param alert the operator alert when the mass-deletion guard tripped, else empty
 * @param quarantined items of the pair held back after failing on their own ({@code nexchange:quarantine list})
 * @param heldBack items new in Exchange whose creation in Nextcloud waits for the next run, because a create in Exchange
 *        failed in this one (the new item may be the copy of an earlier attempt whose answer was lost); cursors kept
 */
public record PairResult(SyncPair pair, Outcome outcome, Map<Side, Integer> read, Map<Side, Integer> created,
        Map<Side, Integer> updated, Map<Side, Integer> deleted, int adopted, int conflicts, int suppressed,
        List<String> errors, String alert, int quarantined, int heldBack) {

    public enum Outcome {
        /** Everything applied, cursors advanced. */
        SYNCED,
        /**
         * Some items failed for a reason that may pass (or not yet often enough to quarantine them); the rest applied,
         * cursors kept so the failed changes are read again.
         */
        PARTIAL,
        /** The mass-deletion guard tripped: nothing written, nothing committed. */
        GUARDED,
        /** The lease could not be renewed: the run ended at the next page or action, uncommitted rows abandoned. */
        LEASE_LOST,
        /** The engine stopped: the run ended after its current action and committed the rows done (cursors kept). */
        STOPPED
    }

    public int writes() {
        return sum(created) + sum(updated) + sum(deleted);
    }

    public int writes(Side side) {
        return created.getOrDefault(side, 0) + updated.getOrDefault(side, 0) + deleted.getOrDefault(side, 0);
    }

    static int sum(Map<Side, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    static Map<Side, Integer> counts() {
        Map<Side, Integer> m = new EnumMap<>(Side.class);
        m.put(Side.EXCHANGE, 0);
        m.put(Side.NEXTCLOUD, 0);
        return m;
    }

    @Override
    public String toString() {
        return pair.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + outcome + ": read " + read + ", created "
                + created + ", updated " + updated + ", deleted " + deleted + ", adopted " + adopted + ", conflicts "
                + conflicts + ", left alone " + suppressed + (quarantined == 0 ? "" : ", quarantined " + quarantined)
                + (heldBack == 0 ? "" : ", held back " + heldBack + " (next run)")
                + (errors.isEmpty() ? "" : ", errors " + errors.size())
                + (alert.isEmpty() ? "" : ", ALERT: " + alert);
    }
}
