package io.nexchange.api.directory;

import io.nexchange.api.Mailbox;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Maps Exchange mailboxes to Nextcloud accounts by primary SMTP address: from Nextcloud's
 * provisioning API, from a mapping file, or from an enterprise's own directory bundle.
 */
@ConsumerType
public interface AccountDirectory {

    /**
     * Resolves one mailbox.
     *
     * @throws DirectoryException if the directory could not be read (then nothing is concluded about the mailbox)
     */
    Resolution resolve(Mailbox mailbox) throws DirectoryException;
}
