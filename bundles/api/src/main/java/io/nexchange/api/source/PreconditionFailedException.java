package io.nexchange.api.source;

/** A conditional write failed: the item changed (or appeared, or vanished) since the caller read it. */
public class PreconditionFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(String message) {
        super(message, false);
    }
}
