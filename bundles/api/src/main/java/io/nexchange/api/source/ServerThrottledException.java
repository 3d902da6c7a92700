package io.nexchange.api.source;

import java.time.Duration;
import java.util.Objects;

/**
 * The server throttles every request of this connector (HTTP 429: a rate limit, or brute-force protection blocking
 * the connector's address), so every account waits, not only the one whose request was refused. Transient: the
 * caller stops the work in hand without treating anything as failed or missing, keeps its cursors and state, and
 * comes back after {@link #retryAfter()}.
 */
public class ServerThrottledException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public ServerThrottledException(String message, Duration retryAfter, Throwable cause) {
        super(message, true, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** How long the store holds every request back from now. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
