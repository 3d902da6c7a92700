package io.nexchange.api.state;

import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One conflict the engine resolved: an item changed on both sides since the last sync, and a policy chose the side
 * whose version was kept. Both versions are kept, so an operator can see what was lost and bring it back
 * ({@link SyncStateStore#requestRestore}).
 *
 * @param id the store's id for it (0 in a record not stored yet, {@link StatusUpdate#conflict})
 * @param pair the pair the item belongs to
 * @param key the item
 * @param summary what a person knows the item by (subject, name), empty if unknown
 * @param winner the side whose version was kept (and written over the other side)
 * @param policy the policy that decided ({@code exchange-wins}, {@code direction exchange-to-nextcloud}, a resolver's name)
 * @param exchange the Exchange side's version as the conflict found it
 * @param nextcloud the Nextcloud side's version as the conflict found it
 * @param at when it was resolved
 * @param restore the operator's restore of the losing version, if one was asked for
 * @since 1.4
 */
public record ConflictRecord(long id, SyncPair pair, ItemKey key, String summary, Side winner, String policy,
        Version exchange, Version nextcloud, Instant at, Restore restore) {
    public ConflictRecord {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(winner, "winner");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(nextcloud, "nextcloud");
        Objects.requireNonNull(at, "at");
    }

    /**
     * One side's version of the item.
     *
     * @param ref where that side keeps it (Graph id, resource href)
     * @param version that side's version token (changeKey, ETag)
     * @param content the item as that side had it
     */
    public record Version(String ref, String version, ItemContent content) {
        public Version {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * An operator's restore of the losing version.
     *
     * @param requestedBy who asked for it (console login, shell user)
     * @param requestedAt when
     * @param doneAt when the engine wrote it back, null while it waits for the pair's next run
     */
    public record Restore(String requestedBy, Instant requestedAt, Instant doneAt) {
        public Restore {
            Objects.requireNonNull(requestedBy, "requestedBy");
            Objects.requireNonNull(requestedAt, "requestedAt");
        }

        public boolean done() {
            return doneAt != null;
        }
    }

    /** The side that lost. */
    public Side loser() {
        return winner.other();
    }

    /** A side's version. */
    public Version version(Side side) {
        return side == Side.EXCHANGE ? exchange : nextcloud;
    }

    /** The version the policy did not keep. */
    public Version losing() {
        return version(loser());
    }

    public Optional<Restore> restoration() {
        return Optional.ofNullable(restore);
    }

    /** Whether a restore was asked for and not carried out yet. */
    public boolean restoreDue() {
        return restore != null && !restore.done();
    }
}
