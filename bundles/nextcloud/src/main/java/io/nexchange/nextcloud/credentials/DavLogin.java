package io.nexchange.nextcloud.credentials;

import io.nexchange.api.auth.Secret;
import java.util.Objects;

/**
 * A DAV login: the user name sent in HTTP Basic authentication and the password, kept as a
 * {@link Secret} so that it prints masked.
 *
 * @param username the login name (the Nextcloud user id, or a service account)
 * @param password the app password
 */
public record DavLogin(String username, Secret password) {
    public DavLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username is blank");
        }
    }
}
