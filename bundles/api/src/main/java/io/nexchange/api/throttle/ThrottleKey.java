package io.nexchange.api.throttle;

import java.util.Objects;

/**
 * The unit Microsoft throttles by: one app registration acting on one mailbox.
 *
 * @param registration the app registration (or EWS service account) name
 * @param mailbox the mailbox's primary SMTP address, or {@code ""} for tenant-wide calls such as {@code /users}
 */
public record ThrottleKey(String registration, String mailbox) {
    public ThrottleKey {
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(mailbox, "mailbox");
    }
}
