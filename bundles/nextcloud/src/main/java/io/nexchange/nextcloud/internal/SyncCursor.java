package io.nexchange.nextcloud.internal;

import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a DAV {@link Cursor} holds. Three shapes, each with a prefix so that an old or foreign cursor is
 * recognised as unusable instead of being sent to the server:
 * <ul>
 *   <li>{@code sync@<seconds>:<token>}: the server's RFC 6578 sync-token after a finished round, and when the
 *       collection was last listed in full (epoch seconds): the store lists it again after {@code fullListingHours}
 *       ({@code sync:<token>}, from before that, has no such time: it gets one on its next round);
 *   <li>{@code list:<token>:<after>}: a listing round in progress: the sync-token captured when it began
 *       (empty if the server has none) and the last member href handed out (both base64url);
 *   <li>{@code full:}: the server has no sync-token for this collection; every round lists it all again.
 * </ul>
 */
record SyncCursor(Type type, String token, String afterHref, long listedAt) {
    enum Type { INITIAL, SYNC, LIST, FULL }

    /** No time of the last full listing: a cursor from before this was recorded. */
    static final long NEVER_RECORDED = 0;

    SyncCursor(Type type, String token, String afterHref) {
        this(type, token, afterHref, NEVER_RECORDED);
    }

    static SyncCursor parse(Cursor cursor) throws CursorExpiredException {
        String value = cursor.value();
        if (cursor.isInitial()) {
            return new SyncCursor(Type.INITIAL, "", "");
        }
        if (value.startsWith("sync@")) {
            int colon = value.indexOf(':');
            if (colon > 5 && colon < value.length() - 1) {
                try {
                    return new SyncCursor(Type.SYNC, value.substring(colon + 1), "", Long.parseLong(value.substring(5, colon)));
                } catch (NumberFormatException e) {
                    // falls through to the expired answer
                }
            }
        }
        if (value.startsWith("sync:") && value.length() > 5) {
            return new SyncCursor(Type.SYNC, value.substring(5), "");
        }
        if (value.equals("full:")) {
            return new SyncCursor(Type.FULL, "", "");
        }
        if (value.startsWith("list:")) {
            String[] parts = value.substring(5).split(":", -1);
            if (parts.length == 2) {
                try {
                    return new SyncCursor(Type.LIST, decode(parts[0]), decode(parts[1]));
                } catch (IllegalArgumentException e) {
                    // falls through to the expired answer
                }
            }
        }
        throw new CursorExpiredException("The stored DAV cursor is not one this version understands; reading the collection again");
    }

    static Cursor sync(String token) {
        return new Cursor("sync:" + token);
    }

    /** @param listedAt when the collection was last listed in full, epoch seconds */
    static Cursor sync(String token, long listedAt) {
        return new Cursor("sync@" + listedAt + ":" + token);
    }

    static Cursor list(String token, String afterHref) {
        return new Cursor("list:" + encode(token) + ":" + encode(afterHref));
    }

    static Cursor full() {
        return new Cursor("full:");
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
    }
}
