package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;

/**
 * The decision table (vdirsyncer's, symmetric in the two sides) as a pure function: from an item's status row and
 * what each side shows now, the {@link Action} to take. No I/O and no state; the engine README prints the table and
 * {@code PlannerTest} has one case per row.
 *
 * <p>The direction is a filter on the same table: a write that one-way sync may not make (to Exchange in
 * {@code exchange-to-nextcloud}, to Nextcloud in {@code nextcloud-to-exchange}) becomes a {@link Action.LeaveAlone} that
 * records what was seen.
 */
final class Planner {
    private Planner() {}

    /**
     * @param status the item's status row, or null if the item was never synced
     * @param exchange the Exchange side: status and what this round observed
     * @param nextcloud the Nextcloud side
     */
    static Action decide(ItemKey key, ItemStatus status, SideView exchange, SideView nextcloud, Direction direction,
            ConflictPolicy policy) {
        boolean presentA = exchange.present();
        boolean presentB = nextcloud.present();
        if (presentA && presentB) {
            boolean changedA = exchange.changed();
            boolean changedB = nextcloud.changed();
            if (changedA && changedB) {
                if (exchange.hash().equals(nextcloud.hash())) {
                    // both new or edited alike (crash after the remote write, dead cursor, backend switch): link them
                    ItemStatus row = new ItemStatus(key, exchange.current(), nextcloud.current());
                    boolean linked = status != null && status.exchange() != null && status.nextcloud() != null;
                    return linked ? new Action.Record(key, row) : new Action.Adopt(key, row);
                }
                return resolve(key, exchange, nextcloud, direction, policy);
            }
            if (changedA) {
                return update(key, Side.NEXTCLOUD, exchange, nextcloud, direction);
            }
            if (changedB) {
                return update(key, Side.EXCHANGE, nextcloud, exchange, direction);
            }
            if (exchange.drifted() || nextcloud.drifted()) {
                return new Action.Record(key, new ItemStatus(key, exchange.current(), nextcloud.current()));
            }
            return new Action.Nothing(key);
        }
        if (presentA) {
            return oneSided(key, Side.EXCHANGE, exchange, nextcloud, direction);
        }
        if (presentB) {
            return oneSided(key, Side.NEXTCLOUD, nextcloud, exchange, direction);
        }
        // gone on both sides (deleted twice, or the echo of our deletion)
        return status == null ? new Action.Nothing(key) : new Action.Forget(key);
    }

    /**
     * The decision for an item whose copy on {@code side} the engine created there itself for this key (found by its
     * creation mark, {@link ItemIdentity#claimMarked}) without status knowing it: the create's answer was lost. That
     * copy is the other side's version as it was then, not an edit of {@code side}'s: alike, the two are linked;
     * otherwise the other side's current version is written over it (it changed since, e.g. edited in Nextcloud after
     * the crash). Without the other side's current content (not observed) or without the item there any more, the
     * usual table decides.
     */
    static Action decideCreated(ItemKey key, ItemStatus status, Side side, SideView exchange, SideView nextcloud,
            Direction direction, ConflictPolicy policy) {
        SideView copy = side == Side.EXCHANGE ? exchange : nextcloud;
        SideView origin = side == Side.EXCHANGE ? nextcloud : exchange;
        if (origin.present()) {
            if (copy.hash().equals(origin.hash())) {
                ItemStatus row = new ItemStatus(key, exchange.current(), nextcloud.current());
                return new Action.Adopt(key, row);
            }
            if (origin.observed() && origin.change.item().isPresent()) {
                return update(key, side, origin, copy, direction);
            }
        }
        return decide(key, status, exchange, nextcloud, direction, policy);
    }

    /** A conflict: who wins is the policy's call in two-way, always the direction's source in one-way. */
    static Action.Resolve resolve(ItemKey key, SideView exchange, SideView nextcloud, Direction direction,
            ConflictPolicy policy) {
        if (direction != Direction.TWO_WAY) {
            return new Action.Resolve(key, direction.source(), "direction " + direction.label(), exchange, nextcloud);
        }
        return new Action.Resolve(key, policy.winner(exchange.item(), nextcloud.item()), policy.label(), exchange,
                nextcloud);
    }

    /** The item exists on {@code side} only. */
    private static Action oneSided(ItemKey key, Side side, SideView here, SideView there, Direction direction) {
        Side other = side.other();
        if (there.status != null) {
            if (here.changed()) {
                // deleted over there but changed here: never lose the change, recreate it over there
                return create(key, other, here, direction);
            }
            if (!direction.writes(side)) {
                // one-way: a deletion on the written side is left alone; the next change on the source restores the item
                return new Action.LeaveAlone(key, row(key, side, here.current(), null),
                        "deleted in " + name(other) + ", kept in " + name(side));
            }
            return new Action.Delete(key, side, here);
        }
        if (here.changed()) {
            return create(key, other, here, direction);
        }
        if (here.drifted()) {
            return new Action.Record(key, row(key, side, here.current(), null));
        }
        // absent over there on purpose (left alone earlier in one-way): nothing until it changes here
        return new Action.Nothing(key);
    }

    private static Action create(ItemKey key, Side target, SideView source, Direction direction) {
        if (!direction.writes(target)) {
            return new Action.LeaveAlone(key, row(key, target.other(), source.current(), null),
                    "created in " + name(target.other()) + " only");
        }
        return new Action.Create(key, target, source);
    }

    private static Action update(ItemKey key, Side target, SideView source, SideView dest, Direction direction) {
        if (!direction.writes(target)) {
            // one-way: an edit on the written side stays until the next change on the source overwrites it
            return new Action.LeaveAlone(key, row(key, target.other(), source.current(), dest.current()),
                    "edited in " + name(target.other()) + ", not carried over");
        }
        return new Action.Update(key, target, source, dest);
    }

    /** A status row from the point of view of {@code side}. */
    static ItemStatus row(ItemKey key, Side side, SideStatus here, SideStatus there) {
        return side == Side.EXCHANGE ? new ItemStatus(key, here, there) : new ItemStatus(key, there, here);
    }

    static String name(Side side) {
        return side == Side.EXCHANGE ? "Exchange" : "Nextcloud";
    }
}
