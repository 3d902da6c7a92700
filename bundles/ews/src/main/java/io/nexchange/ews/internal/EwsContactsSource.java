package io.nexchange.ews.internal;

import com.microsoft.graph.models.Contact;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.StoreException;
import io.nexchange.ews.internal.soap.XmlElement;
import io.nexchange.graph.contacts.mapping.ContactPhoto;
import io.nexchange.graph.contacts.mapping.ContactToVCard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes of one EWS contacts folder, listing apart from fetching: one {@link ChangePage} per {@code SyncFolderItems}
 * page lists (id, change key); {@link #fetch} gets what the engine asks for (batched {@code GetItem}, then one
 * {@code GetAttachment} for their photos). The ItemKey is the contact's id in REST encoding, as the Graph contacts store keys it, and the vCard
 * is written by the same mapping. Distribution lists in the folder are not contacts and are left out (Graph's
 * contacts delta leaves them out too).
 */
final class EwsContactsSource implements ItemSource {
    private final EwsMailbox mailbox;
    private final String folder;
    private final ContactToVCard mapper = new ContactToVCard();

    EwsContactsSource(EwsMailbox mailbox, String folder) {
        this.mailbox = mailbox;
        this.folder = folder;
    }

    /** The listing step: one SyncFolderItems page of (id, change key); distribution lists left out. */
    @Override
    public ChangePage changes(Cursor cursor) throws StoreException {
        EwsCursor state = EwsCursor.parse(cursor, mailbox.smtp() + "'s contacts");
        return mailbox.list(folder, state.syncState()).toPage(state, "Contact", ItemKey::contact);
    }

    /** The fetching step: batched GetItem of the refs, then one GetAttachment for their photos. */
    @Override
    public List<Change> fetch(List<String> refs) throws StoreException {
        List<String> ids = refs.stream().map(CalendarItems::ewsId).toList();
        Map<String, Optional<XmlElement>> fetched = ids.isEmpty() ? Map.of() : mailbox.getItems(ids, false);
        Map<String, ContactPhoto> photos = photos(fetched);
        List<Change> changes = new ArrayList<>();
        for (String id : ids) {
            String ref = CalendarItems.restId(id);
            Optional<XmlElement> item = fetched.getOrDefault(id, Optional.empty());
            if (item.isEmpty()) {
                changes.add(Change.removal(ItemKey.contact(ref), ref)); // deleted since it was listed
                continue;
            }
            try {
                Contact contact = ContactItems.toContact(item.get());
                String text = mapper.toText(contact, contact.getId(), photos.get(id));
                String version = contact.getChangeKey() == null ? "" : contact.getChangeKey();
                changes.add(Change.upsert(new Item(ItemKey.contact(contact.getId()), contact.getId(), version,
                        new ItemContent(CollectionKind.CONTACTS.mediaType(), text))));
            } catch (RuntimeException e) {
                // one unreadable contact must not stop the address book: the engine quarantines it until it changes
                String version = item.get().child("ItemId").map(i -> i.attribute("ChangeKey")).orElse(null);
                String name = item.get().childText("DisplayName");
                changes.add(Change.unreadable(ItemKey.contact(ref), ref, version == null ? "" : version, name == null ? "" : name,
                        e.toString()));
            }
        }
        return changes;
    }

    /** The photos of the fetched contacts that have one, by item id. */
    private Map<String, ContactPhoto> photos(Map<String, Optional<XmlElement>> fetched) throws StoreException {
        Map<String, String> attachmentOfItem = new HashMap<>();
        fetched.forEach((id, item) -> item.flatMap(ContactItems::photoAttachmentId).ifPresent(a -> attachmentOfItem.put(id, a)));
        if (attachmentOfItem.isEmpty()) {
            return Map.of();
        }
        Map<String, EwsMailbox.Attachment> content = mailbox.attachments(List.copyOf(attachmentOfItem.values()));
        Map<String, ContactPhoto> out = new HashMap<>();
        attachmentOfItem.forEach((item, attachment) -> {
            EwsMailbox.Attachment a = content.get(attachment);
            if (a != null && a.bytes().length > 0) {
                out.put(item, new ContactPhoto(a.bytes(), a.contentType()));
            }
        });
        return out;
    }
}
