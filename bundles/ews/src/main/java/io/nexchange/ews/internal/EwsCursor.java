package io.nexchange.ews.internal;

import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;

/**
 * What an EWS cursor carries: the SyncState to continue from and whether the round it belongs to lists everything
 * (it began from the start or after a dead sync state). Prefixed so that a cursor of another backend (after a
 * switch from Graph) is recognised and the folder read again instead of being sent to EWS.
 */
record EwsCursor(String syncState, boolean complete) {
    private static final String PREFIX = "ews:1:";

    static EwsCursor parse(Cursor cursor, String what) throws CursorExpiredException {
        if (cursor.isInitial()) {
            return new EwsCursor("", true);
        }
        String v = cursor.value();
        if (!v.startsWith(PREFIX) || v.length() < PREFIX.length() + 2) {
            throw new CursorExpiredException("The cursor of " + what + " was not written by the EWS store (a backend switch); the "
                    + "folder is read again from the start");
        }
        return new EwsCursor(v.substring(PREFIX.length() + 2), v.charAt(PREFIX.length()) == 'C');
    }

    Cursor toCursor() {
        return new Cursor(PREFIX + (complete ? 'C' : 'I') + ':' + syncState);
    }
}
