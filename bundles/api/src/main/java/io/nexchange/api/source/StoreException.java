package io.nexchange.api.source;

/**
 * A failure of a store, with a message written for the operator: what went wrong and, where known,
 * which setting or setup step fixes it. Messages never contain secrets or tokens.
 */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    public StoreException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public StoreException(String message, boolean transientFailure) {
        this(message, transientFailure, null);
    }

    /** Whether retrying later may succeed (network, 5xx, throttling), as opposed to a setup error. */
    public boolean isTransient() {
        return transientFailure;
    }
}
