package io.nexchange.state.credentials;

import io.nexchange.api.auth.Secret;
import java.util.Locale;
import java.util.Objects;

/**
 * How Nexchange logs in to Nextcloud on behalf of one user.
 *
 * @param email the user's e-mail address (the mailbox's primary SMTP address), normalised to lower case
 * @param username the Nextcloud login
 * @param appPassword the Nextcloud app password; prints as a mask
 */
public record NextcloudCredential(String email, String username, Secret appPassword) {
    public NextcloudCredential {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(appPassword, "appPassword");
        email = email.trim().toLowerCase(Locale.ROOT);
        if (email.indexOf('@') <= 0 || email.indexOf('@') == email.length() - 1) {
            throw new IllegalArgumentException("not an e-mail address: '" + email + "'");
        }
        if (username.isBlank()) {
            throw new IllegalArgumentException("Nextcloud username of " + email + " is blank");
        }
        if (appPassword.isEmpty()) {
            throw new IllegalArgumentException("app password of " + email + " is empty");
        }
    }
}
