package io.nexchange.graph.calendar.internal.store;

import io.nexchange.graph.client.testing.SandboxGraph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventCollectionResponse;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.sandbox.DeadTokenMode;
import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.ExDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Graph calendar store against the sandbox in-process, through the real GraphClients (msal4j token, OkHttp,
 * throttling interceptor) — field by field against what the sandbox holds, incremental rounds after Outlook-style
 * edits, dead delta tokens, and the sandbox's throttling.
 */
class GraphCalendarStoreTest {

    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);
    private static final Instant FROM = ANCHOR.minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant TO = ANCHOR.plusDays(365).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SandboxServer sandbox;
    private static SandboxGraph env;
    private static GraphCalendarStore store;
    private static GraphServiceClient graph;
    private static final WindowsZones ZONES = WindowsZones.load();

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(6).eventsPerMailbox(60).contactsPerMailbox(3).seed(7)
                .anchorDate(ANCHOR).retryAfter("0.2"));
        env = new SandboxGraph(sandbox, ThrottleLimits.OUTLOOK);
        store = new GraphCalendarStore(env.clients, RegistrationAssignment.of(SandboxGraph.REGISTRATION),
                new CalendarSettings(30, 365, 25, false, ZoneId.of("Europe/Berlin"), 7), ZONES,
                Clock.fixed(ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC));
        graph = env.clients.forRegistration(SandboxGraph.REGISTRATION);
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** One whole round: the changes by key (later wins), the pages, the cursor to keep. */
    record Round(Map<ItemKey, Change> changes, int pages, Cursor cursor, boolean complete, int changeCount) {
    }

    static Round read(ItemSource source, Cursor from) throws StoreException {
        Map<ItemKey, Change> changes = new LinkedHashMap<>();
        Cursor cursor = from;
        int pages = 0;
        int count = 0;
        boolean complete;
        ChangePage page;
        do {
            page = source.changes(cursor);
            pages++;
            count += page.changes().size();
            page.changes().forEach(c -> changes.put(c.key(), c));
            cursor = page.next();
            complete = page.complete();
        } while (page.hasMore());
        return new Round(changes, pages, cursor, complete, count);
    }

    private static CollectionRef defaultCalendar(Owner owner) throws StoreException {
        List<CollectionRef> calendars = store.collections(owner, io.nexchange.api.CollectionKind.CALENDAR);
        assertTrue(calendars.get(0).isDefault());
        return calendars.get(0);
    }

    /** What calendarView (not delta) shows in the window: single ids and master ids. */
    private static List<Event> calendarView(String mailbox) {
        return calendarView(mailbox, FROM, TO);
    }

    private static List<Event> calendarView(String mailbox, Instant from, Instant to) {
        List<Event> out = new ArrayList<>();
        EventCollectionResponse page = graph.users().byUserId(mailbox).calendarView().get(c -> {
            c.queryParameters.startDateTime = from.toString();
            c.queryParameters.endDateTime = to.toString();
            c.queryParameters.top = 500;
        });
        out.addAll(page.getValue());
        while (page.getOdataNextLink() != null) {
            page = graph.users().byUserId(mailbox).calendarView().withUrl(page.getOdataNextLink()).get();
            out.addAll(page.getValue());
        }
        return out;
    }

    @Test
    void initialReadEqualsTheSandboxFieldByField() throws Exception {
        String mailbox = sandbox.mailboxes().get(0);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        sandbox.resetCounters();
        long started = System.nanoTime();
        CalendarDeltaSource source = (CalendarDeltaSource) store.source(owner, calendar);
        Round round = read(source, Cursor.INITIAL);
        double seconds = (System.nanoTime() - started) / 1e9;
        RequestCounts counts = sandbox.counters();

        assertTrue(round.complete(), "a read from INITIAL lists everything");
        assertTrue(round.pages() > 1, "several delta pages of 25");
        assertTrue(round.changes().values().stream().noneMatch(Change::isRemoval));

        // expected: every single and every series with an occurrence in the window, by calendarView
        Map<String, Event> singles = new LinkedHashMap<>();
        Map<String, List<Event>> seriesInstances = new LinkedHashMap<>();
        for (Event e : calendarView(mailbox)) {
            if (e.getSeriesMasterId() == null) {
                singles.put(e.getId(), e);
            } else {
                seriesInstances.computeIfAbsent(e.getSeriesMasterId(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Event> expectedByUid = new HashMap<>();
        singles.values().forEach(e -> expectedByUid.put(e.getICalUId(), e));
        for (String masterId : seriesInstances.keySet()) {
            Event master = graph.users().byUserId(mailbox).events().byEventId(masterId).get(c -> c.queryParameters.select =
                    new String[] {"id", "iCalUId", "subject", "start", "end", "recurrence", "isAllDay", "originalStartTimeZone",
                        "attendees", "organizer", "categories", "sensitivity", "cancelledOccurrences", "changeKey"});
            expectedByUid.put(master.getICalUId(), master);
        }
        assertEquals(new TreeSet<>(expectedByUid.keySet()),
                round.changes().keySet().stream().map(ItemKey::value).collect(Collectors.toCollection(TreeSet::new)));

        int series = 0;
        int overrides = 0;
        int exdates = 0;
        Set<String> kinds = new TreeSet<>();
        for (Change change : round.changes().values()) {
            Event expected = expectedByUid.get(change.key().value());
            assertEquals(expected.getId(), change.ref());
            assertEquals(expected.getChangeKey(), change.item().orElseThrow().version());
            Calendar ical = new CalendarBuilder().build(new StringReader(change.item().orElseThrow().content().text()));
            List<VEvent> vevents = ical.getComponents(Component.VEVENT);
            VEvent master = vevents.stream().filter(v -> v.getProperty(Property.RECURRENCE_ID).isEmpty()).findFirst().orElseThrow();
            String what = mailbox + " " + expected.getSubject();
            assertEquals(expected.getICalUId(), value(master, Property.UID), what);
            assertEquals(expected.getSubject(), value(master, Property.SUMMARY), what);
            boolean allDay = Boolean.TRUE.equals(expected.getIsAllDay());
            Instant graphStart = graphInstant(expected.getStart());
            Instant graphEnd = graphInstant(expected.getEnd());
            if (allDay) {
                kinds.add("all-day");
                assertTrue(Math.abs(Duration.between(instantOf(master, Property.DTSTART), graphStart).toHours()) < 24, what);
                assertTrue(Math.abs(Duration.between(instantOf(master, Property.DTEND), graphEnd).toHours()) < 24, what);
            } else {
                assertEquals(graphStart, instantOf(master, Property.DTSTART), what);
                assertEquals(graphEnd, instantOf(master, Property.DTEND), what);
                Optional<ZoneId> zone = ZONES.zoneOf(expected.getOriginalStartTimeZone());
                String tzid = master.getProperty(Property.DTSTART).orElseThrow().getParameter("TZID")
                        .map(p -> ((net.fortuna.ical4j.model.Parameter) p).getValue()).orElse("UTC");
                if (zone.isPresent() && !zone.get().equals(ZoneOffset.UTC)) {
                    assertEquals(zone.get().getId(), tzid, what + ": DTSTART in the zone the event was created in");
                    kinds.add("zone " + tzid);
                }
            }
            int attendees = expected.getAttendees() == null ? 0 : expected.getAttendees().size();
            assertEquals(attendees, master.getProperties(Property.ATTENDEE).size(), what);
            if (expected.getOrganizer() != null && expected.getOrganizer().getEmailAddress() != null && attendees > 0) {
                assertTrue(value(master, Property.ORGANIZER).equalsIgnoreCase("mailto:"
                        + expected.getOrganizer().getEmailAddress().getAddress()), what);
            }
            if (expected.getCategories() != null && !expected.getCategories().isEmpty()) {
                kinds.add("categories");
                assertEquals(new TreeSet<>(expected.getCategories()), master.getProperties(Property.CATEGORIES).stream()
                        .flatMap(p -> List.of(p.getValue().split(",")).stream()).collect(Collectors.toCollection(TreeSet::new)), what);
            }
            if (expected.getSensitivity() != null) {
                kinds.add("sensitivity " + expected.getSensitivity().getValue());
            }
            if (expected.getRecurrence() == null) {
                assertTrue(master.getProperty(Property.RRULE).isEmpty(), what);
                assertEquals(1, vevents.size(), what);
                continue;
            }
            series++;
            kinds.add("recurrence " + expected.getRecurrence().getPattern().getType().getValue() + "/"
                    + expected.getRecurrence().getRange().getType().getValue());
            assertTrue(master.getProperty(Property.RRULE).isPresent(), what);
            // overrides = the exceptions Graph's /instances shows (a separate endpoint from what the store reads)
            List<Event> instances = graph.users().byUserId(mailbox).events().byEventId(expected.getId()).instances().get(c -> {
                c.queryParameters.startDateTime = FROM.minus(Duration.ofDays(3650)).toString();
                c.queryParameters.endDateTime = TO.plus(Duration.ofDays(3650)).toString();
                c.queryParameters.top = 999;
            }).getValue();
            Set<Instant> exceptionStarts = instances.stream().filter(i -> i.getType() == EventType.Exception)
                    .map(i -> i.getOriginalStart().toInstant()).collect(Collectors.toCollection(TreeSet::new));
            Set<Instant> recurrenceIds = vevents.stream().filter(v -> v.getProperty(Property.RECURRENCE_ID).isPresent())
                    .map(v -> instantOf(v, Property.RECURRENCE_ID)).collect(Collectors.toCollection(TreeSet::new));
            if (!allDay) {
                assertEquals(exceptionStarts, recurrenceIds, what + ": one override per exception");
            } else {
                assertEquals(exceptionStarts.size(), recurrenceIds.size(), what);
            }
            for (Event exception : instances.stream().filter(i -> i.getType() == EventType.Exception).toList()) {
                kinds.add("exception");
                VEvent override = vevents.stream().filter(v -> v.getProperty(Property.RECURRENCE_ID).isPresent()
                        && (allDay || instantOf(v, Property.RECURRENCE_ID).equals(exception.getOriginalStart().toInstant())))
                        .findFirst().orElseThrow();
                if (!allDay) {
                    assertEquals(exception.getSubject(), value(override, Property.SUMMARY), what);
                    assertEquals(graphInstant(exception.getStart()), instantOf(override, Property.DTSTART), what);
                }
                assertEquals(expected.getICalUId(), value(override, Property.UID), what + ": overrides share the master's UID");
            }
            overrides += recurrenceIds.size();
            // EXDATEs: one per cancelled occurrence, none of them an occurrence /instances still shows
            List<Instant> exdateInstants = new ArrayList<>();
            for (Object p : master.getProperties(Property.EXDATE)) {
                for (Object d : ((ExDate<?>) p).getDates()) {
                    exdateInstants.add(toInstant((Temporal) d));
                }
            }
            int cancelled = expected.getCancelledOccurrences() == null ? 0 : expected.getCancelledOccurrences().size();
            assertEquals(cancelled, exdateInstants.size(), what + ": one EXDATE per cancelled occurrence");
            Set<Instant> shown = instances.stream().map(i -> i.getOriginalStart() != null ? i.getOriginalStart().toInstant()
                    : graphInstant(i.getStart())).collect(Collectors.toSet());
            if (!allDay) {
                for (Instant exdate : exdateInstants) {
                    assertFalse(shown.contains(exdate), what + ": EXDATE " + exdate + " is not a live occurrence");
                }
            }
            if (cancelled > 0) {
                kinds.add("cancelled occurrence");
            }
            exdates += exdateInstants.size();
        }
        assertTrue(series > 0 && overrides > 0 && exdates > 0, "the generator made series, exceptions and cancellations");

        // what Microsoft charges the mailbox: every request, $batch items counted one by one (the sandbox counts
        // inner requests under their endpoints and the envelope as POST /$batch)
        long charged = counts.total() - counts.endpoint("POST /$batch");
        int roundTrips = source.requests();
        System.out.printf("[figures] initial calendar read of %s: %d items (%d series, %d overrides, %d EXDATEs) in %d pages;"
                + " %d HTTP round trips = %.2f per item; %d requests charged by Graph = %.2f per item; %.2f s = %.0f items/s%n",
                mailbox, round.changes().size(), series, overrides, exdates, round.pages(), roundTrips,
                (double) roundTrips / round.changes().size(), charged, (double) charged / round.changes().size(), seconds,
                round.changes().size() / seconds);
        System.out.println("[figures] requests by endpoint: " + counts.byEndpoint());
        System.out.println("[figures] event kinds checked: " + kinds);
    }

    @Test
    void incrementalRoundsCarryEditsDeletionsExceptionsCancellationsAndSeriesEnds() throws Exception {
        String mailbox = sandbox.mailboxes().get(1);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        ItemSource source = store.source(owner, calendar);
        Round initial = read(source, Cursor.INITIAL);

        List<Event> view = calendarView(mailbox);
        List<Event> singles = view.stream().filter(e -> e.getType() == EventType.SingleInstance).toList();
        Map<String, List<Event>> occurrences = view.stream().filter(e -> e.getType() == EventType.Occurrence)
                .collect(Collectors.groupingBy(Event::getSeriesMasterId, LinkedHashMap::new, Collectors.toList()));
        List<String> masters = occurrences.entrySet().stream().filter(e -> e.getValue().size() >= 3).map(Map.Entry::getKey).toList();
        assertTrue(singles.size() >= 2 && masters.size() >= 4, "the generated mailbox has singles and series in the window");
        Event edited = singles.get(0);
        Event deleted = singles.get(1);
        String exceptionSeries = masters.get(0);
        String cancelSeries = masters.get(1);
        String endSeries = masters.get(2);
        String deletedSeries = masters.get(3);
        Map<String, String> uidOf = new HashMap<>();
        for (String m : List.of(exceptionSeries, cancelSeries, endSeries, deletedSeries)) {
            uidOf.put(m, uid(mailbox, m));
        }

        JsonNode created = JSON.readTree(sandbox.createEvent(mailbox, "{\"subject\":\"Planning (new)\",\"start\":{\"dateTime\":"
                + "\"2030-01-21T09:30:00\",\"timeZone\":\"W. Europe Standard Time\"},\"end\":{\"dateTime\":\"2030-01-21T10:00:00\","
                + "\"timeZone\":\"W. Europe Standard Time\"}}"));
        sandbox.updateEvent(mailbox, edited.getId(), "{\"subject\":\"Renamed by Outlook\"}");
        sandbox.deleteEvent(mailbox, deleted.getId());
        Instant modifiedStart = occurrences.get(exceptionSeries).get(1).getOriginalStart().toInstant();
        sandbox.modifyOccurrence(mailbox, exceptionSeries, modifiedStart, "{\"subject\":\"Moved this once\"}");
        Instant cancelledStart = occurrences.get(cancelSeries).get(1).getOriginalStart().toInstant();
        sandbox.cancelOccurrence(mailbox, cancelSeries, cancelledStart);
        LocalDate lastDate = occurrences.get(endSeries).get(0).getOriginalStart().toLocalDate().plusDays(1);
        sandbox.endSeries(mailbox, endSeries, lastDate);
        sandbox.deleteEvent(mailbox, deletedSeries);

        sandbox.resetCounters();
        Round next = read(source, initial.cursor());
        RequestCounts counts = sandbox.counters();
        assertFalse(next.complete(), "an incremental round does not list everything");

        Change newOne = next.changes().get(ItemKey.event(created.get("iCalUId").asText()));
        assertNotNull(newOne, "new event");
        assertTrue(newOne.item().orElseThrow().content().text().contains("SUMMARY:Planning (new)"));
        Change renamed = next.changes().get(ItemKey.event(edited.getICalUId()));
        assertTrue(renamed.item().orElseThrow().content().text().contains("SUMMARY:Renamed by Outlook"));
        Change gone = next.changes().get(ItemKey.event(deleted.getICalUId()));
        assertTrue(gone.isRemoval(), "deleted single");
        assertEquals(deleted.getId(), gone.ref());

        Calendar withException = parse(next.changes().get(ItemKey.event(uidOf.get(exceptionSeries))));
        assertTrue(withException.getComponents(Component.VEVENT).stream().anyMatch(v -> v.getProperty(Property.RECURRENCE_ID).isPresent()
                && instantOf((VEvent) v, Property.RECURRENCE_ID).equals(modifiedStart)
                && "Moved this once".equals(value((VEvent) v, Property.SUMMARY))), "new exception as an override");

        VEvent cancelMaster = master(parse(next.changes().get(ItemKey.event(uidOf.get(cancelSeries)))));
        List<Instant> exdates = new ArrayList<>();
        for (Object p : cancelMaster.getProperties(Property.EXDATE)) {
            for (Object d : ((ExDate<?>) p).getDates()) {
                exdates.add(toInstant((Temporal) d));
            }
        }
        assertTrue(exdates.contains(cancelledStart), "cancelled occurrence as EXDATE: " + exdates + " / " + cancelledStart);

        String rrule = value(master(parse(next.changes().get(ItemKey.event(uidOf.get(endSeries))))), Property.RRULE);
        assertTrue(rrule.contains("UNTIL="), "series end moved: " + rrule);

        Change seriesGone = next.changes().get(ItemKey.event(uidOf.get(deletedSeries)));
        assertNotNull(seriesGone, "deleted series reported");
        assertTrue(seriesGone.isRemoval());

        assertEquals(7, next.changes().size(), "exactly the seven edited items: " + next.changes().keySet());
        System.out.printf("[figures] incremental calendar round after 7 edits: %d changes in %d pages, %d Graph requests %s%n",
                next.changeCount(), next.pages(), counts.total(), counts.byEndpoint());

        Round quiet = read(source, next.cursor());
        assertEquals(0, quiet.changes().size(), "nothing changed since");
    }

    @Test
    void deadDeltaTokensAreCursorExpired() throws Exception {
        String mailbox = sandbox.mailboxes().get(2);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        Round initial = read(store.source(owner, calendar), Cursor.INITIAL);
        for (DeadTokenMode mode : DeadTokenMode.values()) {
            sandbox.setDeadTokenMode(mode);
            sandbox.expireDeltaTokens(mailbox);
            CursorExpiredException expired = assertThrows(CursorExpiredException.class,
                    () -> store.source(owner, calendar).changes(initial.cursor()), mode.name());
            assertTrue(expired.isTransient());
        }
        sandbox.setDeadTokenMode(DeadTokenMode.GONE_410);
        assertThrows(CursorExpiredException.class, () -> store.source(owner, calendar).changes(new Cursor("garbage")));
        // a week later the delta chain ends so that the next full read moves the window forward
        GraphCalendarStore weekLater = new GraphCalendarStore(env.clients, RegistrationAssignment.of(SandboxGraph.REGISTRATION),
                new CalendarSettings(30, 365, 25, false, ZoneId.of("Europe/Berlin"), 7), ZONES,
                Clock.fixed(ANCHOR.plusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC));
        Round fresh = read(store.source(owner, calendar), Cursor.INITIAL);
        CursorExpiredException moved = assertThrows(CursorExpiredException.class,
                () -> weekLater.source(owner, calendar).changes(fresh.cursor()));
        assertTrue(moved.getMessage().contains("windowRenewDays"), moved.getMessage());
        ChangePage stillFresh = store.source(owner, calendar).changes(fresh.cursor());
        assertFalse(stillFresh.hasMore());
        // the resync that follows lists everything again, under the same keys
        Round again = read(store.source(owner, calendar), Cursor.INITIAL);
        assertEquals(initial.changes().keySet(), again.changes().keySet());
    }

    @Test
    void serverThrottlingIsAbsorbedByThePolicyAndTheRoundCompletes() throws Exception {
        String mailbox = sandbox.mailboxes().get(3);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        Round unthrottled = read(store.source(owner, calendar), Cursor.INITIAL);
        sandbox.resetCounters();
        // far below Outlook's budget, which our policy assumes: the server throttles, the policy learns the pauses
        sandbox.setThrottling(4, 12, Duration.ofSeconds(2), "0.5");
        try {
            long started = System.nanoTime();
            Map<ItemKey, Change> changes = new LinkedHashMap<>();
            Cursor cursor = Cursor.INITIAL;
            ItemSource source = store.source(owner, calendar);
            int transientFailures = 0;
            boolean more = true;
            while (more) {
                ChangePage page;
                try {
                    page = source.changes(cursor);
                } catch (StoreException e) {
                    // what the engine does: reschedule the mailbox when the policy admits it again
                    assertTrue(e.isTransient(), e.getMessage() + " " + sandbox.counters().byEndpoint() + " " + sandbox.counters().byStatus());
                    transientFailures++;
                    assertTrue(transientFailures < 50, "gives up eventually: " + e.getMessage());
                    Thread.sleep(Math.max(50, env.policy.delay(new io.nexchange.api.throttle.ThrottleKey(SandboxGraph.REGISTRATION,
                            mailbox)).toMillis()));
                    continue;
                }
                page.changes().forEach(c -> changes.put(c.key(), c));
                cursor = page.next();
                more = page.hasMore();
            }
            RequestCounts counts = sandbox.counters();
            long throttled = counts.throttledByMailbox().values().stream().mapToLong(Long::longValue).sum();
            assertTrue(throttled > 0, "the sandbox throttled: " + counts.byStatus());
            assertEquals(unthrottled.changes().keySet(), changes.keySet());
            for (ItemKey key : changes.keySet()) {
                assertEquals(unthrottled.changes().get(key).item().orElseThrow().content().sha256(),
                        changes.get(key).item().orElseThrow().content().sha256());
            }
            System.out.printf("[figures] throttled initial read (server: 12 requests / 2 s): %d items, %d requests, %d answered 429,"
                    + " %d transient failures handed to the caller, %.1f s%n", changes.size(), counts.total(), throttled,
                    transientFailures, (System.nanoTime() - started) / 1e9);
        } finally {
            sandbox.setThrottling(4, 10_000, Duration.ofMinutes(10), "0.2");
        }
    }

    @Test
    void writesAreConditionalAndCreatesIdempotent() throws Exception {
        String mailbox = sandbox.mailboxes().get(4);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        io.nexchange.api.source.ItemTarget target = store.target(owner, calendar);
        String ics = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT", "UID:nc-series-1",
                "DTSTAMP:20300101T000000Z", "DTSTART;TZID=Europe/Berlin:20300115T100000", "DTEND;TZID=Europe/Berlin:20300115T110000",
                "SUMMARY:From Nextcloud", "RRULE:FREQ=WEEKLY;COUNT=5", "EXDATE;TZID=Europe/Berlin:20300122T100000", "END:VEVENT",
                "BEGIN:VEVENT", "UID:nc-series-1", "DTSTAMP:20300101T000000Z", "RECURRENCE-ID;TZID=Europe/Berlin:20300129T100000",
                "DTSTART;TZID=Europe/Berlin:20300129T120000", "DTEND;TZID=Europe/Berlin:20300129T130000", "SUMMARY:Moved once",
                "END:VEVENT", "END:VCALENDAR", "");
        ItemKey key = ItemKey.event("nc-series-1");
        io.nexchange.api.item.ItemContent content = new io.nexchange.api.item.ItemContent("text/calendar", ics);
        io.nexchange.api.item.ItemVersion first = target.create(key, content);
        io.nexchange.api.item.ItemVersion retried = target.create(key, content);
        assertEquals(first.ref(), retried.ref(), "a retried create (same transactionId) finds the first event");
        // the event is listed under Graph's own iCalUId, with the key's creation mark: the engine knows it as its own
        // creation even when the create's answer was lost
        Change listed = read(store.source(owner, calendar), Cursor.INITIAL).changes().values().stream()
                .filter(c -> c.ref().equals(first.ref())).findFirst().orElseThrow();
        assertEquals(java.util.Optional.of(Change.markFor(key)), listed.creationMark());

        List<Event> instances = graph.users().byUserId(mailbox).events().byEventId(first.ref()).instances().get(c -> {
            c.queryParameters.startDateTime = "2030-01-01T00:00:00Z";
            c.queryParameters.endDateTime = "2030-03-01T00:00:00Z";
        }).getValue();
        assertEquals(4, instances.size(), "five weekly occurrences, one cancelled");
        assertEquals(List.of("Moved once"), instances.stream().filter(i -> i.getType() == EventType.Exception).map(Event::getSubject).toList());

        io.nexchange.api.item.ItemContent renamed = new io.nexchange.api.item.ItemContent("text/calendar",
                ics.replace("SUMMARY:From Nextcloud", "SUMMARY:Renamed in Nextcloud"));
        assertThrows(io.nexchange.api.source.PreconditionFailedException.class,
                () -> target.update(key, first.ref(), "stale-change-key", renamed));
        io.nexchange.api.item.ItemVersion second = target.update(key, first.ref(), target.version(first.ref()).orElseThrow().version(), renamed);
        assertFalse(second.version().isEmpty());
        assertEquals("Renamed in Nextcloud", graph.users().byUserId(mailbox).events().byEventId(first.ref()).get().getSubject());

        assertThrows(io.nexchange.api.source.PreconditionFailedException.class, () -> target.delete(key, first.ref(), "stale-change-key"));
        target.delete(key, first.ref(), second.version());
        assertTrue(target.version(first.ref()).isEmpty());
        target.delete(key, first.ref(), second.version());
    }

    @Test
    void serviceUnavailableIsRetriedThenTransient() throws Exception {
        String mailbox = sandbox.mailboxes().get(5);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        sandbox.addFault(io.nexchange.sandbox.FaultRule.status(503).withRetryAfter("0.1").forNext(2).forMailbox(mailbox)
                .forPathContaining("/calendarview"));
        try {
            Round round = read(store.source(owner, calendar), Cursor.INITIAL);
            assertTrue(round.changes().size() > 0, "two 503s with Retry-After are absorbed");
            sandbox.addFault(io.nexchange.sandbox.FaultRule.status(503).forNext(10).forMailbox(mailbox).forPathContaining("/calendarview"));
            StoreException unavailable = assertThrows(StoreException.class, () -> store.source(owner, calendar).changes(Cursor.INITIAL));
            assertTrue(unavailable.isTransient(), unavailable.getMessage());
            assertTrue(unavailable.getMessage().contains("503"), unavailable.getMessage());
        } finally {
            sandbox.clearFaults();
        }
    }

    /** The item keys calendarView shows between from and to: singles, and the series of occurrences. */
    private static Set<String> keysInView(String mailbox, Instant from, Instant to) {
        Set<String> keys = new TreeSet<>();
        Set<String> masters = new TreeSet<>();
        for (Event e : calendarView(mailbox, from, to)) {
            if (e.getSeriesMasterId() == null) {
                keys.add(e.getICalUId());
            } else {
                masters.add(e.getSeriesMasterId());
            }
        }
        masters.forEach(m -> keys.add(uid(mailbox, m)));
        return keys;
    }

    private static Set<String> keys(Round round) {
        return round.changes().keySet().stream().map(ItemKey::value).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * A delta link keeps the window it was started with, so a changed window setting ends the chain: the full read
     * under the new setting lists exactly the items of the new window (the engine removes, from a complete listing,
     * what it no longer shows, and adds what enters).
     */
    @Test
    void aChangedWindowSettingReadsTheCalendarAgainWithExactlyTheItemsOfTheNewWindow() throws Exception {
        String mailbox = sandbox.mailboxes().get(0);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        Round wide = read(store.source(owner, calendar), Cursor.INITIAL);
        Clock clock = Clock.fixed(ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
        GraphCalendarStore narrowStore = new GraphCalendarStore(env.clients, RegistrationAssignment.of(SandboxGraph.REGISTRATION),
                new CalendarSettings(0, 30, 25, false, ZoneId.of("Europe/Berlin"), 7), ZONES, clock);

        CursorExpiredException expired = assertThrows(CursorExpiredException.class,
                () -> narrowStore.source(owner, calendar).changes(wide.cursor()));
        assertTrue(expired.getMessage().contains("windowDaysBack"), expired.getMessage());
        Round narrow = read(narrowStore.source(owner, calendar), Cursor.INITIAL);
        assertTrue(narrow.complete());
        Instant today = ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant();
        assertEquals(keysInView(mailbox, today, today.plus(Duration.ofDays(30))), keys(narrow));
        Set<String> leaving = new TreeSet<>(keys(wide));
        leaving.removeAll(keys(narrow));
        assertTrue(keys(wide).containsAll(keys(narrow)) && !leaving.isEmpty(), "the narrower window leaves items out: " + leaving);

        // a full listing of a window: the engine asks about the events it knows and was not shown (issue 13): each is
        // still there in the version it was listed in before (an event outside the window is not deleted), 20 per $batch
        assertTrue(narrowStore.source(owner, calendar).changes(Cursor.INITIAL).windowed());
        List<String> leavingRefs = leaving.stream().map(k -> wide.changes().get(ItemKey.event(k)).ref()).toList();
        sandbox.resetCounters();
        CalendarDeltaSource asking = (CalendarDeltaSource) narrowStore.source(owner, calendar);
        List<Change> answers = asking.fetch(leavingRefs);
        RequestCounts counts = sandbox.counters();
        Map<String, String> asked = new TreeMap<>();
        answers.forEach(c -> asked.put(c.key().value(), c.item().orElseThrow().content().text()));
        Map<String, String> listedBefore = new TreeMap<>();
        leaving.forEach(k -> listedBefore.put(k, wide.changes().get(ItemKey.event(k)).item().orElseThrow().content().text()));
        assertEquals(listedBefore, asked);
        System.out.printf("[figures] asking about %d events outside the window: %d HTTP round trips, %d requests charged by "
                + "Graph%n", leavingRefs.size(), asking.requests(), counts.total() - counts.endpoint("POST /$batch"));
        String deleted = JSON.readTree(sandbox.createEvent(mailbox, "{\"subject\":\"Deleted long ago\",\"start\":{\"dateTime\":"
                + "\"2020-01-01T10:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"2020-01-01T11:00:00\",\"timeZone\":"
                + "\"UTC\"}}")).path("id").asText();
        sandbox.deleteEvent(mailbox, deleted);
        List<Change> gone = narrowStore.source(owner, calendar).fetch(List.of(deleted));
        assertTrue(gone.size() == 1 && gone.get(0).isRemoval() && gone.get(0).ref().equals(deleted), gone.toString());

        // and widened again: the narrow chain ends as well, the full read brings back exactly what left
        assertThrows(CursorExpiredException.class, () -> store.source(owner, calendar).changes(narrow.cursor()));
        Round widened = read(store.source(owner, calendar), Cursor.INITIAL);
        Set<String> entering = new TreeSet<>(keys(widened));
        entering.removeAll(keys(narrow));
        assertEquals(leaving, entering);
        // an unchanged setting keeps the chain
        assertFalse(read(store.source(owner, calendar), widened.cursor()).complete());
    }

    /**
     * Microsoft's published Teams meeting example, loaded into the sandbox, reaches the .ics with its join link; an
     * event beside it whose responseStatus.time is no date is read too (the clients' LenientJson).
     */
    @Test
    void aTeamsMeetingReachesTheItemWithItsJoinLinkAsSingleAndAsSeries() throws Exception {
        String mailbox = sandbox.mailboxes().get(5);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef calendar = defaultCalendar(owner);
        String example;
        try (java.io.InputStream in = io.nexchange.graph.calendar.mapping.EventToICalendar.class
                .getResourceAsStream("teams-meeting-published-example.json")) {
            example = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode single = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(example);
        single.putObject("start").put("dateTime", "2030-01-10T12:00:00.0000000").put("timeZone", "Pacific Standard Time");
        single.putObject("end").put("dateTime", "2030-01-10T14:00:00.0000000").put("timeZone", "Pacific Standard Time");
        String joinUrl = single.path("onlineMeeting").path("joinUrl").asText();
        JsonNode createdSingle = JSON.readTree(sandbox.createEvent(mailbox, single.toString()));
        com.fasterxml.jackson.databind.node.ObjectNode series = single.deepCopy();
        series.put("subject", "Weekly Teams sync");
        series.set("recurrence", json.readTree("{\"pattern\": {\"type\": \"weekly\", \"interval\": 1, \"daysOfWeek\": [\"thursday\"]},"
                + " \"range\": {\"type\": \"numbered\", \"startDate\": \"2030-01-10\", \"numberOfOccurrences\": 4}}"));
        JsonNode createdSeries = JSON.readTree(sandbox.createEvent(mailbox, series.toString()));
        // seen in a real mailbox: a responseStatus.time that is no date failed every read of the calendar
        com.fasterxml.jackson.databind.node.ObjectNode odd = single.deepCopy();
        odd.put("subject", "Odd response time");
        odd.putObject("responseStatus").put("response", "accepted").put("time", "not a date");
        JsonNode createdOdd = JSON.readTree(sandbox.createEvent(mailbox, odd.toString()));

        // and one that cannot be mapped at all: handed over as unreadable (the engine quarantines it), not skipped
        JsonNode createdBad = JSON.readTree(sandbox.createEvent(mailbox, odd.deepCopy().put("subject", "Unreadable start").toString()));
        sandbox.malformEvent(mailbox, createdBad.get("id").asText(), "{\"start\":{\"dateTime\":\"next Tuesday\",\"timeZone\":\"UTC\"}}");

        Round round = read(store.source(owner, calendar), Cursor.INITIAL);
        assertTrue(round.changes().get(ItemKey.event(createdOdd.get("iCalUId").asText())).item().orElseThrow().content().text()
                .contains("SUMMARY:Odd response time"), "the odd event and the rest of the calendar are read");
        Change bad = round.changes().get(ItemKey.event(createdBad.get("iCalUId").asText()));
        assertTrue(bad.isUnreadable(), String.valueOf(bad));
        assertEquals(createdBad.get("id").asText(), bad.ref());
        assertEquals("Unreadable start", bad.summary());
        assertEquals("cannot be mapped: start of event " + createdBad.get("id").asText() + " has an unreadable dateTime 'next Tuesday'",
                bad.problem().orElseThrow());
        for (JsonNode created : List.of(createdSingle, createdSeries)) {
            String text = round.changes().get(ItemKey.event(created.get("iCalUId").asText())).item().orElseThrow().content().text()
                    .replace("\r\n ", "");
            assertTrue(text.contains("X-MICROSOFT-SKYPETEAMSMEETINGURL:" + joinUrl), text);
            assertTrue(text.contains("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Microsoft Teams Meeting:" + joinUrl), text);
            assertTrue(text.contains("tel:+14255550123\\,\\,177513992#") || text.contains("tel:+14255550123,,177513992#"), text);
            assertTrue(text.contains("Microsoft Teams meeting"), text);
        }
    }

    private static String uid(String mailbox, String eventId) {
        return graph.users().byUserId(mailbox).events().byEventId(eventId).get(c -> c.queryParameters.select = new String[] {"iCalUId"})
                .getICalUId();
    }

    private static Calendar parse(Change change) throws Exception {
        assertNotNull(change);
        return new CalendarBuilder().build(new StringReader(change.item().orElseThrow().content().text()));
    }

    private static VEvent master(Calendar calendar) {
        return calendar.<VEvent>getComponents(Component.VEVENT).stream().filter(v -> v.getProperty(Property.RECURRENCE_ID).isEmpty())
                .findFirst().orElseThrow();
    }

    private static String value(VEvent event, String property) {
        return event.getProperty(property).map(Property::getValue).orElse(null);
    }

    private static Instant instantOf(VEvent event, String property) {
        DateProperty<?> p = (DateProperty<?>) event.getProperty(property).orElseThrow();
        return toInstant(p.getDate());
    }

    static Instant toInstant(Temporal t) {
        if (t instanceof Instant i) {
            return i;
        }
        if (t instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (t instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (t instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return ((LocalDate) t).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Instant graphInstant(com.microsoft.graph.models.DateTimeTimeZone time) {
        String text = time.getDateTime();
        int dot = text.indexOf('.');
        LocalDateTime local = LocalDateTime.parse(dot < 0 ? text : text.substring(0, dot));
        ZoneId zone = ZONES.zoneOf(time.getTimeZone()).orElse(ZoneOffset.UTC);
        return local.atZone(zone).toInstant();
    }

    @SuppressWarnings("unused")
    private static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
