package io.nexchange.api.source;

import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import java.util.Objects;

/**
 * Whose collections a store opens: the mailbox on the Exchange side, the account on the Nextcloud side.
 * Both are carried so that a store can use whichever identity it needs.
 *
 * @param mailbox the Exchange mailbox
 * @param account the Nextcloud account it maps to
 */
public record Owner(Mailbox mailbox, Account account) {
    public Owner {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(account, "account");
    }

    @Override
    public String toString() {
        return mailbox.primarySmtp();
    }
}
