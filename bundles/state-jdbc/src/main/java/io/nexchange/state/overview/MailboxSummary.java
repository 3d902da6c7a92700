package io.nexchange.state.overview;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The stored state of one mailbox.
 *
 * @param mailbox the primary SMTP address
 * @param pairs its pairs
 * @param lease its lease row; null if no instance holds or held one
 */
public record MailboxSummary(String mailbox, List<PairSummary> pairs, LeaseInfo lease) {
    public MailboxSummary {
        Objects.requireNonNull(mailbox, "mailbox");
        pairs = List.copyOf(pairs);
    }

    public Optional<LeaseInfo> leaseInfo() {
        return Optional.ofNullable(lease);
    }

    public long items() {
        return pairs.stream().mapToLong(PairSummary::items).sum();
    }

    /** The latest commit of any of its pairs. */
    public Optional<Instant> lastCommit() {
        return pairs.stream().map(PairSummary::lastCommitAt).filter(Objects::nonNull).max(Comparator.naturalOrder());
    }
}
