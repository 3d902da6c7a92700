package io.nexchange.engine.internal;

import io.nexchange.api.source.Cursor;

/**
 * Cursors are stored as {@code <backend>|<cursor>}: a cursor remembers which backend issued it. When the mailbox's
 * configured backend changes (EWS to Graph), the stored cursor is meaningless to the new backend, so it reads from
 * {@link Cursor#INITIAL}: a full listing matched against the status rows by ItemKey. The pair itself is keyed by the
 * logical collection (see {@link MailboxSync}), not by the backend's folder id, so the status survives the switch.
 */
final class BackendCursor {
    static final char SEPARATOR = '|';

    private BackendCursor() {}

    static Cursor wrap(String backend, Cursor cursor) {
        return cursor.isInitial() ? Cursor.INITIAL : new Cursor(backend + SEPARATOR + cursor.value());
    }

    /** The backend's own cursor, or INITIAL if none is stored or another backend issued it. */
    static Cursor unwrap(String backend, Cursor stored) {
        String value = stored.value();
        String prefix = backend + SEPARATOR;
        return value.startsWith(prefix) ? new Cursor(value.substring(prefix.length())) : Cursor.INITIAL;
    }

    /** The backend that issued a stored cursor, or empty for none. */
    static String issuer(Cursor stored) {
        int at = stored.value().indexOf(SEPARATOR);
        return at < 0 ? "" : stored.value().substring(0, at);
    }
}
