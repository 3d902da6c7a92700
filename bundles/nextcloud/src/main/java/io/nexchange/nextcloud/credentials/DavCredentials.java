package io.nexchange.nextcloud.credentials;

import io.nexchange.api.Account;
import io.nexchange.api.source.StoreException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Looks up how to log in to the DAV server for one Nextcloud account: normally the account's own login
 * with a per-user app password (Nextcloud: Settings, Security, "Create new app password").
 *
 * <p>Called from the engine's worker threads, possibly concurrently, before the first request for an
 * account and again after the server rejected the login (so a rotated app password is picked up without a
 * restart). Implementations must be thread-safe and may block briefly (a file or database read).
 */
@ConsumerType
public interface DavCredentials {

    /**
     * The login for this account.
     *
     * @throws StoreException if there is none; the message names the account and what to configure,
     *     and never contains a secret
     */
    DavLogin login(Account account) throws StoreException;
}
