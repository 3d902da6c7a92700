package io.nexchange.graph.calendar.mapping;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.AttendeeType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.DayOfWeek;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.RecurrencePatternType;
import com.microsoft.graph.models.RecurrenceRangeType;
import com.microsoft.graph.models.Sensitivity;
import com.microsoft.graph.models.WeekIndex;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ICalendarToEventTest {

    static final WindowsZones ZONES = WindowsZones.load();
    static final ZoneId MAILBOX_ZONE = ZoneId.of("Europe/Berlin");

    private final EventToICalendar toIcal = new EventToICalendar(ZONES);
    private final ICalendarToEvent toGraph = new ICalendarToEvent(ZONES, MAILBOX_ZONE);

    private GraphEventWrite roundTrip(EventSeries series) {
        return toGraph.fromText(toIcal.toText(series));
    }

    private static Instant instant(DateTimeTimeZone value) {
        ZoneId zone = ZONES.zoneOf(value.getTimeZone()).orElseThrow();
        return GraphTimes.parseLocal(value.getDateTime(), "test").atZone(zone).toInstant();
    }

    // ---------------------------------------------------------------- round trip Graph -> iCal -> Graph

    /** Everything a client can write on a Graph event, compared with what came back. */
    private static void assertSameWritableFields(Event original, Event back) {
        assertAll(
            () -> assertEquals(original.getSubject(), back.getSubject(), "subject"),
            () -> assertEquals(original.getBody().getContentType(), back.getBody().getContentType(), "body type"),
            () -> assertEquals(original.getBody().getContentType() == BodyType.Html ? original.getBody().getContent()
                : HtmlText.tidy(original.getBody().getContent()), back.getBody().getContent(), "body"),
            () -> assertEquals(Boolean.TRUE.equals(original.getIsAllDay()), back.getIsAllDay(), "isAllDay"),
            () -> assertEquals(instant(original.getStart()), instant(back.getStart()), "start instant"),
            () -> assertEquals(instant(original.getEnd()), instant(back.getEnd()), "end instant"),
            () -> assertEquals(original.getOriginalStartTimeZone(), back.getStart().getTimeZone(), "start zone"),
            () -> assertEquals(original.getLocation().getDisplayName(), back.getLocation().getDisplayName(), "location"),
            () -> assertEquals(attendees(original), attendees(back), "attendees"),
            () -> assertEquals(original.getOrganizer().getEmailAddress().getAddress(), back.getOrganizer().getEmailAddress().getAddress(), "organizer"),
            () -> assertEquals(original.getSensitivity(), back.getSensitivity(), "sensitivity"),
            () -> assertEquals(original.getShowAs(), back.getShowAs(), "showAs"),
            () -> assertEquals(original.getImportance(), back.getImportance(), "importance"),
            () -> assertEquals(original.getCategories(), back.getCategories(), "categories"),
            () -> assertEquals(original.getIsReminderOn(), back.getIsReminderOn(), "isReminderOn"),
            () -> assertEquals(Boolean.TRUE.equals(original.getIsReminderOn()) ? original.getReminderMinutesBeforeStart() : null,
                back.getReminderMinutesBeforeStart(), "reminderMinutesBeforeStart"),
            () -> assertEquals(recurrence(original.getRecurrence()), recurrence(back.getRecurrence()), "recurrence"));
    }

    private static List<String> attendees(Event event) {
        return event.getAttendees().stream()
            .map(a -> a.getEmailAddress().getAddress() + "|" + a.getEmailAddress().getName() + "|" + a.getType()).toList();
    }

    /** The recurrence as Graph interprets it: unused fields (echoed defaults) left out. */
    static String recurrence(PatternedRecurrence r) {
        if (r == null) {
            return null;
        }
        var p = r.getPattern();
        var g = r.getRange();
        RecurrencePatternType type = p.getType();
        boolean weekly = type == RecurrencePatternType.Weekly;
        boolean relative = type == RecurrencePatternType.RelativeMonthly || type == RecurrencePatternType.RelativeYearly;
        boolean absolute = type == RecurrencePatternType.AbsoluteMonthly || type == RecurrencePatternType.AbsoluteYearly;
        boolean yearly = type == RecurrencePatternType.AbsoluteYearly || type == RecurrencePatternType.RelativeYearly;
        Set<DayOfWeek> days = p.getDaysOfWeek() == null ? Set.of() : Set.copyOf(p.getDaysOfWeek());
        return type + " every " + p.getInterval()
            + (weekly || relative ? " on " + days.stream().map(Enum::name).sorted().collect(Collectors.joining(",")) : "")
            + (weekly ? " week from " + p.getFirstDayOfWeek() : "")
            + (absolute ? " day " + p.getDayOfMonth() : "")
            + (relative ? " index " + p.getIndex() : "")
            + (yearly ? " month " + p.getMonth() : "")
            + " | " + g.getType() + " from " + g.getStartDate()
            + (g.getType() == RecurrenceRangeType.EndDate ? " to " + g.getEndDate() : "")
            + (g.getType() == RecurrenceRangeType.Numbered ? " x" + g.getNumberOfOccurrences() : "")
            + " in " + g.getRecurrenceTimeZone();
    }

    @Test
    void richSingleEventRoundTrips() {
        Event original = GraphJson.single(EventToICalendarTest.ATTENDEES.replace("{\"attendees\"", """
            {"subject": "Budget — Überblick 🗓️", "sensitivity": "personal", "showAs": "oof", "importance": "high",
             "categories": ["Red category", "Kunde, wichtig"], "isReminderOn": true, "reminderMinutesBeforeStart": 30,
             "location": {"displayName": "Room Rainier"},
             "body": {"contentType": "html", "content": "<html><body><p>Hello <b>all</b></p><p><a href=\\"https://example.test/x\\">link</a></p></body></html>"},
             "attendees\""""));
        GraphEventWrite back = roundTrip(EventSeries.single(original));
        assertEquals(original.getICalUId(), back.uid());
        assertSameWritableFields(original, back.event());
        assertFalse(back.cancelled());
        assertTrue(back.event().getResponseRequested());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"type\":\"daily\",\"interval\":2,\"month\":0,\"dayOfMonth\":0,\"firstDayOfWeek\":\"sunday\",\"index\":\"first\"}",
        "{\"type\":\"weekly\",\"interval\":2,\"daysOfWeek\":[\"friday\",\"monday\",\"wednesday\"],\"firstDayOfWeek\":\"sunday\"}",
        "{\"type\":\"weekly\",\"interval\":1,\"daysOfWeek\":[\"monday\"],\"firstDayOfWeek\":\"monday\"}",
        "{\"type\":\"absoluteMonthly\",\"interval\":1,\"dayOfMonth\":18}",
        "{\"type\":\"relativeMonthly\",\"interval\":1,\"daysOfWeek\":[\"monday\"],\"index\":\"third\"}",
        "{\"type\":\"relativeMonthly\",\"interval\":3,\"daysOfWeek\":[\"monday\",\"tuesday\",\"wednesday\",\"thursday\",\"friday\"],\"index\":\"last\"}",
        "{\"type\":\"absoluteYearly\",\"interval\":1,\"dayOfMonth\":18,\"month\":3}",
        "{\"type\":\"relativeYearly\",\"interval\":2,\"daysOfWeek\":[\"friday\"],\"month\":11,\"index\":\"last\"}",
    })
    void everyPatternRoundTrips(String patternJson) {
        for (String range : List.of(EventToICalendarTest.UNTIL_APRIL_15,
            "{\"type\":\"numbered\",\"startDate\":\"2024-03-18\",\"endDate\":\"0001-01-01\",\"numberOfOccurrences\":7,\"recurrenceTimeZone\":\"W. Europe Standard Time\"}",
            "{\"type\":\"noEnd\",\"startDate\":\"2024-03-18\",\"endDate\":\"0001-01-01\",\"numberOfOccurrences\":0,\"recurrenceTimeZone\":\"W. Europe Standard Time\"}")) {
            Event master = GraphJson.single("""
                {"type": "seriesMaster", "iCalUId": "SERIES",
                 "start": {"dateTime": "2024-03-18T08:00:00.0000000", "timeZone": "UTC"},
                 "end": {"dateTime": "2024-03-18T09:00:00.0000000", "timeZone": "UTC"},
                 "recurrence": {"pattern": %s, "range": %s}}""".formatted(patternJson, range));
            assertEquals(recurrence(master.getRecurrence()), recurrence(roundTrip(EventSeries.single(master)).event().getRecurrence()), range);
        }
    }

    @Test
    void seriesWithModifiedAndCancelledOccurrencesRoundTrips() {
        Event master = EventToICalendarTest.weeklyMaster(EventToICalendarTest.UNTIL_APRIL_15);
        Event moved = EventToICalendarTest.exception("2024-04-01T07:00:00Z", "2024-04-01T12:00:00.0000000", "2024-04-01T13:00:00.0000000", "Moved");
        List<Instant> cancelled = List.of(Instant.parse("2024-03-25T08:00:00Z"), Instant.parse("2024-04-15T07:00:00Z"));
        GraphEventWrite back = roundTrip(new EventSeries(master, List.of(moved), cancelled));
        assertSameWritableFields(master, back.event());
        assertEquals(cancelled, back.cancelledOccurrences());
        assertEquals(1, back.exceptions().size());
        assertEquals(Instant.parse("2024-04-01T07:00:00Z"), back.exceptions().get(0).originalStart());
        assertEquals("Moved", back.exceptions().get(0).event().getSubject());
        assertEquals(Instant.parse("2024-04-01T12:00:00Z"), instant(back.exceptions().get(0).event().getStart()));
        assertNull(back.exceptions().get(0).event().getRecurrence());
    }

    @Test
    void allDaySeriesRoundTripsInTheMailboxZone() {
        Event master = GraphJson.single("""
            {"type": "seriesMaster", "iCalUId": "SERIES", "isAllDay": true,
             "start": {"dateTime": "2024-03-18T00:00:00.0000000", "timeZone": "W. Europe Standard Time"},
             "end": {"dateTime": "2024-03-19T00:00:00.0000000", "timeZone": "W. Europe Standard Time"},
             "recurrence": {"pattern": {"type": "daily", "interval": 1},
                            "range": {"type": "endDate", "startDate": "2024-03-18", "endDate": "2024-03-24", "recurrenceTimeZone": "W. Europe Standard Time"}}}""");
        List<Instant> cancelled = List.of(Instant.parse("2024-03-19T23:00:00Z"));
        GraphEventWrite back = roundTrip(new EventSeries(master, List.of(), cancelled));
        assertSameWritableFields(master, back.event());
        assertEquals("2024-03-18T00:00:00.0000000", back.event().getStart().getDateTime());
        assertEquals(cancelled, back.cancelledOccurrences());
    }

    @Test
    void writeBodyHoldsOnlyWhatAClientMaySend() throws Exception {
        Event master = EventToICalendarTest.weeklyMaster(EventToICalendarTest.UNTIL_APRIL_15);
        String body = GraphJson.requestBody(roundTrip(EventSeries.single(master)).event());
        Set<String> members = com.google.gson.JsonParser.parseString(body).getAsJsonObject().keySet();
        for (String readOnly : List.of("id", "iCalUId", "type", "originalStart", "originalStartTimeZone", "changeKey",
            "createdDateTime", "lastModifiedDateTime", "webLink", "isCancelled", "seriesMasterId", "responseStatus")) {
            assertFalse(members.contains(readOnly), readOnly + " in " + body);
        }
        assertTrue(body.contains("\"dateTime\":\"2024-03-18T09:00:00.0000000\""), body);
        assertTrue(body.contains("\"timeZone\":\"W. Europe Standard Time\""), body);
        assertTrue(body.contains("\"daysOfWeek\":[\"monday\"]"), body);
    }

    // ---------------------------------------------------------------- what other clients write

    private static String vcalendar(String... veventLines) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:other-client-1\r\nDTSTAMP:20240601T000000Z\r\n"
            + String.join("\r\n", veventLines) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "FREQ=DAILY;BYHOUR=9,17 | BYHOUR",
        "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1 | several",
        "FREQ=MONTHLY;BYMONTHDAY=-1 | end of the month",
        "FREQ=HOURLY;INTERVAL=4 | HOURLY",
        "FREQ=MONTHLY;BYDAY=1MO,1TU | several weekdays",
        "FREQ=MONTHLY;BYDAY=MO | every such weekday",
        "FREQ=WEEKLY;BYDAY=2MO | positions",
        "FREQ=MONTHLY;BYDAY=5FR | not 5",
        "FREQ=YEARLY;BYWEEKNO=20 | BYWEEKNO",
        "FREQ=DAILY;INTERVAL=2;BYDAY=MO,TU | INTERVAL=2",
    })
    void rrulesExchangeCannotHoldAreRefusedWithTheReason(String rrule, String reason) {
        MappingException e = assertThrows(MappingException.class, () -> toGraph.fromText(vcalendar(
            "DTSTART;TZID=Europe/Berlin:20240318T090000", "DTEND;TZID=Europe/Berlin:20240318T100000", "RRULE:" + rrule)));
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains(rrule), e.getMessage());
    }

    @Test
    void rdateIsRefused() {
        MappingException e = assertThrows(MappingException.class, () -> toGraph.fromText(vcalendar(
            "DTSTART;TZID=Europe/Berlin:20240318T090000", "RRULE:FREQ=WEEKLY", "RDATE;TZID=Europe/Berlin:20240320T090000")));
        assertTrue(e.getMessage().contains("RDATE"), e.getMessage());
    }

    @Test
    void dailyOnWeekdaysBecomesWeeklyPattern() {
        Event event = toGraph.fromText(vcalendar("DTSTART;TZID=Europe/Berlin:20240318T090000", "DTEND;TZID=Europe/Berlin:20240318T093000",
            "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20")).event();
        assertEquals(RecurrencePatternType.Weekly, event.getRecurrence().getPattern().getType());
        assertEquals(List.of(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday),
            event.getRecurrence().getPattern().getDaysOfWeek());
        assertEquals(DayOfWeek.Monday, event.getRecurrence().getPattern().getFirstDayOfWeek(), "RFC 5545 default WKST");
        assertEquals(20, event.getRecurrence().getRange().getNumberOfOccurrences());
    }

    @ParameterizedTest(name = "UNTIL {0} -> {1}")
    @CsvSource({
        "20240415T070000Z, 2024-04-15",  // exactly the last occurrence (09:00 Berlin)
        "20240415T215959Z, 2024-04-15",  // end of that day in Berlin
        "20240415T000000Z, 2024-04-14",  // midnight UTC: before 09:00 on the 15th, so the 15th is not included
        "20240416T000000Z, 2024-04-15",  // midnight UTC of the next day = 02:00 Berlin on the 16th
        "20240415, 2024-04-15"})
    void untilAsOtherClientsWriteItBecomesTheInclusiveEndDate(String until, String endDate) {
        Event event = toGraph.fromText(vcalendar("DTSTART;TZID=Europe/Berlin:20240318T090000", "DTEND;TZID=Europe/Berlin:20240318T100000",
            "RRULE:FREQ=WEEKLY;UNTIL=" + until)).event();
        assertEquals(LocalDate.parse(endDate), event.getRecurrence().getRange().getEndDate());
        assertEquals(RecurrenceRangeType.EndDate, event.getRecurrence().getRange().getType());
    }

    @Test
    void thunderbirdStyleTzidAndAlarmAreRead() {
        Event event = toGraph.fromText("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n"
            + "BEGIN:VTIMEZONE\r\nTZID:/freeassociation.sourceforge.net/Tzfile/America/New_York\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\n"
            + "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
            + "DTSTART:19700308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
            + "BEGIN:VEVENT\r\nUID:tb-1\r\nDTSTAMP:20240601T000000Z\r\nSUMMARY:From Thunderbird\r\n"
            + "DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/America/New_York:20240610T090000\r\n"
            + "DTEND;TZID=/freeassociation.sourceforge.net/Tzfile/America/New_York:20240610T100000\r\n"
            + "CLASS:CONFIDENTIAL\r\nTRANSP:TRANSPARENT\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;VALUE=DURATION:-P1D\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
            + "END:VEVENT\r\nEND:VCALENDAR\r\n").event();
        assertEquals("Eastern Standard Time", event.getStart().getTimeZone());
        assertEquals("2024-06-10T09:00:00.0000000", event.getStart().getDateTime());
        assertEquals(Sensitivity.Confidential, event.getSensitivity());
        assertEquals(FreeBusyStatus.Free, event.getShowAs());
        assertEquals(1440, event.getReminderMinutesBeforeStart());
        assertEquals(List.of(), event.getAttendees());
    }

    @Test
    void outlookStyleWindowsTzidIsRead() {
        Event event = toGraph.fromText(vcalendar("DTSTART;TZID=W. Europe Standard Time:20240610T090000",
            "DTEND;TZID=W. Europe Standard Time:20240610T100000")).event();
        assertEquals("W. Europe Standard Time", event.getStart().getTimeZone());
        assertEquals("2024-06-10T09:00:00.0000000", event.getStart().getDateTime());
    }

    @Test
    void zoneDefinedOnlyInTheObjectIsConvertedToUtc() {
        Event event = toGraph.fromText("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            + "BEGIN:VTIMEZONE\r\nTZID:My Custom Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            + "BEGIN:VEVENT\r\nUID:c-1\r\nDTSTAMP:20240601T000000Z\r\nDTSTART;TZID=My Custom Zone:20240610T090000\r\nDTEND;TZID=My Custom Zone:20240610T100000\r\n"
            + "END:VEVENT\r\nEND:VCALENDAR\r\n").event();
        assertEquals("UTC", event.getStart().getTimeZone());
        assertEquals("2024-06-10T03:30:00.0000000", event.getStart().getDateTime());
    }

    @Test
    void floatingTimeIsReadInTheMailboxZone() {
        Event event = toGraph.fromText(vcalendar("DTSTART:20240610T090000", "DURATION:PT45M")).event();
        assertEquals("W. Europe Standard Time", event.getStart().getTimeZone());
        assertEquals("2024-06-10T09:45:00.0000000", event.getEnd().getDateTime());
    }

    @Test
    void editedDescriptionWinsOverStaleHtml() {
        Event original = GraphJson.single("{\"body\": {\"contentType\": \"html\", \"content\": \"<p>Old agenda</p>\"}}");
        String ical = toIcal.toText(EventSeries.single(original)).replace("DESCRIPTION:Old agenda", "DESCRIPTION:New agenda");
        Event back = toGraph.fromText(ical).event();
        assertEquals(BodyType.Text, back.getBody().getContentType());
        assertEquals("New agenda", back.getBody().getContent());
    }

    @Test
    void organizerListedAmongAttendeesIsNotAddedAsAttendee() {
        // nextcloud/server#11642: attendees duplicated on accept
        Event event = toGraph.fromText(vcalendar("DTSTART;TZID=Europe/Berlin:20240610T090000",
            "ORGANIZER;CN=Adele:mailto:adele@contoso.example",
            "ATTENDEE;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:ADELE@contoso.example",
            "ATTENDEE;CN=Megan;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:megan@contoso.example",
            "ATTENDEE;CN=Megan again;ROLE=OPT-PARTICIPANT:mailto:Megan@contoso.example",
            "ATTENDEE;CUTYPE=ROOM;CN=Room:mailto:room@contoso.example")).event();
        List<Attendee> attendees = event.getAttendees();
        assertEquals(List.of("megan@contoso.example|Megan|" + AttendeeType.Required, "room@contoso.example|Room|" + AttendeeType.Resource),
            attendees(event));
        assertTrue(event.getResponseRequested());
        assertEquals(2, attendees.size());
    }

    @Test
    void cancelledOverrideBecomesCancelledOccurrence() {
        GraphEventWrite write = toGraph.fromText("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            + "BEGIN:VEVENT\r\nUID:s-1\r\nDTSTAMP:20240601T000000Z\r\nDTSTART;TZID=Europe/Berlin:20240318T090000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:s-1\r\nDTSTAMP:20240601T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240325T090000\r\nDTSTART;TZID=Europe/Berlin:20240325T090000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
            + "END:VCALENDAR\r\n");
        assertEquals(List.of(Instant.parse("2024-03-25T08:00:00Z")), write.cancelledOccurrences());
        assertTrue(write.exceptions().isEmpty());
    }

    @Test
    void overridesWithoutMasterAreRefused() {
        MappingException e = assertThrows(MappingException.class, () -> toGraph.fromText("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            + "BEGIN:VEVENT\r\nUID:s-1\r\nDTSTAMP:20240601T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240325T090000\r\nDTSTART;TZID=Europe/Berlin:20240325T090000\r\nEND:VEVENT\r\n"
            + "END:VCALENDAR\r\n"));
        assertTrue(e.getMessage().contains("no series master"), e.getMessage());
    }

    @Test
    void relativeMonthlyFromBysetposIsRead() {
        PatternedRecurrence r = toGraph.fromText(vcalendar("DTSTART;TZID=Europe/Berlin:20240329T090000",
            "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")).event().getRecurrence();
        assertEquals(RecurrencePatternType.RelativeMonthly, r.getPattern().getType());
        assertEquals(WeekIndex.Last, r.getPattern().getIndex());
        assertEquals(RecurrenceRangeType.NoEnd, r.getRange().getType());
        assertEquals(LocalDate.of(2024, 3, 29), r.getRange().getStartDate());
    }
}
