package io.nexchange.graph.contacts.internal.store;

import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Contact;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.contactfolders.item.contacts.delta.DeltaGetResponse;
import com.microsoft.graph.users.item.contactfolders.item.contacts.delta.DeltaRequestBuilder;
import com.microsoft.graph.users.item.contacts.item.photo.value.ContentRequestBuilder;
import com.microsoft.kiota.RequestInformation;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.GraphBatchReader;
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.contacts.mapping.ContactPhoto;
import io.nexchange.graph.contacts.mapping.ContactToVCard;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of one contact folder through the documented {@code /contactFolders/{id}/contacts/delta}; one
 * {@link ChangePage} per Graph page. The ItemKey of a contact is its Graph REST id (see {@link GraphContactsStore}).
 * Each new or changed contact's photo is read from {@code /photo/$value}; 404 (ImageNotFound) means none.
 */
final class ContactsDeltaSource implements ItemSource {

    private static final Logger LOG = LoggerFactory.getLogger(ContactsDeltaSource.class);
    private static final String PREFIX = "graph-contacts:1:";
    private static final String COMPLETE = "C:";
    private static final String INCREMENTAL = "I:";

    private final GraphServiceClient graph;
    private final String mailbox;
    private final CollectionRef folder;
    private final int pageSize;
    private final ContactToVCard mapper = new ContactToVCard();
    private final GraphCall call;
    private final GraphBatchReader reader;
    private final PhotoRead photoRead = new PhotoRead();

    ContactsDeltaSource(GraphServiceClient graph, String mailbox, CollectionRef folder, int pageSize) {
        this.graph = graph;
        this.mailbox = mailbox;
        this.folder = folder;
        this.pageSize = pageSize;
        this.call = new GraphCall(mailbox, GraphContactsStore.PERMISSION);
        this.reader = new GraphBatchReader(graph, call);
    }

    @Override
    public ChangePage changes(Cursor cursor) throws StoreException {
        String url;
        boolean complete;
        if (cursor.isInitial()) {
            url = graph.getRequestAdapter().getBaseUrl() + "/users/" + encode(mailbox) + "/contactFolders/" + encode(folder.id())
                    + "/contacts/delta";
            complete = true;
        } else if (cursor.value().startsWith(PREFIX)) {
            String rest = cursor.value().substring(PREFIX.length());
            complete = rest.startsWith(COMPLETE);
            url = rest.substring(2);
            if (url.contains("deltatoken=") || url.contains("deltaToken=")) {
                complete = false;
            }
        } else {
            throw new CursorExpiredException("The contacts cursor was not written by the Graph contacts store; the address"
                    + " book is read again from the start.");
        }
        // a new builder per attempt: Kiota consumes a builder's raw URL when it sends
        DeltaGetResponse page = call.run("read the contact changes", () -> new DeltaRequestBuilder(url, graph.getRequestAdapter())
                .get(c -> c.headers.add("Prefer", "odata.maxpagesize=" + pageSize)));
        List<Change> changes = new ArrayList<>();
        List<Contact> contacts = page.getValue() == null ? List.of() : page.getValue();
        Map<String, ContactPhoto> photos = photos(contacts.stream().filter(c -> !isRemoved(c)).map(Contact::getId).toList());
        for (Contact contact : contacts) {
            String id = contact.getId();
            if (isRemoved(contact)) {
                changes.add(Change.removal(ItemKey.contact(id), id));
                continue;
            }
            ContactPhoto photo = photos.get(id);
            String version = contact.getChangeKey() == null ? "" : contact.getChangeKey();
            String text;
            try {
                text = mapper.toText(contact, id, photo);
            } catch (RuntimeException e) {
                // one unreadable contact must not stop the address book: the engine quarantines it until it changes
                String reason = String.valueOf(e.getMessage());
                int end = reason.indexOf(") cannot be mapped: ");
                changes.add(Change.unreadable(ItemKey.contact(id), id, version,
                        contact.getDisplayName() == null ? "" : contact.getDisplayName(),
                        reason.startsWith("contact " + id + " (") && end > 0 ? reason.substring(end + 2) : reason));
                continue;
            }
            changes.add(Change.upsert(new Item(ItemKey.contact(id), id, version, new ItemContent(CollectionKind.CONTACTS.mediaType(), text))));
        }
        String next = page.getOdataNextLink();
        boolean hasMore = next != null;
        if (!hasMore) {
            next = page.getOdataDeltaLink();
            if (next == null) {
                throw new StoreException("Graph's contacts delta page for " + mailbox + " has neither nextLink nor deltaLink", true);
            }
        }
        return new ChangePage(changes, new Cursor(PREFIX + (complete ? COMPLETE : INCREMENTAL) + next), hasMore, complete);
    }

    private static boolean isRemoved(Contact contact) {
        return contact.getAdditionalData() != null && contact.getAdditionalData().containsKey("@removed");
    }

    /** The photos of these contacts (absent: none), 20 per {@code $batch}. */
    Map<String, ContactPhoto> photos(List<String> ids) throws StoreException {
        Map<String, ContactPhoto> out = new HashMap<>();
        reader.read(ids, photoRead).forEach((id, photo) -> photo.ifPresent(p -> out.put(id, p)));
        return out;
    }

    /**
     * A contact's photo from {@code /photo/$value}; Graph answers 404 ImageNotFound for a contact without one. Inside
     * a $batch, Graph returns the binary body base64-encoded in a JSON string, and graph-core's BatchResponseContent
     * hands out that JSON text as the stream, so it is decoded here.
     */
    private final class PhotoRead implements GraphBatchReader.Read<ContactPhoto> {
        @Override
        public String item() {
            return "the photo of contact";
        }

        private ContentRequestBuilder photo(String id) {
            return graph.users().byUserId(mailbox).contacts().byContactId(id).photo().content();
        }

        @Override
        public RequestInformation request(String id) {
            return photo(id).toGetRequestInformation();
        }

        @Override
        public ContactPhoto sendOne(String id) {
            try (InputStream in = photo(id).get()) {
                return in == null ? null : photo(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ContactPhoto body(BatchResponseContent response, String stepId) throws IOException {
            try (InputStream in = response.getResponseStreamById(stepId)) {
                return in == null ? null : photo(binaryBody(in.readAllBytes()));
            }
        }

        private static ContactPhoto photo(byte[] bytes) {
            return bytes == null || bytes.length == 0 ? null : new ContactPhoto(bytes, "image/jpeg");
        }
    }

    /** The bytes of a binary inner $batch body: Graph sends them as a base64 JSON string. */
    static byte[] binaryBody(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1).trim();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return java.util.Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return raw;
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
