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
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;

/**
 * Writes vCards into a Graph contact folder: POST/PATCH of the contact (PATCH and DELETE with
 * {@code If-Match: W/"changeKey"}, 412 → PreconditionFailedException), then PUT of the photo.
 */
final class ContactsTarget implements ItemTarget {
    /**
     * The MAPI named property (Nexchange's own property set) that holds the ItemKey of a contact Nexchange created: how
     * a repeated create finds the first one. EWS names the same property by PropertySetId and PropertyName.
     */
    static final String KEY_PROPERTY = "String {6c1c6f4e-8f1a-4b3e-9d52-1f0b6a7e2c3d} Name NexchangeItemKey";

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

    /**
     * Creates the contact once per key: Graph has no {@code transactionId} for contacts, so the contact carries the key in
     * a single-value extended property ({@link #KEY_PROPERTY}) and a create first looks for a contact of the folder that
     * carries it (a create repeated after a crash, or after an answer that never came, gets the first one's contact).
     * Three requests per contact (look-up, POST, version; a photo adds its PUT).
     */
    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        ContactWrite write = map(content);
        Optional<Contact> earlier = createdFor(key);
        String id;
        if (earlier.isPresent()) {
            id = earlier.get().getId();
        } else {
            Contact body = write.contact();
            SingleValueLegacyExtendedProperty keyProperty = new SingleValueLegacyExtendedProperty();
            keyProperty.setId(KEY_PROPERTY);
            keyProperty.setValue(key.value());
            body.setSingleValueExtendedProperties(List.of(keyProperty));
            id = call.run("create a contact", () -> folderContacts().post(body)).getId();
        }
        putPhoto(id, write.photo());
        return version(id).orElseThrow(() -> new StoreException("The contact created in " + mailbox + " vanished at once", true));
    }

    /**
     * The contact of this folder created for {@code key}, if any. Graph's filter on the property's value ignores case, so
     * the value comes along ($expand) and must match exactly.
     */
    private Optional<Contact> createdFor(ItemKey key) throws StoreException {
        String property = "id eq '" + KEY_PROPERTY + "'";
        List<Contact> found = call.run("look for a contact created before", () -> folderContacts().get(c -> {
            c.queryParameters.filter = "singleValueExtendedProperties/Any(ep: ep/" + property + " and ep/value eq '"
                    + key.value().replace("'", "''") + "')";
            c.queryParameters.select = new String[] {"id", "changeKey"};
            c.queryParameters.expand = new String[] {"singleValueExtendedProperties($filter=" + property + ")"};
        }).getValue());
        return found == null ? Optional.empty() : found.stream().filter(c -> c.getSingleValueExtendedProperties() != null
                && c.getSingleValueExtendedProperties().stream().anyMatch(p -> KEY_PROPERTY.equalsIgnoreCase(p.getId())
                        && key.value().equals(p.getValue()))).findFirst();
    }

    private com.microsoft.graph.users.item.contactfolders.item.contacts.ContactsRequestBuilder folderContacts() {
        return graph.users().byUserId(mailbox).contactFolders().byContactFolderId(folder.id()).contacts();
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
