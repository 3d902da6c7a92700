package io.nexchange.api.state;

import io.nexchange.api.CollectionKind;
import java.util.Objects;

/**
 * One collection on the Exchange side kept in step with one collection on the Nextcloud side.
 *
 * @param mailbox the mailbox's primary SMTP address
 * @param kind calendar or contacts
 * @param exchangeCollection the Exchange collection id (calendar or contact folder id)
 * @param nextcloudCollection the Nextcloud collection URL
 */
public record SyncPair(String mailbox, CollectionKind kind, String exchangeCollection, String nextcloudCollection) {
    public SyncPair {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(exchangeCollection, "exchangeCollection");
        Objects.requireNonNull(nextcloudCollection, "nextcloudCollection");
    }
}
