package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The mass-deletion guard, checked before any write: a side that had items and listed empty in a full listing, more
 * than {@code guardShare} of a side's items to delete (collections of at least {@code guardMinimumItems}), or every
 * item of a collection of two or more. The alert names the mailbox, the pair, the counts and the override.
 */
final class DeletionGuard {
    private DeletionGuard() {}

    static Optional<String> check(SyncPair pair, Map<ItemKey, ItemStatus> status, Map<Side, ChangeReader.Round> rounds,
            List<Action> actions, SyncSettings settings) {
        for (Side side : Side.values()) {
            long known = status.values().stream().filter(s -> s.side(side).isPresent()).count();
            ChangeReader.Round round = rounds.get(side);
            // items outside a windowed side's window (marked before, or found there now) are not expected in its listing
            long expected = status.values().stream().filter(s -> s.side(side).isPresent() && !s.side(side).get().outsideWindow()
                    && !round.outsideWindow.contains(s.key())).count();
            if (round.complete && round.listed == 0 && expected > 0) {
                return Optional.of(String.format(Locale.ROOT, "Mass-deletion guard tripped for mailbox %s, %s pair (%s <-> %s): "
                        + "the %s collection listed EMPTY in a full listing although %d items were synced; not trusting "
                        + "it, nothing was written and the cursors were kept. If the collection really was emptied run "
                        + "'nexchange:sync --allow-deletions %s'", pair.mailbox(), kind(pair), pair.exchangeCollection(),
                        pair.nextcloudCollection(), Planner.name(side), expected, pair.mailbox()));
            }
            long deletions = deletions(actions, side);
            if (deletions == 0) {
                continue;
            }
            boolean all = deletions >= known && known >= 2;
            boolean share = known >= settings.guardMinimumItems() && deletions > settings.guardShare() * known;
            if (all || share) {
                return Optional.of(String.format(Locale.ROOT, "Mass-deletion guard tripped for mailbox %s, %s pair (%s <-> %s): "
                        + "refusing to delete %d of %d items in %s, %s. Nothing was written and the cursors were kept. If the "
                        + "deletions are intended run 'nexchange:sync --allow-deletions %s' (or raise deletionGuardShare in "
                        + "io.nexchange.engine)", pair.mailbox(), kind(pair), pair.exchangeCollection(),
                        pair.nextcloudCollection(), deletions, known, Planner.name(side), all ? "that is every item"
                                : "more than " + Math.round(settings.guardShare() * 100) + " % (deletionGuardShare)",
                        pair.mailbox()));
            }
        }
        return Optional.empty();
    }

    private static long deletions(Collection<Action> actions, Side side) {
        return actions.stream().filter(a -> a instanceof Action.Delete d && d.target() == side).count();
    }

    private static String kind(SyncPair pair) {
        return pair.kind().name().toLowerCase(Locale.ROOT);
    }
}
