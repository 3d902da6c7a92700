package io.nexchange.api.state;

/** The two sides of every sync pair. */
public enum Side {
    /** Microsoft Exchange (Graph or EWS). */
    EXCHANGE,
    /** Nextcloud (CalDAV / CardDAV) or another DAV-like sink. */
    NEXTCLOUD;

    public Side other() {
        return this == EXCHANGE ? NEXTCLOUD : EXCHANGE;
    }
}
