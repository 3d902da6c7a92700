package io.nexchange.sandbox.internal.ews;

import static io.nexchange.sandbox.internal.ews.EwsXml.attr;
import static io.nexchange.sandbox.internal.ews.EwsXml.elements;
import static io.nexchange.sandbox.internal.ews.EwsXml.m;
import static io.nexchange.sandbox.internal.ews.EwsXml.t;
import static io.nexchange.sandbox.internal.ews.EwsXml.text;

import io.nexchange.sandbox.internal.ews.EwsRender.Level;
import io.nexchange.sandbox.internal.ews.EwsRender.Shape;
import io.nexchange.sandbox.internal.ews.EwsXml.Out;
import io.nexchange.sandbox.internal.recurrence.RecurrenceExpander;
import io.nexchange.sandbox.internal.store.CalendarFolder;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.ContactFolder;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.ItemIds;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.MeetingOutbox;
import io.nexchange.sandbox.internal.store.TimeZones;
import io.nexchange.sandbox.internal.store.User;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * The EWS operations the product uses, on the same {@link Mailbox} objects Graph serves: what one
 * protocol writes, the other reads (same ids, change keys, UID/iCalUId).
 */
final class EwsOperations {
    static final int MAX_SYNC_CHANGES = 512;
    static final int FIND_COUNT_LIMIT = 1000;

    /** One call: the operation element, the mailbox it acts on, and the response being written. */
    record Call(Element op, User user, Mailbox mb, Out out, boolean deadSyncState) {
    }

    private final SyncStates syncStates;
    private final MeetingOutbox meetingMessages;

    EwsOperations(SyncStates syncStates, MeetingOutbox meetingMessages) {
        this.syncStates = syncStates;
        this.meetingMessages = meetingMessages;
    }

    // ---- GetItem ------------------------------------------------------------------------------------

    void getItem(Call c) {
        Shape shape = shape(m(c.op(), "ItemShape"));
        Element ids = m(c.op(), "ItemIds");
        if (ids == null) {
            throw EwsException.schema("GetItem needs ItemIds");
        }
        for (Element idEl : elements(ids)) {
            Object item;
            try {
                synchronized (c.mb()) {
                    item = resolve(c.mb(), idEl).item();
                }
            } catch (EwsException e) {
                error(c.out(), "GetItemResponseMessage", e, true);
                continue;
            }
            success(c.out(), "GetItemResponseMessage");
            c.out().m("Items");
            synchronized (c.mb()) {
                renderItem(c.out(), c.mb(), item, shape, false);
            }
            c.out().end().end();
        }
    }

    // ---- GetAttachment -----------------------------------------------------------------------------------

    /** Contact photos (the only attachments the sandbox keeps), with their content. */
    void getAttachment(Call c) {
        Element ids = m(c.op(), "AttachmentIds");
        if (ids == null) {
            throw EwsException.schema("GetAttachment needs AttachmentIds");
        }
        for (Element idEl : elements(ids)) {
            Contact contact;
            try {
                String contactId = ItemIds.contactOfPhotoAttachment(idEl.getAttribute("Id"))
                        .orElseThrow(() -> EwsException.response("ErrorInvalidAttachmentId", "The attachment ID is not valid."));
                synchronized (c.mb()) {
                    contact = c.mb().contact(contactId).filter(ct -> ct.photo != null).orElseThrow(EwsException::itemNotFound);
                }
            } catch (EwsException e) {
                error(c.out(), "GetAttachmentResponseMessage", e, false);
                continue;
            }
            success(c.out(), "GetAttachmentResponseMessage");
            c.out().m("Attachments");
            synchronized (c.mb()) {
                EwsRender.photoAttachment(c.out(), contact, true);
            }
            c.out().end().end();
        }
    }

    // ---- SyncFolderItems ------------------------------------------------------------------------------

    void syncFolderItems(Call c) {
        Shape shape = shape(m(c.op(), "ItemShape"));
        Folder folder = folder(c.mb(), t(m(c.op(), "SyncFolderId"), "DistinguishedFolderId"), t(m(c.op(), "SyncFolderId"), "FolderId"));
        String maxText = text(m(c.op(), "MaxChangesReturned"));
        int max;
        try {
            max = Integer.parseInt(maxText);
        } catch (RuntimeException e) {
            throw EwsException.schema("MaxChangesReturned is required (1-512)");
        }
        if (max < 1 || max > MAX_SYNC_CHANGES) {
            throw EwsException.schema("The value of MaxChangesReturned must be between 1 and 512; it is " + max);
        }
        Set<String> ignored = new HashSet<>();
        for (Element id : EwsXml.children(m(c.op(), "Ignore"), EwsXml.TYPES, "ItemId")) {
            ignored.add(ItemIds.ewsToRest(id.getAttribute("Id")));
        }
        String token = text(m(c.op(), "SyncState"));
        Map<String, String> previous = Map.of();
        if (token != null && !token.isEmpty()) {
            SyncStates.State state = c.deadSyncState() ? null : syncStates.find(token);
            if (state == null || !state.userId().equals(c.user().id) || !state.folderId().equals(folder.id())) {
                throw EwsException.response("ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.");
            }
            previous = state.snapshot();
        }
        record Change(String kind, String id, Object item) {
        }
        List<Change> changes = new ArrayList<>();
        Map<String, String> next = new LinkedHashMap<>(previous);
        synchronized (c.mb()) {
            LinkedHashMap<String, Object> current = new LinkedHashMap<>();
            if (folder.calendar() != null) {
                c.mb().items(folder.id()).forEach(e -> current.put(e.id, e));
            } else {
                c.mb().contacts(folder.id()).forEach(ct -> current.put(ct.id, ct));
            }
            List<Change> all = new ArrayList<>();
            for (Map.Entry<String, Object> e : current.entrySet()) {
                String ck = changeKey(e.getValue());
                String before = previous.get(e.getKey());
                if (ignored.contains(e.getKey())) {
                    continue;
                }
                if (before == null) {
                    all.add(new Change("Create", e.getKey(), e.getValue()));
                } else if (!before.equals(ck)) {
                    all.add(new Change("Update", e.getKey(), e.getValue()));
                }
            }
            for (String id : previous.keySet()) {
                if (!current.containsKey(id)) {
                    all.add(new Change("Delete", id, null));
                }
            }
            // ignored items count as seen
            for (String id : ignored) {
                if (current.containsKey(id)) {
                    next.put(id, changeKey(current.get(id)));
                }
            }
            changes = all.subList(0, Math.min(max, all.size()));
            for (Change ch : changes) {
                if (ch.item() == null) {
                    next.remove(ch.id());
                } else {
                    next.put(ch.id(), changeKey(ch.item()));
                }
            }
            boolean last = all.size() <= max;
            String newToken = syncStates.save(new SyncStates.State(c.user().id, folder.id(), next));
            Out o = c.out();
            success(o, "SyncFolderItemsResponseMessage");
            o.mv("SyncState", newToken);
            o.mv("IncludesLastItemInRange", last);
            o.m("Changes");
            for (Change ch : changes) {
                o.t(ch.kind());
                if (ch.item() == null) {
                    o.t("ItemId").attr("Id", EwsRender.ews(ch.id())).end();
                } else {
                    renderItem(o, c.mb(), ch.item(), shape, true);
                }
                o.end();
            }
            o.end().end();
        }
    }

    // ---- FindItem -----------------------------------------------------------------------------------------

    void findItem(Call c) {
        Shape shape = shape(m(c.op(), "ItemShape"));
        Element parents = m(c.op(), "ParentFolderIds");
        Folder folder = folder(c.mb(), t(parents, "DistinguishedFolderId"), t(parents, "FolderId"));
        Element view = m(c.op(), "CalendarView");
        Element paged = m(c.op(), "IndexedPageItemView");
        List<Object> found = new ArrayList<>();
        int total;
        int offset = 0;
        boolean last;
        synchronized (c.mb()) {
            if (view != null) {
                if (folder.calendar() == null) {
                    throw EwsException.response("ErrorInvalidOperation", "CalendarView can only be used with calendar folders.");
                }
                Instant from = EwsParse.instant(view.getAttribute("StartDate"));
                Instant to = EwsParse.instant(view.getAttribute("EndDate"));
                if (to.isBefore(from)) {
                    throw EwsException.response("ErrorCalendarEndDateIsEarlierThanStartDate", "EndDate is earlier than StartDate");
                }
                List<Event> instances = new ArrayList<>();
                for (Event item : c.mb().items(folder.id())) {
                    instances.addAll(c.mb().instances(item, from, to));
                }
                instances.sort((a, b) -> Mailbox.startOf(a).compareTo(Mailbox.startOf(b)));
                String maxText = attr(view, "MaxEntriesReturned");
                int max = maxText == null ? Integer.MAX_VALUE : Integer.parseInt(maxText);
                int returned = Math.min(max, instances.size());
                if (returned > FIND_COUNT_LIMIT) {
                    throw EwsException.response("ErrorExceededFindCountLimit",
                            "The request exceeded the maximum number of items (" + FIND_COUNT_LIMIT + ") a FindItem call may return "
                                    + "(EWSFindCountLimit); narrow the CalendarView or set MaxEntriesReturned.");
                }
                found.addAll(instances.subList(0, returned));
                total = instances.size();
                last = returned == instances.size();
            } else {
                List<Object> items = new ArrayList<>();
                if (folder.calendar() != null) {
                    items.addAll(c.mb().items(folder.id()));
                } else {
                    items.addAll(c.mb().contacts(folder.id()));
                }
                Element restriction = m(c.op(), "Restriction");
                if (restriction != null) {
                    items.removeIf(item -> !matches(restriction, item));
                }
                int max = FIND_COUNT_LIMIT;
                if (paged != null) {
                    String maxText = attr(paged, "MaxEntriesReturned");
                    max = maxText == null ? FIND_COUNT_LIMIT : Math.min(FIND_COUNT_LIMIT, Integer.parseInt(maxText));
                    offset = Integer.parseInt(paged.getAttribute("Offset").isEmpty() ? "0" : paged.getAttribute("Offset"));
                } else if (items.size() > FIND_COUNT_LIMIT) {
                    throw EwsException.response("ErrorExceededFindCountLimit",
                            "The request exceeded the maximum number of items (" + FIND_COUNT_LIMIT + ") a FindItem call may return "
                                    + "(EWSFindCountLimit); use IndexedPageItemView paging.");
                }
                int from = Math.min(offset, items.size());
                int end = Math.min(items.size(), from + max);
                found.addAll(items.subList(from, end));
                total = items.size();
                last = end == items.size();
                offset = end;
            }
            Out o = c.out();
            success(o, "FindItemResponseMessage");
            o.m("RootFolder");
            if (view == null) {
                o.attr("IndexedPagingOffset", Integer.toString(offset));
            }
            o.attr("TotalItemsInView", Integer.toString(total)).attr("IncludesLastItemInRange", Boolean.toString(last));
            o.t("Items");
            for (Object item : found) {
                renderItem(o, c.mb(), item, shape, true);
            }
            o.end().end().end();
        }
    }

    /**
     * A FindItem restriction: {@code IsEqualTo} a named extended property of a contact (the value compared without regard
     * to case, as Exchange compares strings); other restrictions are not emulated.
     */
    private static boolean matches(Element restriction, Object item) {
        Element equal = t(restriction, "IsEqualTo");
        String id = equal == null ? null : EwsParse.namedPropertyId(t(equal, "ExtendedFieldURI"));
        Element constant = equal == null ? null : t(t(equal, "FieldURIOrConstant"), "Constant");
        if (id == null || constant == null) {
            throw EwsException.response("ErrorUnsupportedQueryFilter", "The sandbox emulates only IsEqualTo on a named "
                    + "extended property in a FindItem restriction.");
        }
        String value = item instanceof Contact contact ? contact.extendedProperties.get(id) : null;
        return value != null && value.equalsIgnoreCase(constant.getAttribute("Value"));
    }

    // ---- CreateItem ---------------------------------------------------------------------------------------

    void createItem(Call c) {
        Element items = m(c.op(), "Items");
        Element saved = m(c.op(), "SavedItemFolderId");
        String invitations = attr(c.op(), "SendMeetingInvitations");
        for (Element item : elements(items)) {
            Object created;
            try {
                created = create(c, item, saved, invitations);
            } catch (EwsException e) {
                error(c.out(), "CreateItemResponseMessage", e, true);
                continue;
            }
            success(c.out(), "CreateItemResponseMessage");
            c.out().m("Items");
            synchronized (c.mb()) {
                renderItem(c.out(), c.mb(), created, new Shape(Level.ID_ONLY, null), false);
            }
            c.out().end().end();
        }
    }

    private Object create(Call c, Element item, Element saved, String invitations) {
        Mailbox mb = c.mb();
        switch (item.getLocalName()) {
            case "CalendarItem" -> {
                if (invitations == null) {
                    throw EwsException.response("ErrorSendMeetingInvitationsRequired",
                            "The SendMeetingInvitations attribute is required for calendar items.");
                }
                Folder folder = saved == null ? Folder.calendar(mb.defaultCalendar())
                        : folder(mb, t(saved, "DistinguishedFolderId"), t(saved, "FolderId"));
                if (folder.calendar() == null) {
                    throw EwsException.response("ErrorInvalidOperation", "A calendar item can only be saved in a calendar folder.");
                }
                Event e = new Event();
                EwsParse.applyCalendarItem(item, e);
                String uid = text(t(item, "UID"));
                synchronized (mb) {
                    Event stored = mb.createEvent(folder.id(), e);
                    if (uid != null && !uid.isEmpty()) {
                        stored.iCalUId = uid;
                    }
                    meetingMessages.created("ews", mb, stored, !"SendToNone".equals(invitations));
                    return stored;
                }
            }
            case "Contact" -> {
                Folder folder = saved == null ? Folder.contacts(mb.defaultContactFolder())
                        : folder(mb, t(saved, "DistinguishedFolderId"), t(saved, "FolderId"));
                if (folder.calendar() != null) {
                    throw EwsException.response("ErrorInvalidOperation", "A contact can only be saved in a contacts folder.");
                }
                Contact ct = new Contact();
                EwsParse.applyContact(item, ct);
                synchronized (mb) {
                    return mb.createContact(folder.id(), ct);
                }
            }
            default -> throw EwsException.response("ErrorInvalidOperation",
                    "The sandbox does not emulate creating " + item.getLocalName() + " items.");
        }
    }

    // ---- UpdateItem ------------------------------------------------------------------------------------------

    void updateItem(Call c) {
        String resolution = Optional.ofNullable(attr(c.op(), "ConflictResolution")).orElse("AutoResolve");
        String sendMode = attr(c.op(), "SendMeetingInvitationsOrCancellations");
        Element changes = m(c.op(), "ItemChanges");
        for (Element change : EwsXml.children(changes, EwsXml.TYPES, "ItemChange")) {
            Object updated;
            try {
                updated = update(c, change, resolution, sendMode);
            } catch (EwsException e) {
                error(c.out(), "UpdateItemResponseMessage", e, true);
                continue;
            }
            success(c.out(), "UpdateItemResponseMessage");
            c.out().m("Items");
            synchronized (c.mb()) {
                renderItem(c.out(), c.mb(), updated, new Shape(Level.ID_ONLY, null), false);
            }
            c.out().end();
            c.out().m("ConflictResults").tv("Count", 0).end();
            c.out().end();
        }
    }

    private Object update(Call c, Element change, String resolution, String sendMode) {
        Mailbox mb = c.mb();
        Element idEl = null;
        for (Element e : elements(change)) {
            if (!e.getLocalName().equals("Updates")) {
                idEl = e;
                break;
            }
        }
        if (idEl == null) {
            throw EwsException.schema("ItemChange needs an item id");
        }
        List<Element> updates = elements(t(change, "Updates"));
        synchronized (mb) {
            Target target = resolve(mb, idEl);
            String sentKey = attr(idEl, "ChangeKey");
            String currentKey = changeKey(target.item());
            if (sentKey != null && !sentKey.equals(currentKey) && "NeverOverwrite".equals(resolution)) {
                throw EwsException.response("ErrorIrresolvableConflict", "The send or update operation could not be performed because "
                        + "the change key passed in the request does not match the current change key for the item.");
            }
            if (target.item() instanceof Contact ct) {
                return mb.updateContact(ct, x -> updates.forEach(u -> applyContactUpdate(u, x)));
            }
            if (sendMode == null) {
                throw EwsException.response("ErrorSendMeetingInvitationsOrCancellationsRequired",
                        "The SendMeetingInvitationsOrCancellations attribute is required for calendar items.");
            }
            MeetingOutbox.Scope scope = scope(sendMode);
            java.util.function.Consumer<Event> edit = x -> {
                updates.forEach(u -> applyEventUpdate(u, x));
                EwsParse.checkTimes(x);
            };
            Event before = io.nexchange.sandbox.internal.Json.copy((Event) target.item(), Event.class);
            Event after = target.master() != null ? mb.updateOccurrence(target.master(), target.originalStart(), edit)
                    : mb.updateItem((Event) target.item(), edit);
            meetingMessages.updated("ews", mb, before, after, target.master() != null ? target.originalStart() : null, scope);
            return after;
        }
    }

    private static void applyEventUpdate(Element update, Event e) {
        switch (update.getLocalName()) {
            case "SetItemField", "AppendToItemField" -> {
                Element value = t(update, "CalendarItem");
                if (value == null) {
                    throw EwsException.response("ErrorIncorrectUpdatePropertyCount", "An object within a change description must contain one "
                            + "and only one property to modify.");
                }
                EwsParse.applyCalendarItem(value, e, false);
            }
            case "DeleteItemField" -> EwsParse.deleteCalendarField(fieldUri(update), e);
            default -> throw EwsException.schema("unknown update " + update.getLocalName());
        }
    }

    private static void applyContactUpdate(Element update, Contact ct) {
        switch (update.getLocalName()) {
            case "SetItemField", "AppendToItemField" -> {
                Element value = t(update, "Contact");
                if (value == null) {
                    throw EwsException.response("ErrorIncorrectUpdatePropertyCount", "An object within a change description must contain one "
                            + "and only one property to modify.");
                }
                EwsParse.applyContact(value, ct);
            }
            case "DeleteItemField" -> {
                Element indexed = t(update, "IndexedFieldURI");
                EwsParse.deleteContactField(fieldUri(update), indexed == null ? null : indexed.getAttribute("FieldIndex"), ct);
            }
            default -> throw EwsException.schema("unknown update " + update.getLocalName());
        }
    }

    private static String fieldUri(Element update) {
        Element f = t(update, "FieldURI");
        if (f == null) {
            f = t(update, "IndexedFieldURI");
        }
        if (f == null) {
            throw EwsException.response("ErrorInvalidPropertyDelete", "The sandbox deletes only FieldURI and IndexedFieldURI properties.");
        }
        return f.getAttribute("FieldURI");
    }

    /** Who an UpdateItem tells: {@code SendToNone} nobody, {@code SendOnlyToChanged}/{@code SendToChangedAndSaveCopy} the
     * attendees concerned, {@code SendOnlyToAll}/{@code SendToAllAndSaveCopy} everyone. */
    private static MeetingOutbox.Scope scope(String sendMode) {
        return switch (sendMode) {
            case "SendToNone" -> MeetingOutbox.Scope.NONE;
            case "SendOnlyToChanged", "SendToChangedAndSaveCopy" -> MeetingOutbox.Scope.CONCERNED;
            case "SendOnlyToAll", "SendToAllAndSaveCopy" -> MeetingOutbox.Scope.ALL;
            default -> throw EwsException.schema("SendMeetingInvitationsOrCancellations must be SendToNone, SendOnlyToAll, "
                    + "SendOnlyToChanged, SendToAllAndSaveCopy or SendToChangedAndSaveCopy");
        };
    }

    // ---- DeleteItem ----------------------------------------------------------------------------------------------

    void deleteItem(Call c) {
        String deleteType = attr(c.op(), "DeleteType");
        if (deleteType == null || !Set.of("HardDelete", "SoftDelete", "MoveToDeletedItems").contains(deleteType)) {
            throw EwsException.schema("DeleteType must be HardDelete, SoftDelete or MoveToDeletedItems");
        }
        String cancellations = attr(c.op(), "SendMeetingCancellations");
        for (Element idEl : elements(m(c.op(), "ItemIds"))) {
            try {
                Mailbox mb = c.mb();
                synchronized (mb) {
                    Target target = resolve(mb, idEl);
                    if (target.item() instanceof Contact ct) {
                        mb.deleteContact(ct);
                    } else {
                        if (cancellations == null) {
                            throw EwsException.response("ErrorSendMeetingCancellationsRequired",
                                    "The SendMeetingCancellations attribute is required for calendar items.");
                        }
                        boolean send = !"SendToNone".equals(cancellations);
                        if (target.master() != null) {
                            meetingMessages.deleted("ews", mb, target.master(), target.originalStart(), send, null);
                            mb.cancelOccurrence(target.master(), target.originalStart());
                        } else {
                            meetingMessages.deleted("ews", mb, (Event) target.item(), null, send, null);
                            mb.deleteItem((Event) target.item());
                        }
                    }
                }
            } catch (EwsException e) {
                error(c.out(), "DeleteItemResponseMessage", e, false);
                continue;
            }
            success(c.out(), "DeleteItemResponseMessage");
            c.out().end();
        }
    }

    // ---- ids, folders, shapes ---------------------------------------------------------------------------------------

    /** What an id element names: an item (master, single, contact) or an occurrence (master + original start). */
    record Target(Object item, Event master, Instant originalStart) {
    }

    static Target resolve(Mailbox mb, Element idEl) {
        switch (idEl.getLocalName()) {
            case "ItemId" -> {
                String id = restId(idEl.getAttribute("Id"));
                Optional<ItemIds.Occurrence> occurrence = ItemIds.parseOccurrence(id);
                Optional<Event> event = mb.event(id);
                if (event.isPresent()) {
                    if (occurrence.isPresent()) {
                        Event master = mb.item(occurrence.get().masterId()).orElseThrow(EwsException::itemNotFound);
                        return new Target(event.get(), master, occurrence.get().originalStart());
                    }
                    return new Target(event.get(), null, null);
                }
                return new Target(mb.contact(id).orElseThrow(EwsException::itemNotFound), null, null);
            }
            case "OccurrenceItemId" -> {
                Event master = mb.item(restId(idEl.getAttribute("RecurringMasterId"))).orElseThrow(EwsException::itemNotFound);
                if (!master.isSeriesMaster()) {
                    throw EwsException.response("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange",
                            "The occurrence index is out of recurrence range.");
                }
                int index = Integer.parseInt(idEl.getAttribute("InstanceIndex"));
                Instant originalStart = nthOccurrence(mb, master, index);
                if (master.cancelledOccurrences.contains(originalStart)) {
                    throw EwsException.response("ErrorCalendarOccurrenceIsDeletedFromRecurrence",
                            "Occurrence with this index was previously deleted from the recurrence.");
                }
                Event view = mb.event(ItemIds.occurrenceId(master.id, originalStart)).orElseThrow(EwsException::itemNotFound);
                return new Target(view, master, originalStart);
            }
            case "RecurringMasterItemId" -> {
                String occurrenceId = restId(idEl.getAttribute("OccurrenceId"));
                String masterId = ItemIds.parseOccurrence(occurrenceId).map(ItemIds.Occurrence::masterId).orElse(occurrenceId);
                Event master = mb.item(masterId).orElseThrow(EwsException::itemNotFound);
                return new Target(master, null, null);
            }
            default -> throw EwsException.schema("unknown item id element " + idEl.getLocalName());
        }
    }

    private static Instant nthOccurrence(Mailbox mb, Event master, int index) {
        ZoneId zone = TimeZones.zoneOrUtc(master.recurrence.range.recurrenceTimeZone != null
                ? master.recurrence.range.recurrenceTimeZone : master.start.timeZone);
        List<LocalDate> dates = RecurrenceExpander.dates(master.recurrence.pattern, master.recurrence.range, LocalDate.of(2200, 1, 1));
        if (index < 1 || index > dates.size()) {
            throw EwsException.response("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "The occurrence index is out of recurrence range.");
        }
        LocalDate date = dates.get(index - 1);
        // the occurrence's original start: the master's wall-clock start on that date in the series zone
        Instant masterStart = Mailbox.startOf(master);
        Instant candidate = date.atTime(masterStart.atZone(zone).toLocalTime()).atZone(zone).toInstant();
        if (!mb.isOccurrence(master, candidate)) {
            throw EwsException.response("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "The occurrence index is out of recurrence range.");
        }
        return candidate;
    }

    /** An EWS id (standard base64) as the store's REST id; anything that is not an Exchange-style id is malformed. */
    static String restId(String ewsId) {
        if (ewsId == null || ewsId.isEmpty()) {
            throw EwsException.malformedId();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(ewsId);
        } catch (IllegalArgumentException e) {
            throw EwsException.malformedId();
        }
        if (raw.length < 37 || raw[0] != 0 || raw[1] != 3 || raw[2] != 0x24 || raw[3] != 0) {
            throw EwsException.malformedId();
        }
        return ItemIds.ewsToRest(ewsId);
    }

    /** A calendar or contact folder of the mailbox. */
    record Folder(String id, CalendarFolder calendar, ContactFolder contacts) {
        static Folder calendar(CalendarFolder f) {
            return new Folder(f.id, f, null);
        }

        static Folder contacts(ContactFolder f) {
            return new Folder(f.id, null, f);
        }
    }

    static Folder folder(Mailbox mb, Element distinguished, Element folderId) {
        if (distinguished != null) {
            String name = distinguished.getAttribute("Id");
            return switch (name) {
                case "calendar" -> Folder.calendar(mb.defaultCalendar());
                case "contacts" -> Folder.contacts(mb.defaultContactFolder());
                default -> throw EwsException.response("ErrorFolderNotFound",
                        "The specified folder could not be found in the store. (The sandbox has only calendar and contacts folders.)");
            };
        }
        if (folderId != null) {
            String id = ItemIds.ewsToRest(folderId.getAttribute("Id"));
            Optional<CalendarFolder> cal = mb.calendars().stream().filter(f -> f.id.equals(id)).findFirst();
            if (cal.isPresent()) {
                return Folder.calendar(cal.get());
            }
            Optional<ContactFolder> cf = mb.contactFolders().stream().filter(f -> f.id.equals(id)).findFirst();
            if (cf.isPresent()) {
                return Folder.contacts(cf.get());
            }
            throw EwsException.response("ErrorFolderNotFound", "The specified folder could not be found in the store.");
        }
        throw EwsException.schema("a folder id is required");
    }

    static Shape shape(Element itemShape) {
        String base = text(t(itemShape, "BaseShape"));
        String bodyType = text(t(itemShape, "BodyType"));
        Level level = switch (base == null ? "Default" : base) {
            case "IdOnly" -> t(itemShape, "AdditionalProperties") != null ? Level.DEFAULT : Level.ID_ONLY;
            case "AllProperties" -> Level.ALL;
            default -> Level.DEFAULT;
        };
        Set<String> extended = new HashSet<>();
        for (Element f : EwsXml.children(t(itemShape, "AdditionalProperties"), EwsXml.TYPES, "ExtendedFieldURI")) {
            String named = EwsParse.namedPropertyId(f);
            extended.add(named != null ? named : f.getAttribute("DistinguishedPropertySetId") + ":" + f.getAttribute("PropertyId"));
        }
        return new Shape(level, bodyType == null ? "Best" : bodyType, extended);
    }

    private static void renderItem(Out o, Mailbox mb, Object item, Shape shape, boolean summary) {
        if (item instanceof Event e) {
            EwsRender.calendarItem(o, mb, e, shape, summary);
        } else {
            EwsRender.contact(o, (Contact) item, shape, summary);
        }
    }

    private static String changeKey(Object item) {
        return item instanceof Event e ? e.changeKey : ((Contact) item).changeKey;
    }

    // ---- response messages -------------------------------------------------------------------------------------------

    /** Opens a successful response message (the caller adds the operation's elements and closes it). */
    static void success(Out o, String name) {
        o.m(name).attr("ResponseClass", "Success");
        o.mv("ResponseCode", "NoError");
    }

    static void error(Out o, String name, EwsException e, boolean emptyItems) {
        o.m(name).attr("ResponseClass", "Error");
        o.mv("MessageText", e.getMessage());
        o.mv("ResponseCode", e.code);
        o.mv("DescriptiveLinkKey", 0);
        if (!e.messageXml.isEmpty()) {
            o.m("MessageXml");
            e.messageXml.forEach((k, v) -> o.t("Value").attr("Name", k).text(v).end());
            o.end();
        }
        if (emptyItems) {
            o.m("Items").end();
        }
        o.end();
    }
}
