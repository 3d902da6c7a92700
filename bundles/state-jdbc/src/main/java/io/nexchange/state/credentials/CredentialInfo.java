package io.nexchange.state.credentials;

import java.time.Instant;

/**
 * What an operator may see of a stored credential: whose it is and when it was last set. Never the password.
 *
 * @param email the user's e-mail address (the key of the store)
 * @param username the Nextcloud login the app password belongs to
 * @param updatedAt when the credential was stored or last changed
 * @since 1.1
 */
public record CredentialInfo(String email, String username, Instant updatedAt) {
}
