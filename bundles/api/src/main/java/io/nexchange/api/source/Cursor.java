package io.nexchange.api.source;

import java.util.Objects;

/**
 * An opaque position in a collection's change history: a Graph deltaLink, an EWS SyncState, a DAV
 * sync-token. Only the source that issued it interprets it.
 *
 * @param value the opaque token; empty for {@link #INITIAL}
 */
public record Cursor(String value) {
    /** Before the first sync: the next read lists everything. */
    public static final Cursor INITIAL = new Cursor("");

    public Cursor {
        Objects.requireNonNull(value, "value");
    }

    public boolean isInitial() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        // delta links carry tokens that are as good as a credential for this mailbox's changes
        return isInitial() ? "Cursor[initial]" : "Cursor[" + value.length() + " chars]";
    }
}
