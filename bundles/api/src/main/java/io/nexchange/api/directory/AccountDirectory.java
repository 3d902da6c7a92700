package io.nexchange.api.directory;

import io.nexchange.api.Mailbox;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Maps Exchange mailboxes to Nextcloud accounts by primary SMTP address: from Nextcloud's
 * provisioning API, from a mapping file, or from an enterprise's own directory bundle.
 *
 * <p>Thread-safe: one service serves every worker. {@link #resolve} may block for a request to the directory; a
 * directory that costs requests should cache answers for a configured time (the OCS directory caches per mailbox).
 * The engine uses the directory of the highest {@code service.ranking}.
 */
@ConsumerType
public interface AccountDirectory {

    /**
     * Resolves one mailbox: one account, none (unmapped) or several (ambiguous: the engine never guesses).
     *
     * @throws DirectoryException if the directory could not be read (then nothing is concluded about the mailbox)
     */
    Resolution resolve(Mailbox mailbox) throws DirectoryException;
}
