package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.models.Event;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.events.item.EventItemRequestBuilder;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.GraphEventWrite;
import io.nexchange.graph.calendar.mapping.ICalendarToEvent;
import io.nexchange.graph.calendar.mapping.MappingException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.GraphCall;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes iCalendar objects into a Graph calendar (the two-way direction): the single event or series master by
 * POST/PATCH, then each override as a PATCH of its occurrence (found through {@code /instances} around its
 * original start) and each EXDATE as a DELETE of its occurrence.
 *
 * <ul>
 *   <li>Optimistic concurrency: PATCH and DELETE carry {@code If-Match: W/"changeKey"}; 412 →
 *       {@link PreconditionFailedException}.</li>
 *   <li>Idempotent create: the POST carries a {@code transactionId} derived from the ItemKey, so a create retried
 *       after a crash gets the event the first attempt made instead of a duplicate.</li>
 * </ul>
 * Graph assigns its own iCalUId to a created event; the engine keeps the ref (Graph id) with the item's status.
 */
final class CalendarTarget implements ItemTarget {
    /** The most cancelled and modified occurrences of one series written to Exchange (each costs a lookup and a write). */
    static final int MAX_OCCURRENCE_WRITES = 500;

    private final GraphServiceClient graph;
    private final String mailbox;
    private final CollectionRef calendar;
    private final ICalendarToEvent reverse;
    private final GraphCall call;

    CalendarTarget(GraphServiceClient graph, String mailbox, CollectionRef calendar, WindowsZones zones, CalendarSettings settings) {
        this.graph = graph;
        this.mailbox = mailbox;
        this.calendar = calendar;
        this.reverse = new ICalendarToEvent(zones, settings.mailboxZone());
        this.call = new GraphCall(mailbox, GraphCalendarStore.PERMISSION);
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        GraphEventWrite write = map(content);
        Event body = write.event();
        body.setTransactionId(UUID.nameUUIDFromBytes(("nexchange:" + key.value()).getBytes(StandardCharsets.UTF_8)).toString());
        Event created = call.run("create an event", () -> calendar.isDefault()
                ? graph.users().byUserId(mailbox).calendar().events().post(body)
                : graph.users().byUserId(mailbox).calendars().byCalendarId(calendar.id()).events().post(body));
        applyOccurrences(created, write);
        return version(created.getId()).orElseThrow(() -> new StoreException("The event created in " + mailbox
                + " vanished at once", true));
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        GraphEventWrite write = map(content);
        Event updated = call.run("update an event", () -> event(ref).patch(write.event(), c -> c.headers.add("If-Match",
                etag(expectedVersion))));
        applyOccurrences(updated, write);
        return version(ref).orElseThrow(() -> new PreconditionFailedException("Event " + ref + " of " + mailbox
                + " vanished during the update"));
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        call.execUnlessGone("delete an event", () -> event(ref).delete(c -> c.headers.add("If-Match", etag(expectedVersion))));
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        return call.runIfPresent("read an event", () -> event(ref).get(c -> c.queryParameters.select = new String[] {"id",
                "changeKey"})).map(e -> new ItemVersion(e.getId(), e.getChangeKey()));
    }

    private EventItemRequestBuilder event(String id) {
        return graph.users().byUserId(mailbox).events().byEventId(id);
    }

    private static String etag(String changeKey) {
        return changeKey == null || changeKey.isEmpty() ? "*" : "W/\"" + changeKey + "\"";
    }

    private GraphEventWrite map(ItemContent content) throws StoreException {
        GraphEventWrite write;
        try {
            write = reverse.fromText(content.text());
        } catch (MappingException | IllegalArgumentException e) {
            throw new ItemRejectedException("The event cannot be written to Exchange for " + mailbox + ": " + e.getMessage(), e);
        }
        int occurrences = write.exceptions().size() + write.cancelledOccurrences().size();
        if (occurrences > MAX_OCCURRENCE_WRITES) {
            // refused before anything is written: a series half written would be worse than none
            throw new ItemRejectedException("The event cannot be written to Exchange for " + mailbox + ": its series has "
                    + write.cancelledOccurrences().size() + " cancelled (EXDATE) and " + write.exceptions().size()
                    + " modified occurrences; Graph takes each as two requests of their own, and more than "
                    + MAX_OCCURRENCE_WRITES + " would spend the mailbox's request budget on one item. Split the series in"
                    + " Nextcloud (end it and start a new one) or remove the old EXDATEs");
        }
        return write;
    }

    /** Overrides and EXDATEs: the occurrences of the series at their original starts. */
    private void applyOccurrences(Event master, GraphEventWrite write) throws StoreException {
        for (GraphEventWrite.Occurrence o : write.exceptions()) {
            String id = occurrenceAt(master.getId(), o.originalStart());
            call.run("modify an occurrence", () -> event(id).patch(o.event()));
        }
        for (Instant start : write.cancelledOccurrences()) {
            String id;
            try {
                id = occurrenceAt(master.getId(), start);
            } catch (StoreException alreadyGone) {
                continue;
            }
            call.exec("cancel an occurrence", () -> event(id).delete());
        }
    }

    private String occurrenceAt(String masterId, Instant originalStart) throws StoreException {
        List<Event> instances = call.run("list occurrences", () -> event(masterId).instances().get(c -> {
            c.queryParameters.startDateTime = originalStart.minus(1, ChronoUnit.DAYS).toString();
            c.queryParameters.endDateTime = originalStart.plus(2, ChronoUnit.DAYS).toString();
            c.queryParameters.select = new String[] {"id", "originalStart"};
        }).getValue());
        return instances.stream().filter(i -> i.getOriginalStart() != null && i.getOriginalStart().toInstant().equals(originalStart))
                .map(Event::getId).findFirst().orElseThrow(() -> new StoreException("The series " + masterId + " of " + mailbox
                        + " has no occurrence at " + originalStart, false));
    }
}
