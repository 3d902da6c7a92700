package io.nexchange.ews.internal;

import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.ews.internal.soap.SoapRequest;
import io.nexchange.ews.internal.soap.XmlElement;
import io.nexchange.graph.contacts.mapping.ContactWrite;
import io.nexchange.graph.contacts.mapping.VCardToContact;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes vCards into an EWS contacts folder: {@code CreateItem}, {@code UpdateItem} with the expected ChangeKey and
 * {@code ConflictResolution="NeverOverwrite"} (ErrorIrresolvableConflict → {@link PreconditionFailedException}),
 * {@code DeleteItem} after a change-key check. The vCard's photo is not written through EWS (that would take a
 * CreateAttachment with IsContactPhoto); it stays in Nextcloud.
 */
final class EwsContactsTarget implements ItemTarget {
    /** Nexchange's property set and the name of its property that holds a created contact's ItemKey (as Graph's store). */
    static final String KEY_PROPERTY_SET = "6c1c6f4e-8f1a-4b3e-9d52-1f0b6a7e2c3d";
    static final String KEY_PROPERTY_NAME = "NexchangeItemKey";
    private final EwsMailbox mailbox;
    private final String folder;
    private final VCardToContact reverse = new VCardToContact();

    EwsContactsTarget(EwsMailbox mailbox, String folder) {
        this.mailbox = mailbox;
        this.folder = folder;
    }

    /**
     * Creates the contact once per key: it carries the key in Nexchange's named property (the one the Graph contacts
     * store writes: property set {@value #KEY_PROPERTY_SET}, name {@value #KEY_PROPERTY_NAME}), and a create first looks
     * for a contact of the folder that carries it (a create repeated after a crash gets the first one's contact).
     */
    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        ContactWrite write = map(content);
        Optional<ItemVersion> earlier = createdFor(key);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        List<ItemField> fields = new ArrayList<>(ContactItemWriter.fields(write.contact(), true));
        // ItemType's ExtendedProperty comes after Body and Categories, before the ContactItemType elements
        int at = 0;
        while (at < fields.size() && fields.get(at).uri().startsWith("item:")) {
            at++;
        }
        fields.add(at, ItemField.of("item:ExtendedProperty", r -> {
            r.t("ExtendedProperty");
            keyField(r);
            r.tv("Value", key.value()).end();
        }));
        SoapRequest r = mailbox.request("CreateItem");
        r.m("SavedItemFolderId");
        EwsMailbox.folder(r, folder);
        r.end();
        r.m("Items");
        ItemField.writeItem(r, "Contact", fields);
        r.end();
        XmlElement message = mailbox.single(mailbox.call("CreateItem", r), "CreateItem");
        if (!EwsErrors.ok(message)) {
            throw mailbox.failure("creating a contact", message);
        }
        return mailbox.versionOf(message);
    }

    /** The contact of this folder created for {@code key}, if any (the restriction ignores case: the value must match). */
    private Optional<ItemVersion> createdFor(ItemKey key) throws StoreException {
        SoapRequest r = mailbox.request("FindItem").attr("Traversal", "Shallow");
        r.m("ItemShape").tv("BaseShape", "IdOnly").t("AdditionalProperties");
        keyField(r);
        r.end().end();
        r.m("IndexedPageItemView").attr("MaxEntriesReturned", "10").attr("Offset", "0").attr("BasePoint", "Beginning").end();
        r.m("Restriction").t("IsEqualTo");
        keyField(r);
        r.t("FieldURIOrConstant").t("Constant").attr("Value", key.value()).end().end().end().end();
        r.m("ParentFolderIds");
        EwsMailbox.folder(r, folder);
        r.end();
        XmlElement message = mailbox.single(mailbox.call("FindItem", r), "FindItem");
        if (!EwsErrors.ok(message)) {
            throw mailbox.failure("looking for a contact created before", message);
        }
        List<XmlElement> found = message.child("RootFolder").flatMap(f -> f.child("Items")).map(XmlElement::children)
                .orElse(List.of());
        for (XmlElement item : found) {
            boolean same = item.children("ExtendedProperty").stream().anyMatch(p -> key.value().equals(p.childText("Value")));
            Optional<XmlElement> id = item.child("ItemId");
            if (same && id.isPresent()) {
                return Optional.of(new ItemVersion(CalendarItems.restId(id.get().attribute("Id")), id.get().attribute("ChangeKey")));
            }
        }
        return Optional.empty();
    }

    private static void keyField(SoapRequest r) {
        r.t("ExtendedFieldURI").attr("PropertySetId", KEY_PROPERTY_SET).attr("PropertyName", KEY_PROPERTY_NAME)
                .attr("PropertyType", "String").end();
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        ContactWrite write = map(content);
        SoapRequest r = mailbox.request("UpdateItem").attr("ConflictResolution", "NeverOverwrite");
        r.m("ItemChanges").t("ItemChange");
        r.t("ItemId").attr("Id", CalendarItems.ewsId(ref))
                .attr("ChangeKey", expectedVersion == null || expectedVersion.isEmpty() ? null : expectedVersion).end();
        ItemField.writeUpdates(r, "Contact", ContactItemWriter.fields(write.contact(), false));
        r.end().end();
        XmlElement message = mailbox.single(mailbox.call("UpdateItem", r), "UpdateItem");
        if (!EwsErrors.ok(message)) {
            throw mailbox.failure("updating contact " + ref, message);
        }
        return mailbox.versionOf(message);
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        mailbox.deleteUnchanged(ref, expectedVersion, false);
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        return mailbox.version(ref);
    }

    private ContactWrite map(ItemContent content) throws StoreException {
        try {
            return reverse.fromText(content.text());
        } catch (RuntimeException e) {
            throw new ItemRejectedException("The contact cannot be written to Exchange for " + mailbox.smtp() + ": " + e.getMessage(), e);
        }
    }
}
