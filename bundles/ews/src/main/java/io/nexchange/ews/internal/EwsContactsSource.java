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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of one EWS contacts folder: one {@link ChangePage} per {@code SyncFolderItems} page; listing (ids and
 * change keys), then fetching (batched {@code GetItem}, then one {@code GetAttachment} for the page's contact
 * photos). The ItemKey is the contact's id in REST encoding, as the Graph contacts store keys it, and the vCard
 * is written by the same mapping. Distribution lists in the folder are not contacts and are left out (Graph's
 * contacts delta leaves them out too).
 */
final class EwsContactsSource implements ItemSource {
    private static final Logger LOG = LoggerFactory.getLogger(EwsContactsSource.class);

    private final EwsMailbox mailbox;
    private final String folder;
    private final ContactToVCard mapper = new ContactToVCard();

    EwsContactsSource(EwsMailbox mailbox, String folder) {
        this.mailbox = mailbox;
        this.folder = folder;
    }

    @Override
    public ChangePage changes(Cursor cursor) throws StoreException {
        EwsCursor state = EwsCursor.parse(cursor, mailbox.smtp() + "'s contacts");
        EwsMailbox.Listing listing = mailbox.list(folder, state.syncState());
        List<String> toFetch = new ArrayList<>();
        for (EwsMailbox.Listed l : listing.changes()) {
            if (l.type() != EwsMailbox.ChangeType.DELETE && "Contact".equals(l.itemType())) {
                toFetch.add(l.itemId());
            }
        }
        Map<String, Optional<XmlElement>> fetched = toFetch.isEmpty() ? Map.of() : mailbox.getItems(toFetch, false);
        Map<String, ContactPhoto> photos = photos(fetched);
        List<Change> changes = new ArrayList<>();
        for (EwsMailbox.Listed l : listing.changes()) {
            String ref = CalendarItems.restId(l.itemId());
            if (l.type() == EwsMailbox.ChangeType.DELETE) {
                changes.add(Change.removal(ItemKey.contact(ref), ref));
                continue;
            }
            if (!fetched.containsKey(l.itemId())) {
                continue; // not a contact
            }
            Optional<XmlElement> item = fetched.get(l.itemId());
            if (item.isEmpty()) {
                changes.add(Change.removal(ItemKey.contact(ref), ref));
                continue;
            }
            try {
                Contact contact = ContactItems.toContact(item.get());
                String text = mapper.toText(contact, contact.getId(), photos.get(l.itemId()));
                String version = contact.getChangeKey() == null ? "" : contact.getChangeKey();
                changes.add(Change.upsert(new Item(ItemKey.contact(contact.getId()), contact.getId(), version,
                        new ItemContent(CollectionKind.CONTACTS.mediaType(), text))));
            } catch (RuntimeException e) {
                // one unmappable contact must not stop the mailbox; it is read again when it changes
                LOG.warn("Skipped contact {} of {}: {}", ref, mailbox.smtp(), e.toString());
            }
        }
        boolean complete = state.complete();
        EwsCursor next = new EwsCursor(listing.syncState(), listing.last() ? false : complete);
        return new ChangePage(changes, next.toCursor(), !listing.last(), complete);
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
