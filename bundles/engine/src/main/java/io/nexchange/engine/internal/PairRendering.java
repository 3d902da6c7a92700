package io.nexchange.engine.internal;

import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;
import io.nexchange.api.state.SyncPair;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The item transformers of one pair run, per target side ({@link Rendering}), with what they made of each item
 * (rendered once per item and side). Re-rendering: when the transformers for a side changed since the items were
 * written, the items of the other side are read again in full ({@link ChangeReader}), and an item that neither side
 * changed is rewritten exactly where its rendering differs from what was written ({@link #rerender}).
 */
final class PairRendering {
    private final SyncPair pair;
    private final Map<Side, Rendering> byTarget;
    private final Map<Side, Map<ItemKey, Object>> results = new EnumMap<>(Side.class);

    /** @param byTarget the transformers for writes to each side (absent or {@link Rendering#NONE}: none) */
    PairRendering(SyncPair pair, Map<Side, Rendering> byTarget) {
        this.pair = pair;
        this.byTarget = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            this.byTarget.put(side, byTarget.getOrDefault(side, Rendering.NONE));
            results.put(side, new HashMap<>());
        }
    }

    static PairRendering none(SyncPair pair) {
        return new PairRendering(pair, Map.of());
    }

    /** The fingerprint stored with the cursor of {@code source}: the transformers its items pass on their way over. */
    String fingerprintOfItemsFrom(Side source) {
        return byTarget.get(source.other()).fingerprint();
    }

    /**
     * What to write to {@code target} for the source's observed item (which has content).
     *
     * @throws ExtensionFailure if a transformer refused it or changed its identity (the same failure every time)
     */
    Rendering.Result render(ItemKey key, Side target, SideView source) {
        Object cached = results.get(target).computeIfAbsent(key, k -> {
            try {
                return render(key, target, source.item().content());
            } catch (ExtensionFailure e) {
                return e;
            }
        });
        if (cached instanceof ExtensionFailure failure) {
            throw failure;
        }
        return (Rendering.Result) cached;
    }

    /**
     * What the transformers make of {@code content} for {@code target}, not cached: the source item's own content (the
     * cached {@link #render(ItemKey, Side, SideView)} calls it), or content that depends on the target's current version
     * (Exchange's rendering merged with what only Nextcloud holds, {@link PropertyMerge}).
     *
     * @throws ExtensionFailure if a transformer refused it or changed its identity
     */
    Rendering.Result render(ItemKey key, Side target, ItemContent content) {
        return byTarget.get(target).render(new ItemContext(pair.mailbox(), pair.kind(), key), target, content);
    }

    /**
     * Applies the transformers to the plan of one item: a create or update of an item a transformer drops becomes no
     * write (a create) or a deletion of the copy written earlier (an update); and in a run that re-renders the items of
     * a side, an item the table left alone is updated, created or deleted on the other side where its rendering
     * differs from what was written there. An item whose rendering fails keeps its write, which then fails on its own
     * (quarantined, with the transformer's message).
     *
     * @param rerendered the sides whose items were read in full because their transformers changed
     */
    Action adjust(Action action, ItemKey key, SideView exchange, SideView nextcloud, Direction direction,
            java.util.Set<Side> rerendered) {
        try {
            if (action instanceof Action.Create c && render(key, c.target(), c.source()).dropped()) {
                return new Action.Record(key, Planner.row(key, c.target().other(), c.source().current(), null));
            }
            if (action instanceof Action.Update u && render(key, u.target(), u.source()).dropped()) {
                return new Action.Delete(key, u.target(), u.dest());
            }
            if (action instanceof Action.Nothing || action instanceof Action.Record) {
                for (Side source : rerendered) {
                    Action again = rerender(key, source, source == Side.EXCHANGE ? exchange : nextcloud,
                            source == Side.EXCHANGE ? nextcloud : exchange, direction);
                    if (again != null) {
                        return again;
                    }
                }
            }
        } catch (ExtensionFailure refused) {
            return action; // the write meets the same failure and is quarantined with it
        }
        return action;
    }

    /** The write an unchanged item needs on the other side after its side's transformers changed, or null for none. */
    private Action rerender(ItemKey key, Side source, SideView here, SideView there, Direction direction) {
        Side target = source.other();
        if (!direction.writes(target) || !here.present() || here.change == null || here.change.item().isEmpty()
                || there.changed()) {
            return null;
        }
        Rendering.Result result;
        try {
            result = render(key, target, here);
        } catch (ExtensionFailure refused) {
            // written as it was; try the write, which fails with the transformer's message and is quarantined
            return there.present() ? new Action.Update(key, target, here, there) : new Action.Create(key, target, here);
        }
        SideStatus written = there.current();
        if (result.dropped()) {
            return written == null ? null : new Action.Delete(key, target, there);
        }
        if (written == null) {
            return new Action.Create(key, target, here);
        }
        return result.hash().equals(written.hash()) ? null : new Action.Update(key, target, here, there);
    }
}
