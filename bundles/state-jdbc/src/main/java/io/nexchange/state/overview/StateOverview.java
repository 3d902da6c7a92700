package io.nexchange.state.overview;

import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncPair;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Read-only queries over the sync state, for operators. */
@ProviderType
public interface StateOverview {

    /** Every known pair, ordered by mailbox. */
    List<SyncPair> pairs() throws StateException;

    /** One mailbox's pairs with counts, cursors, last commit and lease; empty pairs if unknown. */
    MailboxSummary summary(String mailbox) throws StateException;

    /** Every mailbox that has pairs or a lease row, ordered by address. */
    List<MailboxSummary> summaries() throws StateException;
}
