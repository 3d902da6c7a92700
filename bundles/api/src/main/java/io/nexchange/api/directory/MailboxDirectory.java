package io.nexchange.api.directory;

import io.nexchange.api.Mailbox;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Lists the mailboxes of the Exchange organisation that are in scope for sync (after filters).
 *
 * <p>Called by the scheduler once per cycle, from one thread at a time but not always the same one: implementations
 * must be thread-safe. May block for the directory's requests (paged); may cache between cycles. A
 * {@link DirectoryException} skips the cycle with the message logged; nothing is concluded about any mailbox.
 */
@ConsumerType
public interface MailboxDirectory {

    /**
     * All mailboxes in scope, in a stable order.
     *
     * @throws DirectoryException if the list could not be read (the message names the setting or permission to fix)
     */
    List<Mailbox> mailboxes() throws DirectoryException;
}
