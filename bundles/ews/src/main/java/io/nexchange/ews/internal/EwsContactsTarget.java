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
import java.util.Optional;

/**
 * Writes vCards into an EWS contacts folder: {@code CreateItem}, {@code UpdateItem} with the expected ChangeKey and
 * {@code ConflictResolution="NeverOverwrite"} (ErrorIrresolvableConflict → {@link PreconditionFailedException}),
 * {@code DeleteItem} after a change-key check. The vCard's photo is not written through EWS (that would take a
 * CreateAttachment with IsContactPhoto); it stays in Nextcloud.
 */
final class EwsContactsTarget implements ItemTarget {
    private final EwsMailbox mailbox;
    private final String folder;
    private final VCardToContact reverse = new VCardToContact();

    EwsContactsTarget(EwsMailbox mailbox, String folder) {
        this.mailbox = mailbox;
        this.folder = folder;
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        ContactWrite write = map(content);
        SoapRequest r = mailbox.request("CreateItem");
        r.m("SavedItemFolderId");
        EwsMailbox.folder(r, folder);
        r.end();
        r.m("Items");
        ItemField.writeItem(r, "Contact", ContactItemWriter.fields(write.contact(), true));
        r.end();
        XmlElement message = mailbox.single(mailbox.call("CreateItem", r), "CreateItem");
        if (!EwsErrors.ok(message)) {
            throw mailbox.failure("creating a contact", message);
        }
        return mailbox.versionOf(message);
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
