package io.nexchange.nextcloud.internal;

import io.nexchange.api.Account;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavCredentials;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.state.credentials.CredentialException;
import io.nexchange.state.credentials.CredentialStore;
import io.nexchange.state.credentials.NextcloudCredential;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Logins from the encrypted credential store (imported with {@code nexchange:credentials import}): the app
 * password stored under the account's e-mail address wins; without one, the configured logins (app password
 * folder, service account) answer if they are configured. Read on every lookup, which the store makes only
 * for a new session or after a 401, so an imported replacement takes effect without a restart.
 *
 * <p>The stored login must be the account's user id (compared case-insensitively, as Nextcloud logs in):
 * a credential of another user would log in to that user's calendars and write there.
 */
public final class StoredCredentials implements DavCredentials {
    private final CredentialStore store;
    private final Optional<DavCredentials> configured;

    public StoredCredentials(CredentialStore store, Optional<DavCredentials> configured) {
        this.store = store;
        this.configured = configured;
    }

    @Override
    public DavLogin login(Account account) throws StoreException {
        Optional<NextcloudCredential> stored;
        try {
            stored = store.find(account.email());
        } catch (CredentialException e) {
            // a database that cannot be reached may come back; a wrong key file or a damaged value needs the operator
            throw new StoreException("Cannot read the stored app password of Nextcloud account '" + account.userId() + "' <"
                    + account.email() + ">: " + e.getMessage(), e.getCause() instanceof SQLException, e);
        }
        if (stored.isPresent()) {
            NextcloudCredential credential = stored.get();
            if (!credential.username().equalsIgnoreCase(account.userId())) {
                throw new StoreException("The app password stored for " + account.email() + " belongs to Nextcloud user '"
                        + credential.username() + "', but the account directory maps " + account.email() + " to user '"
                        + account.userId() + "': correct the line of " + account.email() + " (email,username,app_password) and"
                        + " import it again with nexchange:credentials import FILE.csv, or correct the account directory", false);
            }
            return new DavLogin(credential.username(), credential.appPassword());
        }
        String fix = "import an app password for " + account.userId() + " with nexchange:credentials import FILE.csv (a line "
                + account.email() + "," + account.userId() + ",APP_PASSWORD)";
        if (configured.isEmpty()) {
            throw new StoreException("No app password for Nextcloud account '" + account.userId() + "' <" + account.email()
                    + "> in the credential store: " + fix, false);
        }
        try {
            return configured.get().login(account);
        } catch (StoreException e) {
            throw new StoreException(e.getMessage() + "; or " + fix, e.isTransient(), e);
        }
    }
}
