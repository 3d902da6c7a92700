package io.nexchange.api.source;

/**
 * The store refused this one item, for a reason of the item's own that the same content would meet again: it cannot be
 * mapped into the store's model (an RRULE Exchange cannot hold, a broken iCalendar object or vCard), or the server
 * refused its content (HTTP 400, 415, 422, a CalDAV/CardDAV precondition on the data). Other items are not affected;
 * the engine quarantines this item until it changes, and the rest of the pair syncs. Never for a failure of the
 * connection, the login, the rights or the server as a whole: those are plain {@link StoreException}s.
 *
 * @since 1.2
 */
public class ItemRejectedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ItemRejectedException(String message, Throwable cause) {
        super(message, false, cause);
    }

    public ItemRejectedException(String message) {
        this(message, null);
    }
}
