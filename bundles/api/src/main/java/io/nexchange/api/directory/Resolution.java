package io.nexchange.api.directory;

import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a mailbox maps to Nextcloud: to exactly one account, to none, or to several (which is
 * reported, never guessed).
 *
 * @param mailbox the mailbox asked about
 * @param candidates the accounts whose address matches; one for a mapping
 */
public record Resolution(Mailbox mailbox, List<Account> candidates) {
    public Resolution {
        Objects.requireNonNull(mailbox, "mailbox");
        candidates = List.copyOf(candidates);
    }

    public Optional<Account> account() {
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    public boolean isUnmapped() {
        return candidates.isEmpty();
    }

    public boolean isAmbiguous() {
        return candidates.size() > 1;
    }
}
