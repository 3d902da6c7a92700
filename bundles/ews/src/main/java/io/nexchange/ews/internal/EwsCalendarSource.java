package io.nexchange.ews.internal;

import com.microsoft.graph.models.Event;
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
import io.nexchange.graph.calendar.mapping.EventSeries;
import io.nexchange.graph.calendar.mapping.EventToICalendar;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes of one EWS calendar folder, listing apart from fetching: {@link #changes} lists one {@code SyncFolderItems}
 * page (ids and change keys); {@link #fetch(List)} gets what the engine asks for (batched {@code GetItem}, then of the
 * masters' modified occurrences) and maps it as the Graph store does: one iCalendar object per series (master,
 * overrides, EXDATEs) keyed by its UID.
 *
 * <ul>
 *   <li>SyncFolderItems lists masters and single items, never occurrences: an edited or deleted occurrence changes
 *       its master's change key, so the master is listed again and the whole series emitted.</li>
 *   <li>The window: like the Graph store (calendarView from {@code daysBack} to {@code daysAhead}), only items with
 *       an occurrence in it are emitted, judged by Start/End or FirstOccurrence/LastOccurrence.</li>
 *   <li>A deleted item comes back as an id only: the removal names the item by its ref (REST-encoded id, the same
 *       as Graph's), which the engine resolves to the key it recorded.</li>
 *   <li>ErrorInvalidSyncStateData → CursorExpiredException: the engine lists again and reconciles by key.</li>
 * </ul>
 */
final class EwsCalendarSource implements ItemSource {
    private final EwsMailbox mailbox;
    private final String folder;
    private final EwsSettings settings;
    private final CalendarItems items;
    private final EventToICalendar mapper;
    private final Clock clock;

    EwsCalendarSource(EwsMailbox mailbox, String folder, EwsSettings settings, WindowsZones zones, Clock clock) {
        this.mailbox = mailbox;
        this.folder = folder;
        this.settings = settings;
        this.items = new CalendarItems(zones);
        this.mapper = new EventToICalendar(zones);
        this.clock = clock;
    }

    /**
     * Lists one SyncFolderItems page as (ref, change key): the key is only a guess (the UID comes with the item), the
     * engine goes by ref for items it knows and by the fetched UID otherwise.
     */
    @Override
    public ChangePage changes(Cursor cursor) throws StoreException {
        EwsCursor state = EwsCursor.parse(cursor, mailbox.smtp() + "'s calendar");
        return list(state).toPage(state, "CalendarItem", ItemKey::event);
    }

    /**
     * Fetches the series of the listed refs; items outside the window are left out, gone ones removed, ones that cannot
     * be read handed over as {@link Change#unreadable} (the engine quarantines them).
     */
    @Override
    public List<Change> fetch(List<String> refs) throws StoreException {
        List<String> ids = refs.stream().map(CalendarItems::ewsId).toList();
        Map<String, Change> unreadable = new java.util.HashMap<>();
        Map<String, Optional<EventSeries>> fetched = series(ids, unreadable);
        List<Change> changes = new ArrayList<>();
        for (String id : ids) {
            String ref = CalendarItems.restId(id);
            if (unreadable.containsKey(id)) {
                changes.add(unreadable.get(id));
                continue;
            }
            if (!fetched.containsKey(id)) {
                continue; // outside the window, as Graph's calendarView leaves it out
            }
            Optional<EventSeries> series = fetched.get(id);
            if (series.isEmpty()) {
                changes.add(Change.removal(ItemKey.event(ref), ref)); // deleted since it was listed
            } else {
                emit(series.get(), changes);
            }
        }
        return changes;
    }

    /** The listing step: one SyncFolderItems page. */
    EwsMailbox.Listing list(EwsCursor state) throws StoreException {
        return mailbox.list(folder, state.syncState());
    }

    /**
     * The fetching step: the listed items whole (GetItem, batched), each master with its modified occurrences (a
     * second batched GetItem for all masters of the page) and deleted occurrences. Items outside the window, and
     * gone ones, map to empty.
     */
    Map<String, Optional<EventSeries>> series(List<String> itemIds, Map<String, Change> unreadable) throws StoreException {
        if (itemIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Optional<XmlElement>> found = mailbox.getItems(itemIds, true);
        List<String> occurrenceIds = new ArrayList<>();
        Instant[] window = window();
        Map<String, Optional<EventSeries>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Optional<XmlElement>> f : found.entrySet()) {
            if (f.getValue().isPresent()) {
                Instant[] span = CalendarItems.span(f.getValue().get());
                if (!overlaps(span, window)) {
                    continue; // outside the window, as Graph's calendarView leaves it out
                }
                occurrenceIds.addAll(CalendarItems.modifiedOccurrenceIds(f.getValue().get()));
            }
        }
        Map<String, Optional<XmlElement>> occurrences = occurrenceIds.isEmpty() ? Map.of() : mailbox.getItems(occurrenceIds, true);
        for (Map.Entry<String, Optional<XmlElement>> f : found.entrySet()) {
            if (f.getValue().isEmpty()) {
                out.put(f.getKey(), Optional.empty());
                continue;
            }
            XmlElement item = f.getValue().get();
            if (!overlaps(CalendarItems.span(item), window)) {
                continue;
            }
            try {
                Event master = items.toEvent(item);
                List<Event> exceptions = new ArrayList<>();
                for (String id : CalendarItems.modifiedOccurrenceIds(item)) {
                    occurrences.getOrDefault(id, Optional.empty()).ifPresent(o -> exceptions.add(items.toEvent(o)));
                }
                out.put(f.getKey(), Optional.of(new EventSeries(master, exceptions, CalendarItems.deletedOccurrences(item))));
            } catch (RuntimeException e) {
                // one unreadable item must not stop the calendar: the engine quarantines it until it changes
                unreadable.put(f.getKey(), unreadable(item, e.toString()));
            }
        }
        return out;
    }

    private void emit(EventSeries series, List<Change> changes) {
        Event master = series.master();
        String version = master.getChangeKey() == null ? "" : master.getChangeKey();
        String subject = master.getSubject() == null ? "" : master.getSubject();
        if (master.getICalUId() == null || master.getICalUId().isBlank()) {
            changes.add(Change.unreadable(ItemKey.event(master.getId()), master.getId(), version, subject, "EWS gave the item no UID"));
            return;
        }
        String text;
        try {
            text = mapper.toText(series, mailbox.smtp());
        } catch (RuntimeException e) {
            changes.add(Change.unreadable(ItemKey.event(master.getICalUId()), master.getId(), version, subject,
                    String.valueOf(e.getMessage())));
            return;
        }
        changes.add(Change.upsert(new Item(ItemKey.event(master.getICalUId()), master.getId(), version,
                new ItemContent(CollectionKind.CALENDAR.mediaType(), text))));
    }

    /** A calendar item that could not be read, with what its XML still tells (id, change key, UID, subject). */
    private static Change unreadable(XmlElement item, String reason) {
        Optional<XmlElement> id = item.child("ItemId");
        String ref = CalendarItems.restId(id.map(i -> i.attribute("Id")).orElse("?"));
        String uid = item.childText("UID");
        String version = id.map(i -> i.attribute("ChangeKey")).orElse("");
        return Change.unreadable(ItemKey.event(uid == null || uid.isBlank() ? ref : uid), ref, version == null ? "" : version,
                item.childText("Subject") == null ? "" : item.childText("Subject"), reason);
    }

    private Instant[] window() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return new Instant[] {today.minusDays(settings.daysBack()).atStartOfDay(ZoneOffset.UTC).toInstant(),
            today.plusDays(settings.daysAhead()).atStartOfDay(ZoneOffset.UTC).toInstant()};
    }

    /** Graph's calendarView rule: an item overlaps [from, to); one without duration counts if it starts inside. */
    static boolean overlaps(Instant[] span, Instant[] window) {
        if (!span[1].isAfter(span[0])) {
            return !span[0].isBefore(window[0]) && span[0].isBefore(window[1]);
        }
        return span[0].isBefore(window[1]) && span[1].isAfter(window[0]);
    }
}
