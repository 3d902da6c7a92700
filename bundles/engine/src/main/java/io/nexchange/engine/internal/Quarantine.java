package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quarantine of one pair during one run: which items are held back (a version that failed on its own is not tried
 * again, so one bad item never stops the pair's cursors), which fail now, which are over it. An item is held at once
 * when the failure is its own for sure (it cannot be mapped, the server refused its content), or after
 * {@link #HOLD_AFTER} runs that failed on it in the same version (until then the pair is retried whole, as before).
 * A held item is tried again when it shows up in another version, or after {@code nexchange:quarantine retry}; a
 * successful sync of it ends the quarantine. Each item is logged once per version that failed (WARN, one line).
 *
 * <p>Not thread-safe; one per pair run.
 */
final class Quarantine {
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    /** Runs failing on the same item in the same version before it is held although its failure was not permanent. */
    static final int HOLD_AFTER = 3;

    private final SyncPair pair;
    private final Clock clock;
    /** Records as stored, by side and ref. */
    private final Map<String, QuarantinedItem> stored = new LinkedHashMap<>();
    /** Records as they are now (stored, updated or new), by side and ref. */
    private final Map<String, QuarantinedItem> current = new LinkedHashMap<>();
    private final Map<String, QuarantinedItem> changed = new LinkedHashMap<>();
    private final Set<String> released = new HashSet<>();
    /** Side+ref of records whose item this run saw in another version, or saw gone. */
    private final Set<String> movedOn = new HashSet<>();

    Quarantine(SyncPair pair, List<QuarantinedItem> records, Clock clock) {
        this.pair = pair;
        this.clock = clock;
        for (QuarantinedItem q : records) {
            stored.put(id(q.side(), q.ref()), q);
            current.put(id(q.side(), q.ref()), q);
        }
    }

    /** Whether the item at {@code ref} in {@code version} is held back (it failed in this very version). */
    boolean holds(Side side, String ref, String version) {
        QuarantinedItem q = current.get(id(side, ref));
        return q != null && q.holds(ref, version);
    }

    /** The item at {@code ref} was seen this run in a version it is not held in, or seen gone. */
    void seen(Side side, String ref) {
        if (current.containsKey(id(side, ref))) {
            movedOn.add(id(side, ref));
        }
    }

    /**
     * The item failed on its own.
     *
     * @param permanent the failure is the item's for sure (unmappable, content refused): held at once
     * @return whether it is held now (then its failure does not keep the pair's cursors)
     */
    boolean failed(Side side, String ref, ItemKey key, String version, String summary, String reason, boolean permanent) {
        String id = id(side, ref);
        Instant now = clock.instant();
        QuarantinedItem before = current.get(id);
        boolean sameVersion = before != null && before.version().equals(version);
        int attempts = sameVersion ? before.attempts() + 1 : 1;
        boolean held = permanent || attempts >= HOLD_AFTER;
        QuarantinedItem record = new QuarantinedItem(pair, side, ref, key != null ? key : before == null ? null : before.key(),
                version, summary.isEmpty() && before != null ? before.summary() : summary, reason,
                before == null ? now : before.firstFailed(), now, attempts, held);
        current.put(id, record);
        changed.put(id, record);
        released.remove(id);
        movedOn.remove(id);
        if (held && !(sameVersion && before.held())) {
            LOG.warn("{} {}: quarantined {} item {}{}{} (version {}): {}. The rest of the {} syncs; this item is tried again"
                    + " when it changes: fix it in {} (or fix the cause and run nexchange:quarantine retry {} {})",
                    pair.mailbox(), kind(), Planner.name(side), ref, record.summary().isEmpty() ? "" : " '" + record.summary() + "'",
                    record.key() == null ? "" : " (" + record.key() + ")", version, reason, kind(), Planner.name(side),
                    pair.mailbox(), ref);
        }
        return held;
    }

    /**
     * The item's action succeeded this run: its records end if this run saw it in another version, or wrote it.
     *
     * @param written the sides the action wrote
     */
    void succeeded(ItemKey key, Set<Side> written) {
        for (Map.Entry<String, QuarantinedItem> e : current.entrySet()) {
            QuarantinedItem q = e.getValue();
            if (key.equals(q.key()) && !changed.containsKey(e.getKey())
                    && (movedOn.contains(e.getKey()) || written.contains(q.side()))) {
                released.add(e.getKey());
            }
        }
    }

    /** Ends the records of items this run saw in another version and had nothing to do for. */
    void settleUntouched(Set<ItemKey> acted) {
        for (String id : movedOn) {
            QuarantinedItem q = current.get(id);
            if (q != null && !changed.containsKey(id) && (q.key() == null || !acted.contains(q.key()))) {
                released.add(id);
            }
        }
    }

    /** Adds what changed since the last flush to {@code update}. */
    void flushInto(StatusUpdate update) {
        changed.values().forEach(update::quarantine);
        for (String id : released) {
            QuarantinedItem q = current.remove(id);
            if (q != null && stored.containsKey(id)) {
                update.release(q.side(), q.ref());
                LOG.info("{} {}: {} item {}{} synced, out of quarantine", pair.mailbox(), kind(), Planner.name(q.side()), q.ref(),
                        q.summary().isEmpty() ? "" : " '" + q.summary() + "'");
            }
            stored.remove(id);
        }
        changed.values().forEach(q -> stored.put(id(q.side(), q.ref()), q));
        changed.clear();
        released.clear();
    }

    /** How many items of the pair are held back now. */
    int held() {
        return (int) current.values().stream().filter(QuarantinedItem::held).count();
    }

    private static String id(Side side, String ref) {
        return side.name() + ' ' + ref;
    }

    private String kind() {
        return pair.kind().name().toLowerCase(Locale.ROOT);
    }
}
