package io.nexchange.graph.calendar.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.testing.SandboxGraph;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Graph calendar target against the sandbox, which records every meeting message Exchange would send: what sync
 * writes sends none (meetings organised elsewhere never created, the mailbox's own meetings written without attendees,
 * its meetings with attendees and attendee copies taking only their own properties, the rest refused with the reason),
 * and series edits made in Nextcloud become the right Graph calls, finished on the next try when they stopped half-way.
 */
class MessageFreeWritesTest {
    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANN = "ann@partner.example";
    private static final String BEN = "ben@partner.example";
    private static final String CY = "cy@partner.example";

    private static SandboxServer sandbox;
    private static SandboxGraph env;
    private static GraphCalendarStore store;
    private static GraphServiceClient graph;
    private static String mailbox;
    private static Owner owner;
    private static CollectionRef calendar;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(2).eventsPerMailbox(3).contactsPerMailbox(1).seed(9)
                .anchorDate(ANCHOR));
        env = new SandboxGraph(sandbox, ThrottleLimits.OUTLOOK);
        store = new GraphCalendarStore(env.clients, RegistrationAssignment.of(SandboxGraph.REGISTRATION),
                new CalendarSettings(30, 365, 50, false, ZoneId.of("Europe/Berlin"), 7), WindowsZones.load(),
                Clock.fixed(ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC));
        graph = env.clients.forRegistration(SandboxGraph.REGISTRATION);
        mailbox = sandbox.mailboxes().get(0);
        owner = SandboxGraph.owner(mailbox);
        calendar = store.collections(owner, io.nexchange.api.CollectionKind.CALENDAR).get(0);
    }

    @AfterAll
    static void stop() {
        env.close();
        sandbox.close();
    }

    @AfterEach
    void noMeetingMessage() {
        List<io.nexchange.sandbox.MeetingMessage> sent = sandbox.meetingMessages();
        sandbox.clearMeetingMessages();
        sandbox.clearFaults();
        assertEquals(List.of(), sent, "sync sends no meeting message");
    }

    @Test
    void aMeetingOrganisedElsewhereIsNeverCreatedAndTheMailboxsOwnIsCreatedWithoutInvitingAnyone() throws Exception {
        ItemTarget target = target();
        ItemRejectedException foreign = assertThrows(ItemRejectedException.class, () -> target.create(ItemKey.event("nc-invite-1"),
                ics("nc-invite-1", "20300114T090000", "20300114T100000", "SUMMARY:Their meeting", "ORGANIZER:mailto:" + CY,
                        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:" + mailbox, "ATTENDEE:mailto:" + ANN)));
        assertTrue(foreign.getMessage().contains("organised by " + CY) && foreign.getMessage().contains("stays in Nextcloud"),
                foreign.getMessage());
        assertFalse(subjects().contains("Their meeting"), "not created in Exchange");

        // the first POST answered 503 and retried: the retry carries the whole body again
        sandbox.addFault(FaultRule.status(503).withRetryAfter("0.1").forNext(1).forMailbox(mailbox).forPathContaining("/events"));
        ItemVersion own = target.create(ItemKey.event("nc-own-1"), ics("nc-own-1", "20300114T110000", "20300114T120000",
                "SUMMARY:Our meeting", "ORGANIZER:mailto:" + mailbox, "ATTENDEE:mailto:" + ANN, "ATTENDEE:mailto:" + BEN));
        JsonNode created = event(own.ref());
        assertEquals("Our meeting", created.path("subject").asText());
        assertEquals(0, created.path("attendees").size(), "its attendees stay in Nextcloud: writing them would invite them");
        assertTrue(created.path("isOrganizer").asBoolean());
    }

    @Test
    void aMeetingTheMailboxOrganisesTakesItsCategoriesAndReminderAndRefusesWhatWouldTellItsAttendees() throws Exception {
        String id = adminEvent("{\"subject\":\"Steering\",\"start\":{\"dateTime\":\"2030-01-15T09:00:00\",\"timeZone\":\"UTC\"},"
                + "\"end\":{\"dateTime\":\"2030-01-15T10:00:00\",\"timeZone\":\"UTC\"},\"location\":{\"displayName\":\"Room 1\"},"
                + "\"attendees\":[" + attendee(ANN) + "," + attendee(BEN) + "]}");
        Change item = rendered(id);
        ItemTarget target = target();

        String tagged = item.item().orElseThrow().content().text().replace("SUMMARY:Steering", "CATEGORIES:Blue\r\nSUMMARY:Steering");
        ItemVersion written = target.update(item.key(), id, item.item().orElseThrow().version(), new ItemContent("text/calendar", tagged));
        assertEquals("Blue", event(id).path("categories").get(0).asText(), "the organizer's own categories are written");

        String moved = tagged.replace("DTSTART:20300115T090000Z", "DTSTART:20300115T100000Z").replace("DTEND:20300115T100000Z",
                "DTEND:20300115T110000Z");
        assertNotEquals(tagged, moved, tagged);
        ItemRejectedException refused = assertThrows(ItemRejectedException.class,
                () -> target.update(item.key(), id, written.version(), new ItemContent("text/calendar", moved)));
        assertTrue(refused.getMessage().contains("organises with 2 attendee(s)") && refused.getMessage().contains("times")
                && refused.getMessage().contains("in Outlook"), refused.getMessage());
        assertTrue(event(id).path("start").path("dateTime").asText().startsWith("2030-01-15T09:00"), "Exchange keeps it as it is");

        ItemRejectedException notDeleted = assertThrows(ItemRejectedException.class, () -> target.delete(item.key(), id, written.version()));
        assertTrue(notDeleted.getMessage().contains("cancellation"), notDeleted.getMessage());
        assertEquals("Steering", event(id).path("subject").asText(), "still in Exchange");
    }

    @Test
    void anAttendeeCopyTakesOnlyTheAttendeesOwnPropertiesAndCanBeDeleted() throws Exception {
        String id = adminEvent("{\"subject\":\"Their review\",\"start\":{\"dateTime\":\"2030-01-16T09:00:00\",\"timeZone\":\"UTC\"},"
                + "\"end\":{\"dateTime\":\"2030-01-16T10:00:00\",\"timeZone\":\"UTC\"},\"isOrganizer\":false,"
                + "\"responseStatus\":{\"response\":\"notResponded\",\"time\":\"0001-01-01T00:00:00Z\"},"
                + "\"organizer\":{\"emailAddress\":{\"address\":\"" + CY + "\"}},\"attendees\":[" + attendee(mailbox) + "," + attendee(ANN) + "]}");
        Change item = rendered(id);
        ItemTarget target = target();
        String text = item.item().orElseThrow().content().text().replace("\r\n ", "");
        ItemRejectedException refused = assertThrows(ItemRejectedException.class, () -> target.update(item.key(), id,
                item.item().orElseThrow().version(), new ItemContent("text/calendar", text.replace("SUMMARY:Their review", "SUMMARY:My review"))));
        assertTrue(refused.getMessage().contains("organised by " + CY) && refused.getMessage().contains("subject"), refused.getMessage());
        ItemVersion tagged = target.update(item.key(), id, item.item().orElseThrow().version(), new ItemContent("text/calendar",
                text.replace("SUMMARY:Their review", "CATEGORIES:Red\r\nSUMMARY:Their review")));
        assertEquals("Red", event(id).path("categories").get(0).asText());
        assertEquals("Their review", event(id).path("subject").asText());
        String mine = text.lines().filter(l -> l.startsWith("ATTENDEE") && l.endsWith(mailbox)).findFirst().orElseThrow();
        sandbox.addFault(FaultRule.status(503).withRetryAfter("0.1").forNext(1).forMailbox(mailbox).forPathContaining("/tentativelyAccept"));
        ItemVersion answered = target.update(item.key(), id, tagged.version(), new ItemContent("text/calendar", text
                .replace("SUMMARY:Their review", "CATEGORIES:Red\r\nSUMMARY:Their review")
                .replace(mine, mine.replaceFirst("PARTSTAT=[A-Z-]+", "PARTSTAT=TENTATIVE"))));
        assertEquals("tentativelyAccepted", event(id).at("/responseStatus/response").asText(),
                "the answer given in Nextcloud is recorded, without a response to the organizer");
        target.delete(item.key(), id, answered.version());
        assertTrue(target.version(id).isEmpty(), "an attendee copy is deleted without a word to its organizer");
    }

    @Test
    void seriesEditsMadeInNextcloudBecomeTheRightGraphCalls() throws Exception {
        ItemTarget target = target();
        ItemKey key = ItemKey.event("nc-series-edits");
        String[] weekly = {"SUMMARY:Weekly", "RRULE:FREQ=WEEKLY;COUNT=6"};
        ItemVersion v = target.create(key, series(weekly));
        String ref = v.ref();
        assertEquals(6, instances(ref).size());

        // an occurrence moved: RECURRENCE-ID override -> PATCH of that occurrence
        v = target.update(key, ref, v.version(), series(weekly, override("20300121", "20300121T150000", "Weekly (moved)")));
        List<Event> now = instances(ref);
        Event moved = now.stream().filter(i -> i.getType() == EventType.Exception).findFirst().orElseThrow();
        assertEquals("Weekly (moved)", moved.getSubject());
        assertEquals(java.time.Instant.parse("2030-01-21T14:00:00Z"), start(moved));

        // an occurrence cancelled: EXDATE -> DELETE of that occurrence
        v = target.update(key, ref, v.version(), series(exdate(weekly, "20300128"), override("20300121", "20300121T150000", "Weekly (moved)")));
        assertEquals(5, instances(ref).size());

        // the override taken back: the occurrence is PATCHed back to the series' own values
        v = target.update(key, ref, v.version(), series(exdate(weekly, "20300128")));
        assertTrue(instances(ref).stream().noneMatch(i -> "Weekly (moved)".equals(i.getSubject())));
        assertTrue(instances(ref).stream().anyMatch(i -> java.time.Instant.parse("2030-01-21T09:00:00Z").equals(start(i))));

        // the end moved: PATCH of the recurrence range
        String[] shorter = {"SUMMARY:Weekly", "RRULE:FREQ=WEEKLY;UNTIL=20300204T090000Z"};
        v = target.update(key, ref, v.version(), series(exdate(shorter, "20300128")));
        assertEquals(List.of("2030-01-14", "2030-01-21", "2030-02-04"), instances(ref).stream()
                .map(i -> start(i).atZone(ZoneOffset.UTC).toLocalDate().toString()).toList());

        // the whole series edited: PATCH of the master
        String[] renamed = {"SUMMARY:Weekly sync", "LOCATION:Room 7", "RRULE:FREQ=WEEKLY;UNTIL=20300204T090000Z"};
        v = target.update(key, ref, v.version(), series(exdate(renamed, "20300128")));
        assertEquals("Weekly sync", event(ref).path("subject").asText());
        assertEquals("Room 7", event(ref).at("/location/displayName").asText());

        // an occurrence restored: Graph cannot, so the series is created anew (a new ref)
        ItemVersion restored = target.update(key, ref, v.version(), series(renamed));
        assertNotEquals(ref, restored.ref());
        assertTrue(target.version(ref).isEmpty(), "the old series is gone");
        assertEquals(4, instances(restored.ref()).size(), "14, 21, 28 Jan and 4 Feb again");
        ref = restored.ref();

        // the whole event cancelled: the mailbox's own appointment leaves Exchange, as Exchange's cancel does
        target.update(key, ref, restored.version(), new ItemContent("text/calendar",
                series(renamed).text().replace("SUMMARY:Weekly sync", "STATUS:CANCELLED\r\nSUMMARY:Weekly sync")));
        assertTrue(target.version(ref).isEmpty());
    }

    @Test
    void aSeriesWriteThatStopsHalfWayIsFinishedNextTimeNotTakenForAnExchangeEdit() throws Exception {
        ItemTarget target = target();
        ItemKey key = ItemKey.event("nc-half-applied");
        String[] weekly = {"SUMMARY:Half", "RRULE:FREQ=WEEKLY;COUNT=4"};
        ItemVersion v = target.create(key, series(weekly));
        String ref = v.ref();
        String[] renamed = {"SUMMARY:Half renamed", "RRULE:FREQ=WEEKLY;COUNT=4"};
        ItemContent wanted = series(renamed, override("20300121", "20300121T160000", "Half (moved)"));

        // the master PATCH goes through, the occurrence step does not
        sandbox.addFault(FaultRule.status(500).forNext(1).forMailbox(mailbox).forPathContaining("/instances"));
        String before = v.version();
        StoreException failed = assertThrows(StoreException.class, () -> target.update(key, ref, before, wanted));
        assertFalse(failed instanceof ItemRejectedException);
        assertEquals("Half renamed", event(ref).path("subject").asText(), "half applied");
        assertTrue(instances(ref).stream().noneMatch(i -> i.getType() == EventType.Exception));

        // the source reports the series in the version the engine knows: only our own unfinished write moved it
        Change listed = rendered(ref);
        assertEquals(before, listed.version().orElseThrow());

        ItemVersion finished = target.update(key, ref, before, wanted);
        assertEquals(ref, finished.ref());
        assertEquals(List.of("Half (moved)"), instances(ref).stream().filter(i -> i.getType() == EventType.Exception)
                .map(Event::getSubject).toList());
        Change after = rendered(ref);
        assertEquals(finished.version(), after.version().orElseThrow(), "finished: the real changeKey again");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static ItemTarget target() throws StoreException {
        return store.target(owner, calendar);
    }

    private static ItemContent series(String[] master, String... overrides) {
        StringBuilder s = new StringBuilder();
        for (String line : master) {
            s.append(line).append("\r\n");
        }
        String body = "BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20300101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20300114T100000\r\n"
                + "DTEND;TZID=Europe/Berlin:20300114T110000\r\n" + s + "END:VEVENT\r\n" + String.join("", overrides);
        return new ItemContent("text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + "END:VCALENDAR\r\n");
    }

    private static String[] exdate(String[] master, String date) {
        String[] out = java.util.Arrays.copyOf(master, master.length + 1);
        out[master.length] = "EXDATE;TZID=Europe/Berlin:" + date + "T100000";
        return out;
    }

    private static String override(String date, String start, String subject) {
        return "BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20300101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:" + date + "T100000\r\n"
                + "DTSTART;TZID=Europe/Berlin:" + start + "\r\nDTEND;TZID=Europe/Berlin:" + start.substring(0, 9)
                + (Integer.parseInt(start.substring(9, 11)) + 1) + "0000\r\nSUMMARY:" + subject + "\r\nEND:VEVENT\r\n";
    }

    private static ItemContent ics(String uid, String start, String end, String... lines) {
        return new ItemContent("text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20300101T000000Z\r\nDTSTART;TZID=Europe/Berlin:" + start + "\r\nDTEND;TZID=Europe/Berlin:" + end + "\r\n"
                + String.join("\r\n", lines) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    }

    private static String attendee(String address) {
        return "{\"type\":\"required\",\"emailAddress\":{\"address\":\"" + address + "\"}}";
    }

    private static String adminEvent(String json) throws Exception {
        return JSON.readTree(sandbox.createEvent(mailbox, json)).path("id").asText();
    }

    private static JsonNode event(String id) throws Exception {
        return JSON.readTree(sandbox.event(mailbox, id));
    }

    private static List<String> subjects() {
        return graph.users().byUserId(mailbox).events().get(c -> c.queryParameters.top = 100).getValue().stream()
                .map(Event::getSubject).toList();
    }

    private static List<Event> instances(String ref) {
        return graph.users().byUserId(mailbox).events().byEventId(ref).instances().get(c -> {
            c.queryParameters.startDateTime = "2030-01-01T00:00:00Z";
            c.queryParameters.endDateTime = "2030-04-01T00:00:00Z";
            c.queryParameters.top = 100;
        }).getValue();
    }

    private static java.time.Instant start(Event e) {
        return java.time.LocalDateTime.parse(e.getStart().getDateTime().replaceFirst("\\.\\d+$", "")).atZone(ZoneOffset.UTC).toInstant();
    }

    /** The event as the source renders it (what Nextcloud holds after a sync). */
    private static Change rendered(String id) throws StoreException {
        return full(store.source(owner, calendar)).stream().filter(c -> id.equals(c.ref())).findFirst().orElseThrow();
    }

    private static List<Change> full(ItemSource source) throws StoreException {
        List<Change> out = new java.util.ArrayList<>();
        Cursor cursor = Cursor.INITIAL;
        ChangePage page;
        do {
            page = source.changes(cursor);
            out.addAll(page.changes());
            cursor = page.next();
        } while (page.hasMore());
        return out;
    }
}
