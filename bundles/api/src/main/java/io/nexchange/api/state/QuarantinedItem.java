package io.nexchange.api.state;

import io.nexchange.api.item.ItemKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An item that failed on its own, kept apart so that the rest of its pair syncs and the pair's cursors move on. It is
 * identified by the side it lives on and its ref there; it is tried again only when it shows up in another version (it
 * was edited, or an operator asked for a retry), and a successful sync of it ends the quarantine.
 *
 * @param pair the pair the item belongs to
 * @param side the side the item was read from (its source), whose version is remembered
 * @param ref where that side keeps it (Graph id, resource href)
 * @param key its key when known (an item that cannot be read may not tell its UID), else null
 * @param version that side's version of the item that failed (changeKey, ETag); a different version is tried again
 * @param summary what a person knows the item by (subject, summary, name), empty if unknown
 * @param reason why it failed, for the operator (never a secret)
 * @param firstFailed when this item (in any version) first failed
 * @param lastFailed when it last failed
 * @param attempts how many sync runs failed on it since it first failed
 * @param held whether it is held back: the failure is permanent (the item cannot be mapped, the server refused its
 *     content) or repeated; until then the pair is retried whole each cycle, its cursors kept
 * @since 1.2
 */
public record QuarantinedItem(SyncPair pair, Side side, String ref, ItemKey key, String version, String summary,
        String reason, Instant firstFailed, Instant lastFailed, int attempts, boolean held) {
    public QuarantinedItem {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(firstFailed, "firstFailed");
        Objects.requireNonNull(lastFailed, "lastFailed");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
    }

    public Optional<ItemKey> itemKey() {
        return Optional.ofNullable(key);
    }

    /** Whether this record holds back the item in {@code observedVersion} at {@code observedRef}. */
    public boolean holds(String observedRef, String observedVersion) {
        return held && ref.equals(observedRef) && version.equals(observedVersion);
    }
}
