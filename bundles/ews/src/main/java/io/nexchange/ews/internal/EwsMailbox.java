package io.nexchange.ews.internal;

import io.nexchange.api.source.StoreException;
import io.nexchange.ews.internal.soap.SoapRequest;
import io.nexchange.ews.internal.soap.XmlElement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The EWS operations on one mailbox, each one request (or one request per batch): listing
 * ({@code SyncFolderItems}: ids and change keys only) and fetching ({@code GetItem}, {@code GetAttachment}) are
 * separate steps, so a caller lists first and fetches only what changed.
 */
final class EwsMailbox {

    enum ChangeType { CREATE, UPDATE, DELETE }

    /** One entry of a SyncFolderItems page: an item id (EWS encoding) and, unless deleted, its change key. */
    record Listed(ChangeType type, String itemId, String changeKey, String itemType) {
    }

    /** One SyncFolderItems page. {@code last}: IncludesLastItemInRange (false: call again with {@code syncState}). */
    record Listing(List<Listed> changes, String syncState, boolean last) {
        /**
         * This page as a source lists it: removals, and (ref, change key) of the items of {@code itemType} (other
         * types are left out); refs are REST-encoded ids, {@code key} makes the key (or its guess) of a ref.
         */
        io.nexchange.api.source.ChangePage toPage(EwsCursor state, String itemType,
                java.util.function.Function<String, io.nexchange.api.item.ItemKey> key) {
            List<io.nexchange.api.source.Change> page = new ArrayList<>();
            for (Listed l : changes) {
                String ref = CalendarItems.restId(l.itemId());
                if (l.type() == ChangeType.DELETE) {
                    page.add(io.nexchange.api.source.Change.removal(key.apply(ref), ref));
                } else if (itemType.equals(l.itemType())) {
                    page.add(io.nexchange.api.source.Change.listed(key.apply(ref), ref,
                            l.changeKey() == null ? "" : l.changeKey()));
                }
            }
            EwsCursor next = new EwsCursor(syncState, last ? false : state.complete());
            return new io.nexchange.api.source.ChangePage(page, next.toCursor(), !last, state.complete());
        }
    }

    /** The other side of a hybrid organisation, where a mailbox goes when this side's EWS does not know it. */
    interface OtherSide {
        EwsCredentials credentials() throws StoreException;
    }

    private final EwsClient client;
    private volatile EwsCredentials credentials;
    private volatile OtherSide otherSide;
    private final String smtp;
    private final EwsSettings settings;

    EwsMailbox(EwsClient client, EwsCredentials credentials, String smtp, EwsSettings settings) {
        this(client, credentials, smtp, settings, null);
    }

    /** @param otherSide null: no other endpoint to turn to (not hybrid) */
    EwsMailbox(EwsClient client, EwsCredentials credentials, String smtp, EwsSettings settings, OtherSide otherSide) {
        this.client = client;
        this.credentials = credentials;
        this.smtp = smtp;
        this.settings = settings;
        this.otherSide = otherSide;
    }

    String smtp() {
        return smtp;
    }

    /** Opens a request on this mailbox (impersonated). */
    SoapRequest request(String operation) {
        return SoapRequest.start(settings.serverVersion(), smtp, operation);
    }

    List<XmlElement> call(String operation, SoapRequest request) throws StoreException {
        byte[] body = request.finish();
        List<XmlElement> messages;
        try {
            messages = client.call(credentials, smtp, operation, body);
        } catch (StoreException e) {
            if (otherSide == null || !EwsErrors.elsewhere(e)) {
                throw e;
            }
            return otherSide(operation, body);
        }
        if (otherSide != null && messages.stream().anyMatch(m -> "ErrorNonExistentMailbox".equals(EwsErrors.code(m)))) {
            return otherSide(operation, body);
        }
        return messages;
    }

    /** This endpoint does not know the mailbox: it lives on the other side, so this and every later call go there. */
    private List<XmlElement> otherSide(String operation, byte[] body) throws StoreException {
        credentials = otherSide.credentials();
        otherSide = null;
        return client.call(credentials, smtp, operation, body);
    }

    StoreException failure(String what, XmlElement message) {
        return EwsErrors.of(credentials, smtp, what, message);
    }

    /** A folder reference: a distinguished folder ({@code calendar}, {@code contacts}) or a folder id. */
    static void folder(SoapRequest r, String folder) {
        if (folder.equals("calendar") || folder.equals("contacts")) {
            r.t("DistinguishedFolderId").attr("Id", folder).end();
        } else {
            r.t("FolderId").attr("Id", CalendarItems.ewsId(folder)).end();
        }
    }

    // ---- listing ------------------------------------------------------------------------------------------

    /**
     * One page of changes of a folder after {@code syncState} (null or empty: from the beginning).
     *
     * @throws io.nexchange.api.source.CursorExpiredException on ErrorInvalidSyncStateData
     */
    Listing list(String folder, String syncState) throws StoreException {
        SoapRequest r = request("SyncFolderItems");
        r.m("ItemShape").tv("BaseShape", "IdOnly").end();
        r.m("SyncFolderId");
        folder(r, folder);
        r.end();
        if (syncState != null && !syncState.isEmpty()) {
            r.mv("SyncState", syncState);
        }
        r.mv("MaxChangesReturned", settings.pageSize());
        List<XmlElement> messages = call("SyncFolderItems", r);
        XmlElement message = single(messages, "SyncFolderItems");
        if (!EwsErrors.ok(message)) {
            throw failure("reading the changes of folder " + folder, message);
        }
        List<Listed> out = new ArrayList<>();
        message.child("Changes").ifPresent(changes -> {
            for (XmlElement change : changes.children()) {
                ChangeType type = switch (change.name()) {
                    case "Create" -> ChangeType.CREATE;
                    case "Update" -> ChangeType.UPDATE;
                    case "Delete" -> ChangeType.DELETE;
                    default -> null; // ReadFlagChange: not an item change
                };
                if (type == null) {
                    continue;
                }
                if (type == ChangeType.DELETE) {
                    change.child("ItemId").ifPresent(id -> out.add(new Listed(type, id.attribute("Id"), null, null)));
                    continue;
                }
                for (XmlElement item : change.children()) {
                    item.child("ItemId").ifPresent(id -> out.add(new Listed(type, id.attribute("Id"), id.attribute("ChangeKey"),
                            item.name())));
                }
            }
        });
        String next = message.childText("SyncState");
        if (next == null || next.isBlank()) {
            throw new StoreException("EWS answered SyncFolderItems for " + smtp + " without a SyncState", true);
        }
        boolean last = Boolean.parseBoolean(Optional.ofNullable(message.childText("IncludesLastItemInRange")).orElse("true").trim());
        return new Listing(out, next.trim(), last);
    }

    // ---- fetching -----------------------------------------------------------------------------------------

    /**
     * The items with these ids (EWS encoding), whole: present, or absent when EWS answers ErrorItemNotFound (deleted
     * since it was listed). {@code settings.getItemBatch()} ids per request.
     */
    Map<String, Optional<XmlElement>> getItems(List<String> itemIds, boolean calendar) throws StoreException {
        Map<String, Optional<XmlElement>> out = new LinkedHashMap<>();
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(itemIds));
        for (int from = 0; from < ids.size(); from += settings.getItemBatch()) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + settings.getItemBatch()));
            SoapRequest r = request("GetItem");
            r.m("ItemShape").tv("BaseShape", "AllProperties").tv("BodyType", "Best");
            if (calendar) {
                // UID is the item's key; ask for it by name too (older servers leave it out of AllProperties)
                r.t("AdditionalProperties").t("FieldURI").attr("FieldURI", "calendar:UID").end().end();
            } else {
                // Graph's yomiCompanyName has no ContactItemType element: PidLidYomiCompanyName (PSETID_Address 0x802E)
                r.t("AdditionalProperties").t("ExtendedFieldURI").attr("DistinguishedPropertySetId", "Address")
                        .attr("PropertyId", String.valueOf(ContactItems.YOMI_COMPANY_PROPERTY)).attr("PropertyType", "String")
                        .end().end();
            }
            r.end();
            r.m("ItemIds");
            chunk.forEach(id -> r.t("ItemId").attr("Id", id).end());
            r.end();
            List<XmlElement> messages = call("GetItem", r);
            if (messages.size() != chunk.size()) {
                throw new StoreException("EWS answered GetItem for " + smtp + " with " + messages.size() + " messages for "
                        + chunk.size() + " ids", true);
            }
            for (int i = 0; i < chunk.size(); i++) {
                XmlElement m = messages.get(i);
                String code = EwsErrors.code(m);
                if ("NoError".equals(code)) {
                    out.put(chunk.get(i), m.child("Items").flatMap(items -> items.children().stream().findFirst()));
                } else if ("ErrorItemNotFound".equals(code)) {
                    out.put(chunk.get(i), Optional.empty());
                } else {
                    throw failure("reading an item", m);
                }
            }
        }
        return out;
    }

    /** The content of file attachments by AttachmentId (absent: gone). One request for all. */
    Map<String, Attachment> attachments(List<String> attachmentIds) throws StoreException {
        Map<String, Attachment> out = new LinkedHashMap<>();
        for (int from = 0; from < attachmentIds.size(); from += settings.getItemBatch()) {
            List<String> chunk = attachmentIds.subList(from, Math.min(attachmentIds.size(), from + settings.getItemBatch()));
            SoapRequest r = request("GetAttachment");
            r.m("AttachmentIds");
            chunk.forEach(id -> r.t("AttachmentId").attr("Id", id).end());
            r.end();
            List<XmlElement> messages = call("GetAttachment", r);
            for (int i = 0; i < Math.min(chunk.size(), messages.size()); i++) {
                XmlElement m = messages.get(i);
                if (!EwsErrors.ok(m)) {
                    if ("ErrorItemNotFound".equals(EwsErrors.code(m)) || "ErrorAttachmentNotFound".equals(EwsErrors.code(m))) {
                        continue;
                    }
                    throw failure("reading a contact photo", m);
                }
                Optional<XmlElement> file = m.child("Attachments").flatMap(a -> a.child("FileAttachment"));
                if (file.isPresent()) {
                    String content = file.get().childText("Content");
                    String type = file.get().childText("ContentType");
                    if (content != null && !content.isBlank()) {
                        out.put(chunk.get(i), new Attachment(Base64.getMimeDecoder().decode(content.trim()),
                                type == null || type.isBlank() ? "image/jpeg" : type.trim()));
                    }
                }
            }
        }
        return out;
    }

    /** The item's current id and change key ({@code GetItem IdOnly}), or empty when it is gone. */
    Optional<io.nexchange.api.item.ItemVersion> version(String ref) throws StoreException {
        SoapRequest r = request("GetItem");
        r.m("ItemShape").tv("BaseShape", "IdOnly").end();
        r.m("ItemIds").t("ItemId").attr("Id", CalendarItems.ewsId(ref)).end().end();
        XmlElement message = single(call("GetItem", r), "GetItem");
        if ("ErrorItemNotFound".equals(EwsErrors.code(message))) {
            return Optional.empty();
        }
        if (!EwsErrors.ok(message)) {
            throw failure("reading item " + ref, message);
        }
        return Optional.of(versionOf(message));
    }

    /** The id and change key of the item in a CreateItem/UpdateItem/GetItem response message. */
    io.nexchange.api.item.ItemVersion versionOf(XmlElement message) throws StoreException {
        XmlElement id = message.child("Items").flatMap(i -> i.children().stream().findFirst()).flatMap(i -> i.child("ItemId"))
                .orElseThrow(() -> new StoreException("EWS answered for " + smtp + " without the item's id", true));
        return new io.nexchange.api.item.ItemVersion(CalendarItems.restId(id.attribute("Id")), id.attribute("ChangeKey"));
    }

    /**
     * Deletes the item at {@code ref} unless its change key moved on from {@code expectedVersion} (EWS's DeleteItem has
     * no change-key condition, so it is compared just before); an item already gone is fine. Calendar items go with
     * {@code SendMeetingCancellations="SendToNone"}.
     */
    void deleteUnchanged(String ref, String expectedVersion, boolean calendarItem) throws StoreException {
        Optional<io.nexchange.api.item.ItemVersion> current = version(ref);
        if (current.isEmpty()) {
            return;
        }
        if (expectedVersion != null && !expectedVersion.isEmpty() && !expectedVersion.equals(current.get().version())) {
            throw new io.nexchange.api.source.PreconditionFailedException("Item " + ref + " of " + smtp
                    + " changed since it was read; not deleted");
        }
        delete(CalendarItems.ewsId(ref), calendarItem);
    }

    /** {@code DeleteItem} (MoveToDeletedItems); an item already gone is fine. */
    void delete(String ewsId, boolean calendarItem) throws StoreException {
        SoapRequest r = request("DeleteItem").attr("DeleteType", "MoveToDeletedItems");
        if (calendarItem) {
            r.attr("SendMeetingCancellations", "SendToNone");
        }
        r.m("ItemIds").t("ItemId").attr("Id", ewsId).end().end();
        XmlElement message = single(call("DeleteItem", r), "DeleteItem");
        if (!EwsErrors.ok(message) && !"ErrorItemNotFound".equals(EwsErrors.code(message))) {
            throw failure("deleting an item", message);
        }
    }

    record Attachment(byte[] bytes, String contentType) {
    }

    /** The one response message of a single-item operation. */
    XmlElement single(List<XmlElement> messages, String operation) throws StoreException {
        if (messages.size() != 1) {
            throw new StoreException("EWS answered " + operation + " for " + smtp + " with " + messages.size()
                    + " response messages instead of one", true);
        }
        return messages.get(0);
    }
}
