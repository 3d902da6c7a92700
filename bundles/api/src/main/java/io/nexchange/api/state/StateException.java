package io.nexchange.api.state;

/** The state store failed (database unreachable, constraint violated). Nothing of the failed call was applied. */
public class StateException extends Exception {
    private static final long serialVersionUID = 1L;

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
