package io.nexchange.engine.internal;

import io.nexchange.api.source.Cursor;

/**
 * Cursors are stored as {@code <backend>|<cursor>}: a cursor remembers which backend issued it. When the mailbox's
 * configured backend changes (EWS to Graph), the stored cursor is meaningless to the new backend, so it reads from
 * {@link Cursor#INITIAL}: a full listing matched against the status rows by ItemKey. The pair itself is keyed by the
 * logical collection (see {@link MailboxSync}), not by the backend's folder id, so the status survives the switch.
 *
 * <p>When item transformers apply to what is read from this side ({@link Rendering}), their fingerprint goes along:
 * {@code <backend>@<fingerprint>|<cursor>}. A different fingerprint at the next run means the transformers changed:
 * the side is read in full and its items are rendered again ({@link ChangeReader}).
 */
final class BackendCursor {
    static final char SEPARATOR = '|';
    static final char RENDERING = '@';

    private BackendCursor() {}

    static Cursor wrap(String backend, Cursor cursor) {
        return wrap(backend, "", cursor);
    }

    static Cursor wrap(String backend, String rendering, Cursor cursor) {
        if (cursor.isInitial()) {
            return Cursor.INITIAL;
        }
        return new Cursor(backend + (rendering.isEmpty() ? "" : RENDERING + rendering) + SEPARATOR + cursor.value());
    }

    /** The backend's own cursor, or INITIAL if none is stored or another backend issued it. */
    static Cursor unwrap(String backend, Cursor stored) {
        int at = stored.value().indexOf(SEPARATOR);
        return at >= 0 && issuer(stored).equals(backend) ? new Cursor(stored.value().substring(at + 1)) : Cursor.INITIAL;
    }

    /** The backend that issued a stored cursor, or empty for none. */
    static String issuer(Cursor stored) {
        String prefix = prefix(stored);
        int mark = prefix.indexOf(RENDERING);
        return mark < 0 ? prefix : prefix.substring(0, mark);
    }

    /** The transformers' fingerprint stored with the cursor, or empty for none. */
    static String rendering(Cursor stored) {
        String prefix = prefix(stored);
        int mark = prefix.indexOf(RENDERING);
        return mark < 0 ? "" : prefix.substring(mark + 1);
    }

    private static String prefix(Cursor stored) {
        int at = stored.value().indexOf(SEPARATOR);
        return at < 0 ? "" : stored.value().substring(0, at);
    }
}
