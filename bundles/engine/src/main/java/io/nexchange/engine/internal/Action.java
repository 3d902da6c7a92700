package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;

/**
 * One row's outcome of the decision table ({@link Planner#decide}) for one item: what the {@link ActionExecutor} does.
 * Only {@link Create}, {@link Update}, {@link Delete}, {@link Resolve} and {@link Restore} write to a store; the others change the
 * status row only.
 */
sealed interface Action {
    ItemKey key();

    /** Whether this action writes to a store (for the ETA and the guard). */
    default boolean writes() {
        return false;
    }

    /** Unchanged on both sides: nothing to do. */
    record Nothing(ItemKey key) implements Action {}

    /** Same content under a new version or ref (churn, moved href, new backend): refresh the status row. */
    record Record(ItemKey key, ItemStatus row) implements Action {}

    /** Present on both sides with equal content but not linked (crash recovery, dead cursor, backend switch): link them. */
    record Adopt(ItemKey key, ItemStatus row) implements Action {}

    /** Gone on both sides: drop the status row. */
    record Forget(ItemKey key) implements Action {}

    /** One-way: a change on the written side that is not carried to the source; the row remembers it so it is reported once. */
    record LeaveAlone(ItemKey key, ItemStatus row, String why) implements Action {}

    /** New (or changed while deleted over there) on the other side: create it in {@code target}. */
    record Create(ItemKey key, Side target, SideView source) implements Action {
        @Override
        public boolean writes() {
            return true;
        }
    }

    /** Changed on the other side: overwrite {@code dest} in {@code target} ({@code If-Match} its version). */
    record Update(ItemKey key, Side target, SideView source, SideView dest) implements Action {
        @Override
        public boolean writes() {
            return true;
        }
    }

    /** Deleted on the other side and unchanged here: delete it in {@code target}. */
    record Delete(ItemKey key, Side target, SideView dest) implements Action {
        @Override
        public boolean writes() {
            return true;
        }
    }

    /** Changed on both sides with different content: the conflict policy's {@code winner} overwrites the other side. */
    record Resolve(ItemKey key, Side winner, String policy, SideView exchange, SideView nextcloud) implements Action {
        @Override
        public boolean writes() {
            return true;
        }

        /** The write that carries the winner's content to the loser's side. */
        Update update() {
            return winner == Side.EXCHANGE ? new Update(key, Side.NEXTCLOUD, exchange, nextcloud)
                    : new Update(key, Side.EXCHANGE, nextcloud, exchange);
        }
    }

    /**
     * An operator's restore of a conflict's losing version: written back as the current one to the side that lost, and
     * from there to the other side where the direction allows; the conflict is marked restored in the same commit.
     */
    record Restore(ItemKey key, io.nexchange.api.state.ConflictRecord conflict, SideView exchange, SideView nextcloud)
            implements Action {
        @Override
        public boolean writes() {
            return true;
        }
    }
}
