package io.nexchange.graph.client;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.throttling.RegistrationAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every Graph {@link ItemStore} does alike, for one kind of collection: a mailbox is served by the app
 * registration the rendezvous hash assigns it (addressed by primary SMTP address, the throttling key); its default
 * collection is read once (its id never changes, so an idle cycle is one delta request per collection: Graph's
 * budget per mailbox is 10,000 requests per 10 minutes); collections are listed and found or created by name.
 * A subclass says how its collections are read and created, and makes sources and targets. Thread-safe: one store
 * serves all workers.
 *
 * @since 1.2
 */
public abstract class GraphItemStore implements ItemStore {

    private final GraphClients clients;
    private final RegistrationAssignment registrations;
    private final CollectionKind kind;
    private final String permission;
    private final boolean allCollections;
    /** The default collection of each mailbox (lower-case SMTP address). */
    private final Map<String, CollectionRef> defaults = new ConcurrentHashMap<>();

    /**
     * @param permission the application permission the calls need ({@code Calendars.ReadWrite}), for messages
     * @param allCollections whether {@link #collections} lists every collection of the kind or only the default one
     */
    protected GraphItemStore(GraphClients clients, RegistrationAssignment registrations, CollectionKind kind, String permission,
            boolean allCollections) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.registrations = Objects.requireNonNull(registrations, "registrations");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.permission = Objects.requireNonNull(permission, "permission");
        this.allCollections = allCollections;
    }

    /** The mailbox's default collection, read from Graph (once per mailbox). */
    protected abstract CollectionRef readDefault(GraphServiceClient graph, String mailbox, GraphCall call) throws StoreException;

    /** Every collection of the mailbox, {@link CollectionRef#isDefault()} set where Graph says so. */
    protected abstract List<CollectionRef> readAll(GraphServiceClient graph, String mailbox, GraphCall call) throws StoreException;

    /** Creates a collection of this name. */
    protected abstract CollectionRef create(GraphServiceClient graph, String mailbox, GraphCall call, String name) throws StoreException;

    protected abstract ItemSource newSource(GraphServiceClient graph, String mailbox, CollectionRef collection) throws StoreException;

    protected abstract ItemTarget newTarget(GraphServiceClient graph, String mailbox, CollectionRef collection) throws StoreException;

    @Override
    public final Set<CollectionKind> kinds() {
        return Set.of(kind);
    }

    /** The client of the app registration that serves this mailbox. */
    protected final GraphServiceClient graph(Owner owner) throws StoreException {
        String registration = registrations.assign(owner.mailbox().primarySmtp());
        try {
            return clients.forRegistration(registration);
        } catch (AuthException e) {
            throw new StoreException("Cannot reach Graph for " + owner + ": " + e.getMessage(), e.isTransient(), e);
        }
    }

    @Override
    public final List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        requireKind(kind);
        GraphServiceClient graph = graph(owner);
        String mailbox = owner.mailbox().primarySmtp();
        GraphCall call = new GraphCall(mailbox, permission);
        String cacheKey = mailbox.toLowerCase(Locale.ROOT);
        CollectionRef primary = defaults.get(cacheKey);
        if (primary == null) {
            primary = readDefault(graph, mailbox, call);
            defaults.put(cacheKey, primary);
        }
        List<CollectionRef> out = new ArrayList<>();
        out.add(primary);
        if (allCollections) {
            for (CollectionRef c : readAll(graph, mailbox, call)) {
                if (!c.id().equals(primary.id())) {
                    out.add(new CollectionRef(c.kind(), c.id(), c.displayName(), false));
                }
            }
        }
        return out;
    }

    @Override
    public final CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        requireKind(kind);
        if (name == null || name.isEmpty()) {
            return collections(owner, kind).get(0);
        }
        GraphServiceClient graph = graph(owner);
        String mailbox = owner.mailbox().primarySmtp();
        GraphCall call = new GraphCall(mailbox, permission);
        for (CollectionRef c : readAll(graph, mailbox, call)) {
            if (name.equals(c.displayName())) {
                return c;
            }
        }
        return create(graph, mailbox, call, name);
    }

    @Override
    public final ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        requireKind(collection.kind());
        return newSource(graph(owner), owner.mailbox().primarySmtp(), collection);
    }

    @Override
    public final ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        requireKind(collection.kind());
        return newTarget(graph(owner), owner.mailbox().primarySmtp(), collection);
    }

    private void requireKind(CollectionKind requested) {
        if (requested != kind) {
            throw new IllegalArgumentException("this Graph store serves " + kind + " collections, not " + requested);
        }
    }
}
