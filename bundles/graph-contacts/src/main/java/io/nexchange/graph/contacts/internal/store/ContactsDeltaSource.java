package io.nexchange.graph.contacts.internal.store;

import com.microsoft.graph.models.Contact;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.contactfolders.item.contacts.delta.DeltaGetResponse;
import com.microsoft.graph.users.item.contactfolders.item.contacts.delta.DeltaRequestBuilder;
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
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.contacts.mapping.ContactPhoto;
import io.nexchange.graph.contacts.mapping.ContactToVCard;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
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
    /** Graph's limit of requests in one $batch. */
    static final int BATCH_LIMIT = 20;
    private static final String COMPLETE = "C:";
    private static final String INCREMENTAL = "I:";

    private final GraphServiceClient graph;
    private final String mailbox;
    private final CollectionRef folder;
    private final int pageSize;
    private final ContactToVCard mapper = new ContactToVCard();
    private final GraphCall call;

    ContactsDeltaSource(GraphServiceClient graph, String mailbox, CollectionRef folder, int pageSize) {
        this.graph = graph;
        this.mailbox = mailbox;
        this.folder = folder;
        this.pageSize = pageSize;
        this.call = new GraphCall(mailbox, "Contacts.ReadWrite");
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
            String text;
            try {
                text = mapper.toText(contact, id, photo);
            } catch (RuntimeException e) {
                // one unmappable contact must not stop the mailbox; it is retried when it changes again
                LOG.warn("Skipped contact {} of {}: {}", id, mailbox, e.getMessage());
                continue;
            }
            String version = contact.getChangeKey() == null ? "" : contact.getChangeKey();
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

    /**
     * The photos of these contacts (absent: none), 20 per {@code $batch}: Graph returns a binary inner body
     * base64-encoded in a JSON string, and graph-core's BatchResponseContent hands out that JSON text as the
     * stream, so it is decoded here. Inner 429s are read again in the
     * next batch (the interceptor paused the mailbox by the largest inner Retry-After).
     */
    Map<String, ContactPhoto> photos(List<String> ids) throws StoreException {
        Map<String, ContactPhoto> out = new HashMap<>();
        List<String> pending = new ArrayList<>(ids);
        for (int round = 1; !pending.isEmpty(); round++) {
            List<String> retry = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += BATCH_LIMIT) {
                List<String> chunk = pending.subList(from, Math.min(pending.size(), from + BATCH_LIMIT));
                if (chunk.size() == 1) {
                    ContactPhoto photo = photo(chunk.get(0));
                    if (photo != null) {
                        out.put(chunk.get(0), photo);
                    }
                    continue;
                }
                BatchRequestContent batch = new BatchRequestContent(graph);
                Map<String, String> idOfStep = new HashMap<>();
                for (String id : chunk) {
                    idOfStep.put(batch.addBatchRequestStep(graph.users().byUserId(mailbox).contacts().byContactId(id).photo().content()
                            .toGetRequestInformation()), id);
                }
                BatchResponseContent response = call.run("read contact photos", () -> {
                    try {
                        return graph.getBatchRequestBuilder().post(batch, null);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                Map<String, Integer> status = response.getResponsesStatusCode();
                for (Map.Entry<String, String> step : idOfStep.entrySet()) {
                    int code = status.getOrDefault(step.getKey(), 0);
                    if (code == 200) {
                        try (InputStream in = response.getResponseStreamById(step.getKey())) {
                            byte[] bytes = in == null ? null : binaryBody(in.readAllBytes());
                            if (bytes != null && bytes.length > 0) {
                                out.put(step.getValue(), new ContactPhoto(bytes, "image/jpeg"));
                            }
                        } catch (IOException e) {
                            throw new StoreException("Could not read a contact photo of " + mailbox + " from a $batch answer: "
                                    + e.getMessage(), true, e);
                        }
                    } else if ((code == 429 || code == 503 || code == 504) && round < GraphCall.MAX_ATTEMPTS) {
                        retry.add(step.getValue());
                    } else if (code != 404) {
                        throw new StoreException("Could not read the photo of contact " + step.getValue() + " of " + mailbox
                                + ": Graph answered " + code + " inside a $batch", code == 0 || code >= 429, null);
                    }
                }
            }
            pending = retry;
        }
        return out;
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

    /** The photo, or null: Graph answers 404 ImageNotFound for a contact without one. */
    ContactPhoto photo(String contactId) throws StoreException {
        try {
            byte[] bytes = call.run("read a contact photo", () -> {
                try (InputStream in = graph.users().byUserId(mailbox).contacts().byContactId(contactId).photo().content().get()) {
                    return in == null ? null : in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return bytes == null || bytes.length == 0 ? null : new ContactPhoto(bytes, "image/jpeg");
        } catch (StoreException e) {
            if (GraphCall.status(e.getCause()) == 404) {
                return null;
            }
            throw e;
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
