package io.nexchange.api.source;

import java.time.Instant;
import java.util.Objects;

/**
 * The server rejected the login of one account (HTTP 401), or the store holds that account back because the same
 * credentials were rejected before and their retry is not due. Only this account is affected; the message names the
 * account and how to give it new credentials, never a secret. A store tries again at {@link #retryAt()}, or at once
 * when the account's credentials change.
 */
public class CredentialsRejectedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final Instant retryAt;

    public CredentialsRejectedException(String message, Instant retryAt, Throwable cause) {
        super(message, false, cause);
        this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
    }

    /** When the store will try the same credentials again. */
    public Instant retryAt() {
        return retryAt;
    }
}
