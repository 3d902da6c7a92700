package io.nexchange.state.credentials;

import java.io.Reader;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Nextcloud app passwords per user, encrypted at rest with AES-256-GCM under a key kept in a key file
 * beside the database (never in it). Instances sharing a database must share the key file.
 */
@ProviderType
public interface CredentialStore {

    /** The credential of a user, empty if none is stored. */
    Optional<NextcloudCredential> find(String email) throws CredentialException;

    /** Stores or replaces the credential of {@link NextcloudCredential#email()}. */
    void put(NextcloudCredential credential) throws CredentialException;

    /** @return whether a credential was stored */
    boolean remove(String email) throws CredentialException;

    /** The e-mail addresses that have a credential, sorted. */
    List<String> emails() throws CredentialException;

    /**
     * Every stored credential without its password, sorted by e-mail: for operators' listings.
     *
     * @since 1.1
     */
    List<CredentialInfo> list() throws CredentialException;

    /**
     * Imports {@code email,username,app_password} lines (an optional header line with exactly these names;
     * RFC 4180 quoting; blank lines ignored). All or nothing: any bad line rejects the whole file. A line
     * equal to the stored credential (same login and app password) is counted as unchanged and not rewritten.
     *
     * @throws CsvImportException listing every bad line by number and field
     */
    CsvImportResult importCsv(Reader csv) throws CredentialException;
}
