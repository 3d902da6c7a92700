package io.nexchange.api.source;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One backend for one or more collection kinds: Graph calendar, Graph contacts, EWS, a DAV server, a
 * local vdir. Registered as an OSGi service with the property {@value #BACKEND} naming the backend
 * ({@code graph}, {@code ews}, {@code caldav}, ...) and {@value #SIDE} telling which side it serves
 * ({@code exchange} or {@code nextcloud}); the engine picks stores by these properties, so a backend is
 * swapped by configuration without code knowing the implementation.
 */
@ConsumerType
public interface ItemStore {
    /** Service property: the backend name, for example {@code graph}. */
    String BACKEND = "nexchange.backend";
    /** Service property: {@code exchange} or {@code nextcloud}. */
    String SIDE = "nexchange.side";

    /** The kinds of collections this store serves. */
    Set<CollectionKind> kinds();

    /** Lists the owner's collections of a kind. */
    List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException;

    /**
     * Finds the owner's collection of this kind named {@code name}, creating it when missing (CalDAV
     * MKCALENDAR, CardDAV extended MKCOL). An empty name means the owner's default collection.
     */
    CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException;

    /** A reader of changes of one collection. */
    ItemSource source(Owner owner, CollectionRef collection) throws StoreException;

    /** A writer into one collection. */
    ItemTarget target(Owner owner, CollectionRef collection) throws StoreException;
}
