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
import io.nexchange.graph.calendar.mapping.GraphEventWrite;
import io.nexchange.graph.calendar.mapping.ICalendarToEvent;
import io.nexchange.graph.calendar.mapping.MappingException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Writes iCalendar objects into an EWS calendar folder: the single item or series master by {@code CreateItem} /
 * {@code UpdateItem}, then each override as an {@code UpdateItem} of its occurrence (found with a CalendarView
 * around its original start) and each EXDATE as a {@code DeleteItem} of its occurrence. No meeting message is ever
 * sent: {@code SendMeetingInvitations}, {@code SendMeetingInvitationsOrCancellations} and
 * {@code SendMeetingCancellations} are {@code SendToNone}. A meeting organised by someone else (the mailbox's copy of
 * an invitation, ORGANIZER another address) is not created: it would become a meeting the mailbox organises.
 *
 * <p>Optimistic concurrency: UpdateItem carries the expected ChangeKey with {@code ConflictResolution="NeverOverwrite"}
 * (ErrorIrresolvableConflict → {@link PreconditionFailedException}); DeleteItem has no change-key check in EWS, so the
 * change key is compared (GetItem IdOnly) just before. A created item keeps the iCalendar UID (EWS lets the writer set
 * it), so the ItemKey of what was written is the key it was written under.
 */
final class EwsCalendarTarget implements ItemTarget {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private final EwsMailbox mailbox;
    private final String folder;
    private final ICalendarToEvent reverse;
    private final CalendarItemWriter writer;

    EwsCalendarTarget(EwsMailbox mailbox, String folder, WindowsZones zones, EwsSettings settings) {
        this.mailbox = mailbox;
        this.folder = folder;
        this.reverse = new ICalendarToEvent(zones, settings.mailboxZone());
        this.writer = new CalendarItemWriter(zones);
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        GraphEventWrite write = map(content);
        Optional<String> elsewhere = write.organisedElsewhere(mailbox.smtp());
        if (elsewhere.isPresent()) {
            throw new ItemRejectedException(elsewhere.get());
        }
        SoapRequest r = mailbox.request("CreateItem").attr("SendMeetingInvitations", "SendToNone");
        r.m("SavedItemFolderId");
        EwsMailbox.folder(r, folder);
        r.end();
        r.m("Items");
        ItemField.writeItem(r, "CalendarItem", writer.fields(write.event(), key.value(), false));
        r.end();
        XmlElement message = mailbox.single(mailbox.call("CreateItem", r), "CreateItem");
        if (!EwsErrors.ok(message)) {
            throw mailbox.failure("creating an event", message);
        }
        String ref = mailbox.versionOf(message).ref();
        applyOccurrences(CalendarItems.ewsId(ref), write);
        return version(ref).orElseThrow(() -> new StoreException("The event created in "
                + mailbox.smtp() + " vanished at once", true));
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        GraphEventWrite write = map(content);
        String ewsId = CalendarItems.ewsId(ref);
        SoapRequest r = mailbox.request("UpdateItem").attr("ConflictResolution", "NeverOverwrite")
                .attr("SendMeetingInvitationsOrCancellations", "SendToNone");
        r.m("ItemChanges").t("ItemChange");
        r.t("ItemId").attr("Id", ewsId).attr("ChangeKey", expectedVersion == null || expectedVersion.isEmpty() ? null : expectedVersion)
                .end();
        ItemField.writeUpdates(r, "CalendarItem", writer.fields(write.event(), null, false));
        r.end().end();
        XmlElement message = mailbox.single(mailbox.call("UpdateItem", r), "UpdateItem");
        if (!EwsErrors.ok(message)) {
            throw mailbox.failure("updating event " + ref, message);
        }
        applyOccurrences(ewsId, write);
        return version(ref).orElseThrow(() -> new PreconditionFailedException("Event " + ref + " of " + mailbox.smtp()
                + " vanished during the update"));
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        mailbox.deleteUnchanged(ref, expectedVersion, true);
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        return mailbox.version(ref);
    }

    /** Overrides and EXDATEs: the occurrences of the series at their original starts. */
    private void applyOccurrences(String masterEwsId, GraphEventWrite write) throws StoreException {
        for (GraphEventWrite.Occurrence o : write.exceptions()) {
            String id = occurrenceAt(masterEwsId, write.uid(), o.originalStart()).orElseThrow(() -> new StoreException("The series "
                    + CalendarItems.restId(masterEwsId) + " of " + mailbox.smtp() + " has no occurrence at " + o.originalStart(), false));
            SoapRequest r = mailbox.request("UpdateItem").attr("ConflictResolution", "AutoResolve")
                    .attr("SendMeetingInvitationsOrCancellations", "SendToNone");
            r.m("ItemChanges").t("ItemChange");
            r.t("ItemId").attr("Id", id).end();
            ItemField.writeUpdates(r, "CalendarItem", writer.fields(o.event(), null, true));
            r.end().end();
            XmlElement message = mailbox.single(mailbox.call("UpdateItem", r), "UpdateItem");
            if (!EwsErrors.ok(message)) {
                throw mailbox.failure("modifying an occurrence", message);
            }
        }
        for (Instant start : write.cancelledOccurrences()) {
            Optional<String> id = occurrenceAt(masterEwsId, write.uid(), start);
            if (id.isPresent()) {
                mailbox.delete(id.get(), true);
            }
        }
    }

    /**
     * The occurrence of a series whose original start is {@code originalStart}, from a CalendarView around it. EWS gives
     * every occurrence its series' UID, which tells this series' occurrences from other items at the same time.
     */
    private Optional<String> occurrenceAt(String masterEwsId, String uid, Instant originalStart) throws StoreException {
        SoapRequest r = mailbox.request("FindItem").attr("Traversal", "Shallow");
        r.m("ItemShape").tv("BaseShape", "IdOnly").t("AdditionalProperties")
                .t("FieldURI").attr("FieldURI", "calendar:OriginalStart").end()
                .t("FieldURI").attr("FieldURI", "calendar:UID").end()
                .t("FieldURI").attr("FieldURI", "calendar:CalendarItemType").end().end().end();
        r.m("CalendarView").attr("MaxEntriesReturned", "200")
                .attr("StartDate", UTC.format(originalStart.minus(1, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC)))
                .attr("EndDate", UTC.format(originalStart.plus(2, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC))).end();
        r.m("ParentFolderIds");
        EwsMailbox.folder(r, folder);
        r.end();
        XmlElement message = mailbox.single(mailbox.call("FindItem", r), "FindItem");
        if (!EwsErrors.ok(message)) {
            throw mailbox.failure("listing occurrences", message);
        }
        List<XmlElement> found = message.child("RootFolder").flatMap(f -> f.child("Items")).map(XmlElement::children).orElse(List.of());
        for (XmlElement item : found) {
            Optional<String> original = CalendarItems.text(item, "OriginalStart");
            boolean sameSeries = uid == null || uid.equals(item.childText("UID"));
            if (sameSeries && original.isPresent() && CalendarItems.instant(original.get()).equals(originalStart)) {
                return item.child("ItemId").map(i -> i.attribute("Id"));
            }
        }
        return Optional.empty();
    }

    private GraphEventWrite map(ItemContent content) throws StoreException {
        try {
            return reverse.fromText(content.text());
        } catch (MappingException | IllegalArgumentException e) {
            throw new ItemRejectedException("The event cannot be written to Exchange for " + mailbox.smtp() + ": " + e.getMessage(), e);
        }
    }
}
