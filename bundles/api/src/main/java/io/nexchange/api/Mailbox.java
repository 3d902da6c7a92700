package io.nexchange.api;

import java.util.Locale;
import java.util.Objects;

/**
 * An Exchange mailbox.
 *
 * @param id the directory object id (Graph user id); stable across renames
 * @param primarySmtp the primary SMTP address, the key that maps a mailbox to its Nextcloud account
 * @param displayName for people; may be empty
 */
public record Mailbox(String id, String primarySmtp, String displayName) {
    public Mailbox {
        Objects.requireNonNull(id, "id");
        primarySmtp = Addresses.normalize(primarySmtp);
        displayName = displayName == null ? "" : displayName;
    }

    @Override
    public String toString() {
        return primarySmtp;
    }

    /** Address normalisation shared by both sides of the mapping. */
    static final class Addresses {
        private Addresses() {}

        static String normalize(String address) {
            Objects.requireNonNull(address, "address");
            String trimmed = address.trim();
            if (trimmed.isEmpty() || trimmed.indexOf('@') <= 0 || trimmed.indexOf('@') == trimmed.length() - 1) {
                throw new IllegalArgumentException("not an e-mail address: '" + address + "'");
            }
            return trimmed.toLowerCase(Locale.ROOT);
        }
    }
}
