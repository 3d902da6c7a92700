package io.nexchange.state.overview;

import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The stored state of one pair.
 *
 * @param pair the pair
 * @param items number of status rows
 * @param cursors the sides that have a stored cursor (a side without one starts with a full read)
 * @param lastCommitAt when an update was last committed; null if never
 */
public record PairSummary(SyncPair pair, long items, Set<Side> cursors, Instant lastCommitAt) {
    public PairSummary {
        cursors = Set.copyOf(cursors);
    }

    public Optional<Instant> lastCommit() {
        return Optional.ofNullable(lastCommitAt);
    }
}
