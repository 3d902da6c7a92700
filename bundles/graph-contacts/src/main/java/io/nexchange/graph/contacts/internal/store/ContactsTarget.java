package io.nexchange.graph.contacts.internal.store;

import com.microsoft.graph.models.Contact;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.contacts.item.ContactItemRequestBuilder;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.contacts.mapping.ContactPhoto;
import io.nexchange.graph.contacts.mapping.ContactWrite;
import io.nexchange.graph.contacts.mapping.VCardToContact;
import java.io.ByteArrayInputStream;
import java.util.Optional;

/**
 * Writes vCards into a Graph contact folder: POST/PATCH of the contact (PATCH and DELETE with
 * {@code If-Match: W/"changeKey"}, 412 → PreconditionFailedException), then PUT of the photo.
 */
final class ContactsTarget implements ItemTarget {

    private final GraphServiceClient graph;
    private final String mailbox;
    private final CollectionRef folder;
    private final VCardToContact reverse = new VCardToContact();
    private final GraphCall call;

    ContactsTarget(GraphServiceClient graph, String mailbox, CollectionRef folder) {
        this.graph = graph;
        this.mailbox = mailbox;
        this.folder = folder;
        this.call = new GraphCall(mailbox, GraphContactsStore.PERMISSION);
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        ContactWrite write = map(content);
        Contact created = call.run("create a contact", () -> graph.users().byUserId(mailbox).contactFolders()
                .byContactFolderId(folder.id()).contacts().post(write.contact()));
        putPhoto(created.getId(), write.photo());
        return version(created.getId()).orElseThrow(() -> new StoreException("The contact created in " + mailbox
                + " vanished at once", true));
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        ContactWrite write = map(content);
        call.run("update a contact", () -> contact(ref).patch(write.contact(), c -> c.headers.add("If-Match", etag(expectedVersion))));
        putPhoto(ref, write.photo());
        return version(ref).orElseThrow(() -> new StoreException("Contact " + ref + " of " + mailbox + " vanished during the update", false));
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        call.execUnlessGone("delete a contact", () -> contact(ref).delete(c -> c.headers.add("If-Match", etag(expectedVersion))));
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        return call.runIfPresent("read a contact", () -> contact(ref).get(r -> r.queryParameters.select = new String[] {"id",
                "changeKey"})).map(c -> new ItemVersion(c.getId(), c.getChangeKey()));
    }

    private void putPhoto(String id, Optional<ContactPhoto> photo) throws StoreException {
        if (photo.isPresent()) {
            byte[] bytes = photo.get().bytes();
            call.exec("store a contact photo", () -> contact(id).photo().content().put(new ByteArrayInputStream(bytes)));
        }
    }

    private ContactItemRequestBuilder contact(String id) {
        return graph.users().byUserId(mailbox).contacts().byContactId(id);
    }

    private static String etag(String changeKey) {
        return changeKey == null || changeKey.isEmpty() ? "*" : "W/\"" + changeKey + "\"";
    }

    private ContactWrite map(ItemContent content) throws StoreException {
        try {
            return reverse.fromText(content.text());
        } catch (RuntimeException e) {
            throw new ItemRejectedException("The contact cannot be written to Exchange for " + mailbox + ": " + e.getMessage(), e);
        }
    }
}
