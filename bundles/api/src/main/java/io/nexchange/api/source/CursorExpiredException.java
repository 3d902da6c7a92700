package io.nexchange.api.source;

/** The cursor is no longer valid; read again from {@link Cursor#INITIAL} and reconcile. */
public class CursorExpiredException extends StoreException {
    private static final long serialVersionUID = 1L;

    public CursorExpiredException(String message) {
        super(message, true);
    }
}
