package io.nexchange.api.directory;

import io.nexchange.api.Mailbox;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Lists the mailboxes of the Exchange organisation that are in scope for sync (after filters). */
@ConsumerType
public interface MailboxDirectory {

    /** All mailboxes in scope, in a stable order. */
    List<Mailbox> mailboxes() throws DirectoryException;
}
