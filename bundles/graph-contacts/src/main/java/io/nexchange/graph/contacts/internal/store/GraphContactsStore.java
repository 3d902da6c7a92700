package io.nexchange.graph.contacts.internal.store;

import com.microsoft.graph.models.ContactFolder;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.client.GraphClients;
import io.nexchange.throttling.RegistrationAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Exchange contacts through Microsoft Graph.
 *
 * <p><b>ItemKey = the contact's REST id, not its immutable id.</b> The key must be the same whether EWS or Graph
 * read the contact. An EWS ItemId and a Graph REST id are the same bytes in two base64 spellings (REST is the
 * URL-safe one), so an EWS store converts its ids locally and both agree with no request. Immutable ids
 * ({@code Prefer: IdType="ImmutableId"}) are a different identifier: matching them with EWS ids would take a
 * translateExchangeIds call per item. The price of REST ids — a contact moved to another folder gets a new id —
 * does not arise within one folder's sync (delta reports a move as removal + addition anyway).
 */
public final class GraphContactsStore implements ItemStore {

    private final GraphClients clients;
    private final RegistrationAssignment registrations;
    private final int pageSize;
    private final boolean allFolders;
    /** The default contact folder of each mailbox, read once (its id never changes): an idle cycle is one delta request. */
    private final java.util.Map<String, CollectionRef> defaultFolders = new java.util.concurrent.ConcurrentHashMap<>();

    public GraphContactsStore(GraphClients clients, RegistrationAssignment registrations, int pageSize, boolean allFolders) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.registrations = Objects.requireNonNull(registrations, "registrations");
        this.pageSize = pageSize;
        this.allFolders = allFolders;
    }

    @Override
    public Set<CollectionKind> kinds() {
        return Set.of(CollectionKind.CONTACTS);
    }

    private GraphServiceClient graph(Owner owner) throws StoreException {
        String registration = registrations.assign(owner.mailbox().primarySmtp());
        try {
            return clients.forRegistration(registration);
        } catch (AuthException e) {
            throw new StoreException("Cannot reach Graph for " + owner + ": " + e.getMessage(), e.isTransient(), e);
        }
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        requireContacts(kind);
        GraphServiceClient graph = graph(owner);
        String mailbox = owner.mailbox().primarySmtp();
        GraphCall call = new GraphCall(mailbox, "Contacts.ReadWrite");
        // "contacts" is the well-known name of the default contact folder
        String cacheKey = mailbox.toLowerCase(java.util.Locale.ROOT);
        CollectionRef primaryRef = defaultFolders.get(cacheKey);
        if (primaryRef == null) {
            ContactFolder primary = call.run("read the default contact folder", () -> graph.users().byUserId(mailbox)
                    .contactFolders().byContactFolderId("contacts").get(c -> c.queryParameters.select = new String[] {"id", "displayName"}));
            primaryRef = new CollectionRef(CollectionKind.CONTACTS, primary.getId(), primary.getDisplayName(), true);
            defaultFolders.put(cacheKey, primaryRef);
        }
        List<CollectionRef> out = new ArrayList<>();
        out.add(primaryRef);
        if (allFolders) {
            String primaryId = primaryRef.id();
            for (ContactFolder f : call.run("list the contact folders", () -> graph.users().byUserId(mailbox).contactFolders().get()
                    .getValue())) {
                if (!f.getId().equals(primaryId)) {
                    out.add(new CollectionRef(CollectionKind.CONTACTS, f.getId(), f.getDisplayName(), false));
                }
            }
        }
        return out;
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        requireContacts(kind);
        if (name == null || name.isEmpty()) {
            return collections(owner, kind).get(0);
        }
        GraphServiceClient graph = graph(owner);
        String mailbox = owner.mailbox().primarySmtp();
        GraphCall call = new GraphCall(mailbox, "Contacts.ReadWrite");
        for (ContactFolder f : call.run("list the contact folders", () -> graph.users().byUserId(mailbox).contactFolders().get().getValue())) {
            if (name.equals(f.getDisplayName())) {
                return new CollectionRef(CollectionKind.CONTACTS, f.getId(), f.getDisplayName(), false);
            }
        }
        ContactFolder body = new ContactFolder();
        body.setDisplayName(name);
        ContactFolder created = call.run("create a contact folder", () -> graph.users().byUserId(mailbox).contactFolders().post(body));
        return new CollectionRef(CollectionKind.CONTACTS, created.getId(), created.getDisplayName(), false);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        requireContacts(collection.kind());
        return new ContactsDeltaSource(graph(owner), owner.mailbox().primarySmtp(), collection, pageSize);
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        requireContacts(collection.kind());
        return new ContactsTarget(graph(owner), owner.mailbox().primarySmtp(), collection);
    }

    private static void requireContacts(CollectionKind kind) {
        if (kind != CollectionKind.CONTACTS) {
            throw new IllegalArgumentException("the Graph contacts store serves address books, not " + kind);
        }
    }
}
