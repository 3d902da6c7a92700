package io.nexchange.api.source;

import java.util.Objects;

/**
 * This backend does not serve this mailbox, though another backend may: Graph's {@code MailboxNotEnabledForRESTAPI}
 * for a mailbox on the on-premises side of a hybrid organisation ({@link Reason#ELSEWHERE}), or EWS's HTTP 403 where
 * the tenant, the app or the mailbox has EWS switched off ({@link Reason#BLOCKED}). Not transient: the same request
 * fails again. The engine's automatic routing moves such a mailbox to another backend that serves it; the message
 * names the setting that decides it (for EWS: the tenant's {@code EWSEnabled} and the EWS application allow list).
 */
public class MailboxNotServedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Why the backend does not serve the mailbox. */
    public enum Reason {
        /** The mailbox lives where this backend does not reach (on-premises for Graph). */
        ELSEWHERE,
        /** The protocol is switched off for the tenant, the app or the mailbox (EWS in Exchange Online). */
        BLOCKED
    }

    private final Reason reason;

    public MailboxNotServedException(String message, Reason reason, Throwable cause) {
        super(message, false, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
