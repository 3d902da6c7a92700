package io.nexchange.graph.client;

import io.nexchange.api.auth.AuthException;
import java.util.Objects;

/**
 * A token could not be had for a Graph request. Unchecked because it leaves through the SDK's request
 * methods; callers unwrap {@link #authException()}, whose message names the Entra setup step to fix.
 */
public final class GraphTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GraphTokenException(AuthException cause) {
        super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
    }

    public AuthException authException() {
        return (AuthException) getCause();
    }

    /** The AuthException somewhere in {@code failure}'s cause chain, or null. */
    public static AuthException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthException auth) {
                return auth;
            }
        }
        return null;
    }
}
