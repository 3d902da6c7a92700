package io.nexchange.graph.contacts.internal.store;

import com.microsoft.graph.models.ContactFolder;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.client.GraphClients;
import io.nexchange.graph.client.GraphItemStore;
import io.nexchange.throttling.RegistrationAssignment;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Exchange contacts through Microsoft Graph, as the ItemStore service of backend {@code graph}. Registration
 * assignment and the default-folder cache: {@link GraphItemStore}.
 *
 * <p><b>ItemKey = the contact's REST id, not its immutable id.</b> The key must be the same whether EWS or Graph
 * read the contact. An EWS ItemId and a Graph REST id are the same bytes in two base64 spellings (REST is the
 * URL-safe one), so an EWS store converts its ids locally and both agree with no request. Immutable ids
 * ({@code Prefer: IdType="ImmutableId"}) are a different identifier: matching them with EWS ids would take a
 * translateExchangeIds call per item. The price of REST ids — a contact moved to another folder gets a new id —
 * does not arise within one folder's sync (delta reports a move as removal + addition anyway).
 */
// configuration required: the ews feature installs this bundle for its mapping only, and must not start a Graph store
// (the graph feature writes the default etc/io.nexchange.graph.contacts.cfg)
@Component(service = ItemStore.class, configurationPid = "io.nexchange.graph.contacts",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ItemStore.BACKEND + "=graph", ItemStore.SIDE + "=exchange"})
@Designate(ocd = GraphContactsStoreConfiguration.class)
public final class GraphContactsStore extends GraphItemStore {

    static final String PERMISSION = "Contacts.ReadWrite";

    private final int pageSize;

    @Activate
    public GraphContactsStore(@Reference GraphClients clients, GraphContactsStoreConfiguration config) {
        this(clients, RegistrationAssignment.of(config.registrations()), config.pageSize(), config.allFolders());
    }

    /** Wired by hand (tests, the sync benchmark). */
    public GraphContactsStore(GraphClients clients, RegistrationAssignment registrations, int pageSize, boolean allFolders) {
        super(clients, registrations, CollectionKind.CONTACTS, PERMISSION, allFolders);
        this.pageSize = pageSize;
    }

    @Override
    protected CollectionRef readDefault(GraphServiceClient graph, String mailbox, GraphCall call) throws StoreException {
        // "contacts" is the well-known name of the default contact folder
        ContactFolder primary = call.run("read the default contact folder", () -> graph.users().byUserId(mailbox)
                .contactFolders().byContactFolderId("contacts").get(c -> c.queryParameters.select = new String[] {"id", "displayName"}));
        return new CollectionRef(CollectionKind.CONTACTS, primary.getId(), primary.getDisplayName(), true);
    }

    @Override
    protected List<CollectionRef> readAll(GraphServiceClient graph, String mailbox, GraphCall call) throws StoreException {
        return call.run("list the contact folders", () -> graph.users().byUserId(mailbox).contactFolders().get().getValue()).stream()
                .map(f -> new CollectionRef(CollectionKind.CONTACTS, f.getId(), f.getDisplayName(), false))
                .toList();
    }

    @Override
    protected CollectionRef create(GraphServiceClient graph, String mailbox, GraphCall call, String name) throws StoreException {
        ContactFolder body = new ContactFolder();
        body.setDisplayName(name);
        ContactFolder created = call.run("create a contact folder", () -> graph.users().byUserId(mailbox).contactFolders().post(body));
        return new CollectionRef(CollectionKind.CONTACTS, created.getId(), created.getDisplayName(), false);
    }

    @Override
    protected ItemSource newSource(GraphServiceClient graph, String mailbox, CollectionRef collection) {
        return new ContactsDeltaSource(graph, mailbox, collection, pageSize);
    }

    @Override
    protected ItemTarget newTarget(GraphServiceClient graph, String mailbox, CollectionRef collection) {
        return new ContactsTarget(graph, mailbox, collection);
    }
}
