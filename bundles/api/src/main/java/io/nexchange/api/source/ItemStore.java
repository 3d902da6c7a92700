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
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threading.</b> One store instance serves every worker of the engine at once (one mailbox per worker), so
 *       every method must be thread-safe. The sources and targets it hands out are used by one thread at a time.
 *   <li><b>Blocking.</b> Methods block for the requests they make (plus throttling waits within the throttling
 *       policy's limits); none may wait without bound. They must not start threads that outlive the call.
 *   <li><b>Caching.</b> A store may cache per-owner lookups that cost a request (the default folder's id, a
 *       principal URL) for the life of the service; it must not cache items or versions: the engine's status is the
 *       only memory of what was synced.
 *   <li><b>Exceptions.</b> {@link StoreException} with an operator-readable message for every failure;
 *       {@link StoreException#isTransient()} tells a retry later (network, 5xx, throttling) from a setup error (401,
 *       403, a missing collection). A {@link RuntimeException} is a bug: the engine reports the mailbox FAILED with it.
 *       Messages and exceptions never carry secrets or tokens.
 *   <li><b>Lifecycle.</b> The service may go away at any time (configuration change, bundle update); the engine
 *       looks stores up per run and tolerates a call failing because of it.
 * </ul>
 */
@ConsumerType
public interface ItemStore {
    /** Service property: the backend name, for example {@code graph}. */
    String BACKEND = "nexchange.backend";
    /** Service property: {@code exchange} or {@code nextcloud}. */
    String SIDE = "nexchange.side";

    /** The kinds of collections this store serves. */
    Set<CollectionKind> kinds();

    /**
     * Lists the owner's collections of a kind: the default one first (marked {@link CollectionRef#isDefault()}),
     * then the others if the store is set to list them.
     *
     * @throws StoreException if the collections could not be listed (the kind is skipped for this owner this cycle)
     */
    List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException;

    /**
     * Finds the owner's collection of this kind named {@code name}, creating it when missing (CalDAV
     * MKCALENDAR, CardDAV extended MKCOL). An empty name means the owner's default collection. Idempotent: called
     * every cycle, it creates at most once.
     *
     * @throws StoreException if it could neither be found nor created (the message names the missing right or setting)
     */
    CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException;

    /**
     * A reader of changes of one collection, for one pair run (one thread). Cheap: it makes no request itself.
     *
     * @throws StoreException if the collection cannot be opened
     */
    ItemSource source(Owner owner, CollectionRef collection) throws StoreException;

    /**
     * A writer into one collection, for one pair run (one thread). Cheap: it makes no request itself.
     *
     * @throws StoreException if the collection cannot be opened
     */
    ItemTarget target(Owner owner, CollectionRef collection) throws StoreException;
}
