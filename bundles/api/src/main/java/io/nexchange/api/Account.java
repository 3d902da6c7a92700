package io.nexchange.api;

import java.util.Objects;

/**
 * A Nextcloud account.
 *
 * @param userId the Nextcloud login (the user id in DAV principal URLs)
 * @param email the account's e-mail address, normalised to lower case; equals the mailbox's primary SMTP address
 * @param displayName for people; may be empty
 */
public record Account(String userId, String email, String displayName) {
    public Account {
        Objects.requireNonNull(userId, "userId");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("userId is blank");
        }
        email = Mailbox.Addresses.normalize(email);
        displayName = displayName == null ? "" : displayName;
    }

    @Override
    public String toString() {
        return userId + " <" + email + ">";
    }
}
