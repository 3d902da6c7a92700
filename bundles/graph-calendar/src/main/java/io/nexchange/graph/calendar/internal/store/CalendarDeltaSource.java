package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.calendarview.delta.DeltaGetResponse;
import com.microsoft.graph.users.item.calendarview.delta.DeltaRequestBuilder;
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
import io.nexchange.graph.calendar.mapping.EventSeries;
import io.nexchange.graph.calendar.mapping.EventToICalendar;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.GraphBatchReader;
import io.nexchange.graph.client.GraphCall;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of one Graph calendar through {@code calendarView/delta}: one {@link ChangePage} per Graph page.
 *
 * <ul>
 *   <li>Singles come complete in the delta page and are mapped as they are.</li>
 *   <li>Occurrences and exceptions are not items: their series is. For each series touched on a page the master
 *       is read once per round (with {@code $expand=exceptionOccurrences} and {@code $select=cancelledOccurrences},
 *       20 per {@code $batch}) and the whole series is emitted as one iCalendar object.</li>
 *   <li>{@code @removed} of a known single: the event is read; gone → removal, still there (moved out of the
 *       window, which Graph also reports as removed) → upsert. A removed occurrence whose series is not otherwise
 *       touched in the round makes the source check every known master at the end of the round (id + changeKey,
 *       20 per batch): gone → removal, changed → series emitted again.</li>
 * </ul>
 */
final class CalendarDeltaSource implements ItemSource {

    private static final Logger LOG = LoggerFactory.getLogger(CalendarDeltaSource.class);
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private final GraphServiceClient graph;
    private final String mailbox;
    private final CollectionRef calendar;
    private final CalendarSettings settings;
    private final EventToICalendar mapper;
    private final WindowsZones zones;
    private final Clock clock;
    private final GraphCall call;
    private final GraphBatchReader reader;
    private final EventRead fullEvents;
    private final EventRead changeKeys;
    /** Masters emitted in the current round: a series is read once per round, however many pages touch it. */
    private final Set<String> emittedThisRound = new HashSet<>();
    private int requests;

    private final PendingSeriesWrites pending;

    CalendarDeltaSource(GraphServiceClient graph, String mailbox, CollectionRef calendar, CalendarSettings settings,
            WindowsZones zones, Clock clock, PendingSeriesWrites pending) {
        this.graph = graph;
        this.pending = pending;
        this.mailbox = mailbox;
        this.calendar = calendar;
        this.settings = settings;
        this.zones = zones;
        this.mapper = new EventToICalendar(zones);
        this.clock = clock;
        this.call = new GraphCall(mailbox, GraphCalendarStore.PERMISSION);
        this.reader = new GraphBatchReader(graph, call);
        this.fullEvents = new EventRead(graph, mailbox, true);
        this.changeKeys = new EventRead(graph, mailbox, false);
    }

    @Override
    public ChangePage changes(Cursor cursor) throws StoreException {
        CalendarCursor state = CalendarCursor.parse(cursor);
        String url;
        long today = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toEpochDay();
        if (state.link == null) {
            state = CalendarCursor.initial();
            state.windowDay = today;
            state.daysBack = settings.daysBack();
            state.daysAhead = settings.daysAhead();
            url = initialUrl();
            emittedThisRound.clear();
        } else {
            url = state.link;
            if (state.daysBack >= 0 && (state.daysBack != settings.daysBack() || state.daysAhead != settings.daysAhead())) {
                // a delta link keeps its window: only a full read under the new setting lists the items entering it,
                // and (a complete listing) lets the items leaving it be removed
                throw new CursorExpiredException("The calendar window of " + mailbox + " changed from " + state.daysBack
                        + " days back / " + state.daysAhead + " ahead to " + settings.daysBack() + " / " + settings.daysAhead()
                        + " (windowDaysBack, windowDaysAhead); the calendar is read again in the new window.");
            }
            if (url.contains("deltatoken=") || url.contains("deltaToken=")) {
                if (today - state.windowDay >= settings.windowRenewDays()) {
                    throw new CursorExpiredException("The synchronised window of " + mailbox + "'s calendar was set "
                            + (today - state.windowDay) + " days ago (windowRenewDays=" + settings.windowRenewDays() + "); the"
                            + " calendar is read again to move it forward.");
                }
                // a new incremental round
                emittedThisRound.clear();
                state.complete = false;
                state.unresolvedRemovals = false;
            }
        }
        requests++;
        // a new builder per attempt: Kiota consumes the raw URL of a builder when it sends, and a second send from
        // the same builder expands the template without the mailbox (/users//calendarView/delta)
        DeltaGetResponse page = call.run("read the calendar changes", () -> new DeltaRequestBuilder(url, graph.getRequestAdapter())
                .get(c -> c.headers.add("Prefer", "odata.maxpagesize=" + settings.pageSize())));

        List<Change> changes = new ArrayList<>();
        Set<String> touchedMasters = new LinkedHashSet<>();
        List<String> removed = new ArrayList<>();
        for (Event e : page.getValue() == null ? List.<Event>of() : page.getValue()) {
            if (isRemoved(e)) {
                removed.add(e.getId());
            } else if (e.getSeriesMasterId() != null) {
                touchedMasters.add(e.getSeriesMasterId());
            } else if (e.getType() == EventType.SeriesMaster) {
                touchedMasters.add(e.getId());
            } else {
                emit(EventSeries.single(e), state, changes);
            }
        }
        touchedMasters.removeAll(emittedThisRound);
        resolveRemovals(removed, touchedMasters, state, changes);
        emitSeries(touchedMasters, state, changes);

        String next = page.getOdataNextLink();
        boolean hasMore = next != null;
        if (!hasMore) {
            next = page.getOdataDeltaLink();
            if (next == null) {
                throw new StoreException("Graph's calendar delta page for " + mailbox + " has neither nextLink nor deltaLink",
                        true);
            }
            if (state.unresolvedRemovals) {
                checkKnownMasters(state, changes);
                state.unresolvedRemovals = false;
            }
        }
        boolean complete = state.complete;
        state.link = next;
        // a round from INITIAL lists the window's events only: the engine asks (fetch) about those it knows and did not get
        return new ChangePage(changes, state.toCursor(), hasMore, complete, complete);
    }

    /**
     * Reads events by id (20 per {@code $batch}, a single GET for one), whether or not they are in the window: the engine
     * asks about the events its status knows that a full listing of the window did not list (an event that ended long
     * ago, one made far ahead), and re-reads one after a 412. Gone (404) → removal; there → the series or single as the
     * listing would emit it, in its current version. Needs no cursor and changes none.
     */
    @Override
    public List<Change> fetch(List<String> refs) throws StoreException {
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, Optional<Event>> found : reader.read(new LinkedHashSet<>(refs), fullEvents).entrySet()) {
            String id = found.getKey();
            if (found.getValue().isEmpty()) {
                changes.add(Change.removal(ItemKey.event(id), id));
                continue;
            }
            Event event = found.getValue().get();
            List<Event> exceptions = event.getExceptionOccurrences() == null ? List.of() : event.getExceptionOccurrences();
            emit(event.getType() == EventType.SeriesMaster ? new EventSeries(event, exceptions, cancelledStarts(event))
                    : EventSeries.single(event), null, changes);
        }
        return changes;
    }

    private String initialUrl() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Instant from = today.minusDays(settings.daysBack()).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = today.plusDays(settings.daysAhead()).atStartOfDay(ZoneOffset.UTC).toInstant();
        String scope = calendar.isDefault() ? "/calendarView/delta"
                : "/calendars/" + encode(calendar.id()) + "/calendarView/delta";
        return graph.getRequestAdapter().getBaseUrl() + "/users/" + encode(mailbox) + scope + "?startDateTime="
                + encode(GRAPH_TIME.format(from.atOffset(ZoneOffset.UTC))) + "&endDateTime="
                + encode(GRAPH_TIME.format(to.atOffset(ZoneOffset.UTC)));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static boolean isRemoved(Event e) {
        return e.getAdditionalData() != null && e.getAdditionalData().containsKey("@removed");
    }

    private void resolveRemovals(List<String> removed, Set<String> touchedMasters, CalendarCursor state, List<Change> changes)
            throws StoreException {
        Set<String> knownSingles = new LinkedHashSet<>();
        for (String id : removed) {
            CalendarCursor.Entry entry = state.index.get(id);
            if (entry != null && !entry.master()) {
                knownSingles.add(id);
            } else if (entry != null) {
                touchedMasters.add(id);
            } else {
                // an occurrence (or something never emitted): its series shows up elsewhere in this round, or the
                // masters are checked when the round ends
                state.unresolvedRemovals = true;
            }
        }
        if (knownSingles.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Optional<Event>> found : reader.read(knownSingles, fullEvents).entrySet()) {
            String id = found.getKey();
            if (found.getValue().isPresent()) {
                // moved out of the window (Graph reports it as removed): keep it, in its new version
                emit(EventSeries.single(found.getValue().get()), state, changes);
            } else {
                CalendarCursor.Entry gone = state.index.remove(id);
                changes.add(Change.removal(ItemKey.event(gone.uid()), id));
            }
        }
    }

    private void emitSeries(Set<String> masterIds, CalendarCursor state, List<Change> changes) throws StoreException {
        if (masterIds.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Optional<Event>> found : reader.read(masterIds, fullEvents).entrySet()) {
            String id = found.getKey();
            emittedThisRound.add(id);
            if (found.getValue().isEmpty()) {
                CalendarCursor.Entry gone = state.index.remove(id);
                if (gone != null) {
                    changes.add(Change.removal(ItemKey.event(gone.uid()), id));
                }
                continue;
            }
            Event master = found.getValue().get();
            if (master.getType() != EventType.SeriesMaster) {
                emit(EventSeries.single(master), state, changes);
                continue;
            }
            List<Event> exceptions = master.getExceptionOccurrences() == null ? List.of() : master.getExceptionOccurrences();
            emit(new EventSeries(master, exceptions, cancelledStarts(master)), state, changes);
        }
    }

    /** At the end of a round with unplaced removals: every known master not emitted this round, by changeKey. */
    private void checkKnownMasters(CalendarCursor state, List<Change> changes) throws StoreException {
        Set<String> masters = new LinkedHashSet<>();
        state.index.forEach((id, e) -> {
            if (e.master() && !emittedThisRound.contains(id)) {
                masters.add(id);
            }
        });
        if (masters.isEmpty()) {
            return;
        }
        Set<String> changed = new LinkedHashSet<>();
        for (Map.Entry<String, Optional<Event>> found : reader.read(masters, changeKeys).entrySet()) {
            CalendarCursor.Entry known = state.index.get(found.getKey());
            if (found.getValue().isEmpty()) {
                state.index.remove(found.getKey());
                changes.add(Change.removal(ItemKey.event(known.uid()), found.getKey()));
            } else if (!java.util.Objects.equals(found.getValue().get().getChangeKey(), known.changeKey())) {
                changed.add(found.getKey());
            }
        }
        emitSeries(changed, state, changes);
    }

    /** @param state the round's cursor, whose index learns the event; null for a {@link #fetch} */
    private void emit(EventSeries series, CalendarCursor state, List<Change> changes) {
        Event master = series.master();
        if (master.getId() == null) {
            LOG.warn("Ignored an event of {} without id in Graph's answer", mailbox);
            return;
        }
        String version = master.getChangeKey() == null ? "" : pending.reported(mailbox, master.getId(), master.getChangeKey());
        String subject = master.getSubject() == null ? "" : master.getSubject();
        if (master.getICalUId() == null) {
            // one unreadable event must not stop the calendar: the engine quarantines it until it changes
            changes.add(Change.unreadable(ItemKey.event(master.getId()), master.getId(), version, subject,
                    "Graph gave the event no iCalUId"));
            return;
        }
        boolean isMaster = master.getType() == EventType.SeriesMaster;
        // indexed even when unreadable, so that its removal is recognised and ends its quarantine
        if (state != null) {
            state.index.put(master.getId(), new CalendarCursor.Entry(master.getICalUId(), isMaster, master.getChangeKey()));
        }
        String text;
        try {
            text = mapper.toText(series, mailbox);
        } catch (RuntimeException e) {
            changes.add(Change.unreadable(ItemKey.event(master.getICalUId()), master.getId(), version, subject,
                    withoutName(String.valueOf(e.getMessage()), "event " + master.getId())));
            return;
        }
        Change listed = Change.upsert(new Item(ItemKey.event(master.getICalUId()), master.getId(), version,
                new ItemContent(CollectionKind.CALENDAR.mediaType(), text)));
        // the POST's transactionId (CalendarTarget: Change.markFor of the key): the engine knows its own creation by it
        String transactionId = master.getTransactionId();
        changes.add(transactionId == null || transactionId.isEmpty() ? listed : listed.withCreationMark(transactionId));
    }

    /**
     * The mapping's reason without the item's name ({@code event ID ("subject") cannot be mapped: ...} becomes
     * {@code cannot be mapped: ...}): the quarantine record names the item already.
     */
    static String withoutName(String message, String named) {
        int end = message.indexOf(") cannot be mapped: ");
        return message.startsWith(named + " (") && end > 0 ? message.substring(end + 2) : message;
    }

    List<Instant> cancelledStarts(Event master) {
        return CancelledOccurrences.starts(master, zones, mailbox);
    }

    /** Graph requests this source sent (delta pages, batches and single GETs). */
    int requests() {
        return requests + reader.requests();
    }
}
